"""What keeps a live frame cheap: readouts that do not re-lay out the window, curves drawn
in draft while playing, the overhang's fill built once per frame."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from rsiviz.gui.steady import Steady


class _Events(QObject):
    """Counts the events of one type that the watched object receives."""

    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind, self.count = kind, 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == self.kind:
            self.count += 1
        return False


def _held_label(qtbot) -> tuple[QWidget, QLabel, _Events]:  # type: ignore[no-untyped-def]
    top = QWidget()
    qtbot.addWidget(top)
    label = QLabel("2026.0")
    layout = QVBoxLayout(top)
    layout.addWidget(QLabel("neighbour"))
    layout.addWidget(Steady(label))
    top.show()
    qtbot.waitExposed(top)
    QApplication.processEvents()
    counter = _Events(QEvent.Type.LayoutRequest)
    top.installEventFilter(counter)
    return top, label, counter


def test_a_new_text_of_the_same_size_does_not_re_lay_out_the_window(qtbot) -> None:
    top, label, counter = _held_label(qtbot)
    for year in ("2026.1", "2026.2", "2027.5", "2030.9"):
        label.setText(year)
        QApplication.processEvents()
    assert counter.count == 0
    # the same texts in a bare label re-lay out its window every time
    bare = QLabel("2026.0")
    top.layout().addWidget(bare)
    QApplication.processEvents()
    counter.count = 0
    for year in ("2026.1", "2026.2"):
        bare.setText(year)
        QApplication.processEvents()
    assert counter.count >= 2


def test_a_text_that_needs_more_room_gets_it(qtbot) -> None:
    top, label, counter = _held_label(qtbot)
    label.setText("a much longer readout than the year was\nand on two lines")
    for _ in range(3):  # the holder's LayoutRequest, then its layout's
        QApplication.processEvents()
    assert counter.count >= 1  # passed on: the layout gives it room
    needed = label.fontMetrics().boundingRect(label.text().split("\n")[0]).width()
    assert label.width() >= needed
    assert label.height() >= 2 * label.fontMetrics().lineSpacing()


def test_hiding_the_label_hides_its_holder(qtbot) -> None:
    _top, label, _counter = _held_label(qtbot)
    holder = label.parentWidget()
    label.hide()
    assert holder.isHidden()
    label.show()
    assert not holder.isHidden()


def _curves(window) -> list[pg.PlotCurveItem]:  # type: ignore[no-untyped-def]
    return [i for i in window.plots.scene().items() if isinstance(i, pg.PlotCurveItem)]


def test_curves_are_drafts_while_playing_and_antialiased_when_stopped(window) -> None:
    ctl = window.controller
    antialiased = {c for c in _curves(window) if c.opts["antialias"]}
    assert window.plots.frontier in antialiased and window.plots.oversight in antialiased
    ctl.play()
    QApplication.processEvents()
    assert not any(c.opts["antialias"] for c in _curves(window))
    ctl.stop()
    QApplication.processEvents()
    assert {c for c in _curves(window) if c.opts["antialias"]} == antialiased


def test_the_overhang_fill_follows_both_curves(window) -> None:
    ctl, plots = window.controller, window.plots
    ctl.run_until(ctl.sim.time + 2.0)
    ctl.start_development_pause(months=12)
    ctl.advance(6)  # potential runs ahead of capability: the overhang is shaded
    fill = plots.overhang.path().boundingRect()
    front = plots.frontier.getPath().boundingRect()
    pot = plots.potential.getPath().boundingRect()
    assert fill.right() >= min(front.right(), pot.right()) - 1e-9
    assert fill.height() > 0
    assert abs(fill.top() - min(front.top(), pot.top())) < 1e-9
    assert abs(fill.bottom() - max(front.bottom(), pot.bottom())) < 1e-9


def test_the_legend_takes_new_entries_in_one_layout(window, monkeypatch) -> None:
    from rsiviz.gui.legend import RowLegend

    legend, plots = window.plots.legend, window.plots
    grids = []
    original = RowLegend._regrid
    monkeypatch.setattr(RowLegend, "_regrid", lambda self: (grids.append(1), original(self)))
    entries = [
        (plots.frontier, "Capability"),
        (plots.oversight, "Oversight"),
        (plots.ghost_cap, "Previous run"),
    ]
    legend.set_entries(entries)
    assert len(grids) == 1
    assert [label.text for _, label in legend.items] == ["Capability", "Oversight", "Previous run"]
    assert [sample.item for sample, _ in legend.items] == [c for c, _ in entries]


def test_the_legend_keeps_the_entries_it_shows_and_drops_the_others(window) -> None:
    """An edit that adds the previous run's ghost re-uses every other entry's label (each
    costs milliseconds of text layout) and a dropped entry leaves the scene."""
    legend, plots = window.plots.legend, window.plots
    legend.set_entries([(plots.frontier, "Capability"), (plots.oversight, "Oversight")])
    before = {label.text: label for _, label in legend.items}
    legend.set_entries(
        [
            (plots.frontier, "Capability"),
            (plots.ghost_cap, "Previous run"),
            (plots.oversight, "Oversight"),
        ]
    )
    assert [label.text for _, label in legend.items] == ["Capability", "Previous run", "Oversight"]
    assert legend.items[0][1] is before["Capability"] and legend.items[2][1] is before["Oversight"]
    dropped = legend.items[0]
    legend.set_entries([(plots.ghost_cap, "Previous run"), (plots.oversight, "Oversight")])
    assert [label.text for _, label in legend.items] == ["Previous run", "Oversight"]
    assert all(part.scene() is None for part in dropped)  # removed, not hidden
    legend.set_entries([(plots.ghost_cap, "Previous run (renamed)")])  # same item, new name
    assert [label.text for _, label in legend.items] == ["Previous run (renamed)"]


def test_no_curve_runs_behind_a_development_pause_end_label(window, qtbot) -> None:
    """The end label's opaque backing sat over the newest stretch of the frontier once it
    rose to the top of the plot (pause_2028_instant at 2031, 1280x720): the plot keeps its
    data below the labels."""
    from PySide6.QtCore import QPointF

    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.live_curve import LiveCurve

    window.resize(1280, 720)
    window.controller.load(load_preset("pause_2028_instant"))
    window.controller.run_until(2031.0)
    qtbot.wait(50)
    plots = window.plots
    labels = [
        lb for lb in plots.top_spans.labels() if lb.isVisible() and lb.parentItem().isVisible()
    ]
    assert labels, "the development pause has ended by 2031: its label shows"
    view = plots.top.getViewBox()
    curves = [c for c in view.addedItems if isinstance(c, LiveCurve) and c.isVisible()]
    assert any(c.xData is not None and len(c.xData) > 50 for c in curves)
    for label in labels:
        box = label.sceneBoundingRect()
        for curve in curves:
            if curve.xData is None:
                continue
            for x, y in zip(curve.xData, curve.yData, strict=True):
                point = view.mapViewToScene(QPointF(float(x), float(y)))
                assert not box.contains(point), (curve.opts.get("name"), x, y)


def test_a_new_run_with_a_new_range_paints_the_chart_once(window, qtbot) -> None:
    """The view boxes settle their new range before the paint: pyqtgraph left alone moves
    the items during the paint, and Qt paints the whole chart a second time."""
    import dataclasses

    from rsiviz.core.scenario import load_preset

    ctl, plots = window.controller, window.plots
    snaps = []
    for returns in (0.6, 1.2):
        sc = load_preset("race_one_lab_defects")
        ctl.load(dataclasses.replace(sc, params=sc.params.replace(software_returns=returns)))
        ctl.runner.wait_idle(60)
        ctl.advance(ctl.sim.n_months - ctl.sim.month)
        qtbot.wait(100)
        snaps.append(plots.snapshot)
    ranges = set()
    paints = _Events(QEvent.Type.Paint)
    plots.viewport().installEventFilter(paints)
    for snap in [*snaps, *snaps]:
        qtbot.wait(50)
        paints.count = 0
        plots.show_snapshot(snap)
        qtbot.wait(150)  # every paint the new run asks for
        ranges.add(tuple(plots.top.viewRange()[1]))
        assert paints.count == 1
    assert len(ranges) == 2  # each run its own range


def test_axis_titles_are_measured_as_the_label_would_be(window) -> None:
    """fit_title measures candidates on a scratch document: the width it finds is the
    label's own once set, for every candidate size and both titles."""
    from rsiviz.gui.plot_items import _label_width, short_title

    for plot in (window.plots.top, window.plots.bottom):
        axis = plot.getAxis("left")
        title = axis.labelText
        for text in (title, short_title(title)):
            for size in ("9.0pt", "14.5pt", "30.0pt"):
                style = {"font-size": size, "color": "#123456"}
                predicted = _label_width(axis, text, style)
                axis.setLabel(text, **style)
                assert predicted == axis.label.boundingRect().width() > 0


def test_value_axes_never_take_an_si_prefix(window) -> None:
    """A range inside (0, 1) made pyqtgraph append "(x0.001)" to a unitless title, and
    re-render the title at every range change."""
    for plot in (window.plots.top, window.plots.bottom):
        plot.setYRange(0.0, 0.004, padding=0)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            assert not axis.autoSIPrefix and axis.autoSIPrefixScale == 1.0
            assert "(x" not in axis.labelString()
