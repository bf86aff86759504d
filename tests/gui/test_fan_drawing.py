"""The fan view's drawing: prepared off the GUI thread, set once, the live line throttled."""

from __future__ import annotations

import dataclasses

import numpy as np

from rsiviz.core.fan import WITH_PAUSE, Probability
from tests.gui.test_fan_view import _fan_view, ctx  # noqa: F401 (ctx: a fixture)


def _check_prepared_items(view) -> None:
    from PySide6.QtGui import QPainterPath

    for items in view.plots.items.values():
        for fill in items.fills:
            prepared = QPainterPath(fill.path())
            assert not prepared.isEmpty()
            fill.updatePath()  # what pyqtgraph itself builds from the two edge curves
            assert fill.path() == prepared
        for curve in (*items.edges, items.median):
            y = curve.getData()[1]
            assert curve.dataBounds(1) == (np.nanmin(y), np.nanmax(y))


def test_prepared_fills_and_bounds_equal_what_pyqtgraph_builds(ctx, qtbot) -> None:  # noqa: F811
    view = _fan_view(ctx, qtbot)
    _check_prepared_items(view)
    view.lower.setCurrentIndex(view.lower.findData("progress_multiplier"))
    _check_prepared_items(view)  # the log axis: prepared for every quantity


def test_readouts_counted_on_the_worker_are_shown_only_for_the_x_and_y_shown(
    ctx,  # noqa: F811
    qtbot,
) -> None:
    from rsiviz.gui.views.fan_draw import prepare

    view = _fan_view(ctx, qtbot)
    fan = view.plots.fan
    at = (view.readouts.level.value(), view.readouts.year.value())
    drawing = prepare(fan, at)
    marked = Probability("marked", 1, fan.members, fan.seed)  # not what a recount gives
    found = {v: {**p, "capability": marked} for v, p in drawing.readings.items()}
    view.show_result(dataclasses.replace(drawing, readings=found))
    label = view.readouts.labels[("capability", WITH_PAUSE)]
    assert label.text() == marked.short_text()  # used as counted: no recount
    view.readouts.level.setValue(2.0)  # X changed while a fan was computing for 8
    view.show_result(dataclasses.replace(drawing, readings=found))
    expected = fan.p_capability_reaches(2.0, at[1], WITH_PAUSE)
    assert label.text() == expected.short_text() != marked.short_text()


def test_the_live_line_redraws_at_most_every_interval_while_playing(ctx, qtbot) -> None:  # noqa: F811
    from rsiviz.gui.views.fan import LIVE_INTERVAL_S

    view = _fan_view(ctx, qtbot)
    view.show()
    qtbot.waitExposed(view)
    ctl = ctx.controller
    ctl.advance(8)
    frame = ctl.snapshot()
    line = view.plots.live["top"]

    def shown() -> int:
        return line.getData()[0].size

    view._live_drawn = 0.0  # long ago: the first playing frame is drawn at once
    for month in range(1, 6):
        view._on_frame(dataclasses.replace(frame, view_month=month, playing=True))
    assert shown() == 2  # month 1; months 2-5 came within the interval
    qtbot.waitUntil(lambda: shown() == 6, timeout=round(20_000 * LIVE_INTERVAL_S))
    view._on_frame(dataclasses.replace(frame, view_month=7, playing=False))
    assert shown() == 8  # stopped: at once
    assert np.array_equal(line.getData()[1], ctl.sim.history.capability()[:8, 0])


def test_a_frame_showing_what_is_drawn_sets_nothing(ctx, qtbot) -> None:  # noqa: F811
    view = _fan_view(ctx, qtbot)
    ctx.controller.advance(3)
    frame = ctx.controller.snapshot()
    changes: list[object] = []
    view.plots.live["top"].sigPlotChanged.connect(changes.append)
    view.plots.show_live(frame)
    view.plots.show_live(dataclasses.replace(frame, bands=()))  # re-sent for other bands
    assert len(changes) == 1
    view.plots.show_live(dataclasses.replace(frame, view_month=2))
    assert len(changes) == 2


def test_main_plots_skip_frames_that_change_only_hidden_bands(window, qtbot) -> None:
    from tests.gui.test_bands import _band

    window.controller.advance(6)
    qtbot.wait(20)
    changes: list[object] = []
    redraw = window.plots.redraw
    # (counted at redraw: a curve given the data it shows is no longer set again at all)
    window.plots.redraw = lambda: (changes.append(1), redraw())
    window.view_state.set_band(_band(window))
    qtbot.wait(20)  # the frame that a view-state change schedules
    assert changes == [] and window.plots.snapshot.bands  # kept, not drawn
    window.actions.show_bands.trigger()
    changes.clear()
    window.view_state.set_band(_band(window, "gap"))
    qtbot.wait(20)
    assert changes  # shown bands: the frame is drawn
