"""The uncertainty fan and sensitivity views, against a small context (no main window)."""

from __future__ import annotations

import dataclasses
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from rsiviz.core import DevelopmentPause, Params
from rsiviz.core.ensemble import DEFAULT_DISTRIBUTIONS
from rsiviz.core.fan import QUANTITIES, WITH_PAUSE, WITHOUT_PAUSE, compute_fan
from rsiviz.core.scenario import Scenario
from rsiviz.core.sensitivity import compute_tornado

SCENARIO = Scenario(params=Params(years=3.0), pauses=(DevelopmentPause.at(2027.0, months=9),))


@pytest.fixture
def ctx(qtbot):
    from rsiviz.gui.controller import Controller
    from rsiviz.gui.jobs import Jobs
    from rsiviz.gui.theme import Theme

    focused: list[str] = []
    messages: list[tuple[str, str]] = []
    controller = Controller(SCENARIO)
    context = SimpleNamespace(
        view_state=controller.view_state,
        controller=controller,
        jobs=Jobs(),
        theme=Theme(),
        focus_param=focused.append,
        show_message=lambda level, text: messages.append((level, text)),
        focused=focused,
        messages=messages,
    )
    yield context
    context.jobs.cancel_all()
    assert context.jobs.wait_idle(10.0)
    context.controller.stop()


def _fan_view(ctx, qtbot, members: int = 12):
    from rsiviz.gui.views.fan import FanView

    view = FanView(ctx)
    qtbot.addWidget(view)
    view.members.setValue(members)
    view.job.request(force=True)  # supersedes the first request (N = 1,000)
    assert ctx.jobs.wait_idle(60.0)
    return view


def test_the_fan_publishes_the_core_bands_for_the_live_scenario(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    # the default table is the core's default distributions, exactly (what the CLI uses)
    assert view.table.distributions() == DEFAULT_DISTRIBUTIONS
    expected = compute_fan(SCENARIO, DEFAULT_DISTRIBUTIONS, 12, SCENARIO.seed)
    for variant in (WITH_PAUSE, WITHOUT_PAUSE):
        for q in QUANTITIES:
            band = ctx.view_state.bands[f"fan:{variant}:{q}"]
            assert (band.quantity, band.members, band.seed) == (q, 12, SCENARIO.seed)
            assert np.array_equal(band.years, expected.years)
            for level, values in expected.bands[variant][q].items():
                assert np.array_equal(band.levels[level], values)
    median = view.plots.items[("top", WITH_PAUSE)].median.getData()[1]
    assert np.array_equal(median, expected.bands[WITH_PAUSE]["capability"][50.0])
    caught = expected.p_oversight_catches_up(WITH_PAUSE)
    label = view.readouts.labels[("catch_up", WITH_PAUSE)]
    assert label.text() == caught.short_text()
    assert caught.text() in label.toolTip() and "of 12 runs, seed 0" in label.toolTip()
    assert "12 runs (seed 0)" in view.readouts.header.text()
    assert "not a forecast" in view.caveat.text()


def test_a_parameter_change_recomputes_and_only_the_newest_result_is_shown(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    ctl = ctx.controller
    ctl.set_param("compute_growth", 0.3)
    ctl.flush()
    ctl.set_param("compute_growth", 1.2)  # supersedes the job the first change started
    ctl.flush()
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is not None
    assert view.plots.fan.scenario == ctl.current_scenario()
    assert view.plots.fan.scenario.params.compute_growth == 1.2


def test_a_scenario_without_development_pauses_drops_the_pause_bands(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    ctx.controller.load(dataclasses.replace(SCENARIO, pauses=()))
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is not None and view.plots.fan.variants == (WITHOUT_PAUSE,)
    assert not any(k.startswith(f"fan:{WITH_PAUSE}") for k in ctx.view_state.bands)
    assert view.readouts.labels[("m5", WITH_PAUSE)].text() == "n/a"


def test_bad_bounds_are_reported_in_one_line_and_nothing_runs(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    before = view.plots.fan
    view.table.set_bounds("software_returns", 3.0, 3.0, kind="uniform")
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is not before  # equal bounds are fine: no spread in that one
    edited = view.plots.fan.dists["software_returns"]
    assert (edited.low, edited.high) == (3.0, 3.0) and edited.source.startswith("set by you")
    view.table.set_bounds("oversight_pace", 2.0, 1.0)
    view.table.set_checked("oversight_pace", True)
    assert ctx.jobs.wait_idle(10.0)
    assert "oversight_pace" in view.status.text() and "\n" not in view.status.text()
    assert ctx.messages and ctx.messages[-1][0] == "error"


def test_the_lower_plot_switches_to_the_multiplier_on_a_log_axis(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    view.lower.setCurrentIndex(view.lower.findData("progress_multiplier"))
    band = view.plots.fan.bands[WITHOUT_PAUSE]["progress_multiplier"][50.0]
    shown = view.plots.items[("bottom", WITHOUT_PAUSE)].median.getData()[1]
    assert np.allclose(shown, np.log10(band))


def test_cancelling_leaves_no_running_job(ctx, qtbot) -> None:
    from rsiviz.gui.views.fan import FanView

    view = FanView(ctx)  # starts 1,000 runs
    qtbot.addWidget(view)
    assert view.job.running
    view.job.cancel()
    assert ctx.jobs.wait_idle(30.0)
    assert not view.job.running and not view.job.bar.isVisible()
    assert not [t for t in threading.enumerate() if t.name.startswith("rsiviz-job")]
    assert view.plots.fan is None  # the cancelled job's result was never shown


def test_the_tornado_view_sorts_bars_and_a_click_focuses_the_slider(ctx, qtbot) -> None:
    from PySide6.QtCore import QPointF, Qt

    from rsiviz.gui.views.sensitivity import SensitivityView

    view = SensitivityView(ctx)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    assert ctx.jobs.wait_idle(60.0)
    tornado = view.plot.tornado
    assert tornado is not None and tornado.metric == "year_capability_reaches"
    expected = compute_tornado(SCENARIO, "year_capability_reaches", 8.0)
    assert [b.name for b in tornado.bars] == [b.name for b in expected.bars]
    first, second = view.plot.shown[:2]  # rows: the parameters that move the outcome
    assert first is tornado.bars[0] and all(b.effect > 0 for b in view.plot.shown)
    for bar in tornado.bars:
        if bar not in view.plot.shown:  # no effect here: named under the chart instead
            assert bar.name.replace("_", " ") in view.status.text()
    for row, bar in ((0, first), (1, second)):
        middle = (bar.span[0] + bar.span[1]) / 2
        scene = view.plot.plotItem.vb.mapViewToScene(QPointF(middle, float(row)))
        qtbot.mouseClick(
            view.plot.viewport(), Qt.MouseButton.LeftButton, pos=view.plot.mapFromScene(scene)
        )
    assert ctx.focused == [first.name, second.name]
    view.outcome.setCurrentIndex(view.outcome.findData("peak_gap"))
    assert not view.level.isVisibleTo(view)
    assert ctx.jobs.wait_idle(60.0)
    assert view.plot.tornado.metric == "peak_gap"


def test_live_frames_are_drawn_before_and_after_the_bands_arrive(ctx, qtbot) -> None:
    from rsiviz.gui.views.fan import FanView

    view = FanView(ctx)  # 1,000 runs: frames arrive while they compute
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    for _ in range(12):  # painting each frame over still-empty bands once crashed
        ctx.controller.advance(1)
        view.repaint()
    live = view.plots.live["top"].getData()[1]
    assert np.array_equal(live, ctx.controller.sim.history.capability()[:13, 0])
    assert view.plots.top.viewRange()[1][1] >= live.max()
    assert ctx.jobs.wait_idle(120.0)
    view.repaint()
    assert view.plots.fan is not None


def test_a_dragged_slider_recomputes_only_once_released(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    ctl = ctx.controller
    before = view.plots.fan
    ctl.set_dragging(True)
    for value in (0.4, 0.5, 0.6):
        ctl.set_param("compute_growth", value)
        ctl.flush()
        assert not view.job.running  # the live run follows the slider, the fan waits
    ctl.set_dragging(False)
    assert view.job.running
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is not before
    assert view.plots.fan.scenario.params.compute_growth == 0.6
    assert view.readouts.year.maximum() == 2029 and view.readouts.year.minimum() == 2026
    assert view.readouts.year.value() == 2028  # 2032 is past this 3-year run: mid-run


def test_a_hidden_view_spends_nothing_until_shown(ctx, qtbot) -> None:
    from rsiviz.gui.views.sensitivity import SensitivityView

    view = SensitivityView(ctx)  # never shown
    qtbot.addWidget(view)
    assert ctx.jobs.wait_idle(60.0)
    first = view.plot.tornado
    ctx.controller.set_param("compute_growth", 0.3)
    ctx.controller.flush()
    assert not view.job.running
    view.show()
    assert view.job.running
    assert ctx.jobs.wait_idle(60.0)
    assert view.plot.tornado is not first


def test_a_setting_toggled_back_shows_the_kept_fan_at_once(ctx, qtbot) -> None:
    view = _fan_view(ctx, qtbot)
    first = view.plots.fan
    ctl = ctx.controller
    ctl.set_param("compute_growth", 0.3)
    ctl.flush()
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is not first
    ctl.set_param("compute_growth", SCENARIO.params.compute_growth)
    ctl.flush()
    assert ctx.jobs.wait_idle(60.0)
    assert view.plots.fan is first  # the same object: kept, not recomputed


def test_progress_steps_repaint_the_thin_bar_alone(ctx, qtbot) -> None:
    """The progress bar lies over the top edge of the fan's plots: each step (~20 a second
    while the children compute) repaints the bar, never the plots beneath it, and the bar
    shows the share done."""
    from PySide6.QtCore import QEvent, QObject, QRect
    from PySide6.QtGui import QColor, QPalette

    view = _fan_view(ctx, qtbot)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    bar = view.job.bar
    bar.setRange(0, 1000)
    bar.setValue(0)
    bar.show()
    qtbot.wait(50)

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802
            # a paint of the plots where the bar lies (another may come from a late frame)
            if event.type() == QEvent.Type.Paint and event.rect().intersects(strip(watched)):
                Paints.count += 1
            return False

    def strip(widget):  # the bar's rectangle in ``widget``'s coordinates
        return QRect(widget.mapFrom(bar.parentWidget(), bar.pos()), bar.size())

    paints = Paints()
    for widget in (view.plots, view.plots.viewport()):
        widget.installEventFilter(paints)
    for value in range(50, 1000, 50):
        bar.setValue(value)
        qtbot.wait(1)
    assert Paints.count == 0  # the plots were not repainted
    bar.setValue(500)
    image = bar.grab().toImage()
    y = image.height() // 2
    done = QColor(image.pixel(bar.width() // 4, y))
    left = QColor(image.pixel(3 * bar.width() // 4, y))
    assert done.name() == bar.palette().color(QPalette.ColorRole.Highlight).name()
    assert left.name() == bar.palette().color(QPalette.ColorRole.Mid).name()
