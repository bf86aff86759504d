"""A playing run repaints only the new stretch of its curves (a strip chart), and what
it leaves on screen is exactly what a full repaint draws.

The pixels compared are the window's backing store (what a user sees), read with
``QScreen.grabWindow`` after frames painted one by one, against the same window after
its plots were repainted whole."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtWidgets import QApplication

import rsiviz.gui.live_curve as live_curve
from rsiviz.gui.live_curve import LiveCurve
from rsiviz.gui.strip_items import GrowingFill, SpanRect

X = np.linspace(2026.0, 2038.0, 145)
Y = np.cumsum(np.sin(np.linspace(0, 9, 145))) * 0.3


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return rows[:, : image.width()].astype(int)


def _on_screen(widget) -> np.ndarray:  # type: ignore[no-untyped-def]
    """What the window's backing store holds now (not a fresh render)."""
    return _pixels(QApplication.primaryScreen().grabWindow(widget.winId()).toImage())


class _Areas(QObject):
    """Pixels repainted per paint event of one widget."""

    def __init__(self, widget) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.areas: list[int] = []
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
        if obj is self.widget and event.type() == QEvent.Type.Paint:
            self.areas.append(sum(r.width() * r.height() for r in event.region()))
        return False


def _play_frames(window, qtbot, frames: int, playing: bool = True) -> None:  # type: ignore[no-untyped-def]
    """A run with a 24-month development pause (its shading, the overhang's fill and the
    counterfactual's dashed curves all grow), then ``frames`` live frames painted one by
    one, as the play timer paints them (or stepped: drawn as stills)."""
    ctl = window.controller
    ctl.run_until(ctl.sim.time + 2.0)
    ctl.start_development_pause(months=24)
    if playing:
        ctl.play()
        ctl._timer.setInterval(3_600_000)  # stepped here, not by the timer
    app = QApplication.instance()
    for _ in range(frames):
        ctl.advance(1)
        app.processEvents()


@pytest.mark.parametrize("playing", [True, False])
def test_frames_painted_one_by_one_leave_what_a_full_repaint_draws(window, qtbot, playing):
    _play_frames(window, qtbot, 48, playing)  # through the pause's end and range changes
    assert window.plots.frontier.partial_updates > 20  # (the strip chart was used)
    seen = _on_screen(window)
    window.plots.viewport().repaint()
    QApplication.processEvents()
    assert np.array_equal(seen, _on_screen(window))


def test_the_pixel_check_sees_a_strip_repainted_too_narrow(window, qtbot, monkeypatch):
    """The check above can fail: with the repainted strip narrower than the pen, stale
    pixels stay on screen and differ from the full repaint."""
    monkeypatch.setattr(live_curve, "_PAD_PX", -3.5)
    _play_frames(window, qtbot, 30)
    seen = _on_screen(window)
    window.plots.viewport().repaint()
    QApplication.processEvents()
    assert not np.array_equal(seen, _on_screen(window))


def test_a_playing_frame_repaints_a_thin_strip_of_the_plots(window, qtbot):
    viewport = window.plots.viewport()
    _play_frames(window, qtbot, 5)
    areas = _Areas(viewport)
    ranges = []
    app = QApplication.instance()
    for _ in range(40):
        before = dict(window.plots._y_ranges)
        window.controller.advance(1)
        app.processEvents()
        ranges.append(before != window.plots._y_ranges)
    whole = viewport.width() * viewport.height()
    steady = [a for a, moved in zip(areas.areas, ranges, strict=True) if not moved]
    assert len(areas.areas) == 40
    assert len(steady) >= 30  # a range that must grow grows with room to spare
    assert max(steady) < 0.04 * whole  # a strip: the new month of each curve


def _view(qtbot, *items):  # type: ignore[no-untyped-def]
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.setXRange(2026, 2038, padding=0)
    widget.setYRange(float(Y.min()) - 3, float(Y.max()) + 3, padding=0)
    for item in items:
        widget.addItem(item)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_live_curve_repaints_a_strip_only_when_its_data_only_grew(qtbot):
    curve = LiveCurve(pen=pg.mkPen("k", width=4))
    widget = _view(qtbot, curve)

    def show(n: int, y: np.ndarray = Y) -> None:
        curve.set_xy(X[:n], y[:n], (float(y[:n].min()), float(y[:n].max())))

    show(10)
    show(11)  # grown: the curve now holds its bounding rectangle (one whole repaint)
    show(12)
    show(13)
    assert curve.partial_updates == 2 and curve.grown_from == 12
    generation = curve.generation
    show(13)  # the same data: nothing to do
    assert curve.generation == generation
    show(14, Y + 0.01)  # earlier points changed: the whole curve again
    assert curve.partial_updates == 2 and curve.grown_from is None
    show(15, Y + 0.01)
    show(16, Y + 0.01)
    assert curve.partial_updates == 3
    assert widget.isVisible()
    # the held bounding rectangle holds all the data, padded
    rect = curve.boundingRect()
    assert rect.left() < X[0] and rect.right() > X[15]
    assert rect.top() < (Y[:16] + 0.01).min() and rect.bottom() > (Y[:16] + 0.01).max()


def _fill_image(path) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(240, 240, QImage.Format.Format_ARGB32)
    image.fill(0)
    p = QPainter(image)
    p.setTransform(QTransform.fromScale(18, 30) * QTransform.fromTranslate(5, 120))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("red"))
    p.drawPath(path)
    p.end()
    return image


def test_growing_fill_fills_what_pyqtgraph_fills_and_repaints_its_new_stretch(qtbot):
    x = np.linspace(0, 10, 50)
    low, high = LiveCurve(pen=pg.mkPen("k")), LiveCurve(pen=pg.mkPen("b"))
    fill = GrowingFill(low, high, brush=(0, 0, 255, 50))
    widget = _view(qtbot, low, high, fill)
    for n in (20, 21, 22):
        low.set_xy(x[:n], np.sin(x[:n]), (-1.0, 1.0))
        high.set_xy(x[:n], np.sin(x[:n]) + np.cos(x[:n]), (-1.5, 1.5))
        fill.updatePath()
    assert fill.partial_updates == 2  # the first fill is whole, then two strips
    theirs = pg.FillBetweenItem(low, high)
    assert _fill_image(fill.path()) == _fill_image(theirs.path())
    low.set_xy(x[:22], np.sin(x[:22]) + 0.1, (-1.0, 1.1))  # changed, not grown
    fill.updatePath()
    assert fill.partial_updates == 2 and widget.isVisible()


def test_span_rect_repaints_the_strip_its_end_moved_over(qtbot):
    span = SpanRect(brush=(200, 100, 0, 60))
    widget = _view(qtbot, span)
    span.setRegion((2028.0, 2028.5))
    span.setRegion((2028.0, 2028.6))
    span.setRegion((2028.0, 2028.7))
    assert span.partial_updates == 3  # (the first: from its initial 0..1, held since shown)
    assert span.getRegion() == (2028.0, 2028.7)
    rect = span.boundingRect()
    assert rect.left() <= 2028.0 and rect.right() >= 2028.7 and widget.isVisible()


def _painted(widgets, action) -> dict:  # type: ignore[no-untyped-def]
    """How many paint events each of ``widgets`` got while ``action`` ran (and painted)."""

    class Count(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: dict[int, int] = {id(w): 0 for w in widgets}

        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and id(obj) in self.seen:
                self.seen[id(obj)] += 1
            return False

    count = Count()
    app = QApplication.instance()
    app.installEventFilter(count)
    try:
        action()
        app.processEvents()
    finally:
        app.removeEventFilter(count)
    return {w: count.seen[id(w)] for w in widgets}


def test_new_readout_texts_repaint_the_labels_not_what_lies_under_them(window, qtbot):
    _play_frames(window, qtbot, 3)
    dock = window.findChild(QObject, "dock-clock")
    clock = dock.widget()
    under = [dock, clock, window, window.transport]

    def frame() -> None:
        window.controller.advance(1)

    seen = _painted([*under, window.transport.year, clock.multiplier], frame)
    assert seen[window.transport.year] == 1 and seen[clock.multiplier] == 1  # (they did)
    assert all(seen[w] == 0 for w in under)


def test_a_stage_frame_repaints_the_plots_and_readouts_alone(window, qtbot):
    from rsiviz.gui.stage import Stage

    stage = Stage(window.controller)
    qtbot.addWidget(stage)
    stage.resize(1280, 720)
    stage.show()
    qtbot.waitExposed(stage)
    _play_frames(window, qtbot, 3)
    seen = _painted(
        [stage, stage.plots, stage.plots.viewport()], lambda: window.controller.advance(1)
    )
    assert seen[stage.plots.viewport()] == 1
    assert seen[stage] == 0 and seen[stage.plots] == 0  # (under style sheets too)


def test_a_hidden_window_draws_nothing_until_shown_and_then_the_newest_frame(window, qtbot):
    _play_frames(window, qtbot, 3)
    window.hide()
    drawn = window.plots.snapshot
    window.controller.advance(5)
    QApplication.processEvents()
    assert window.plots.snapshot is drawn  # nothing drawn while hidden
    window.show()
    qtbot.waitExposed(window)
    assert window.plots.snapshot.view_month == window.controller.snapshot().view_month
    assert window.transport.year.text() == f"{window.controller.snapshot().year:.1f}"


def test_the_scrubber_repaints_its_handle_only_and_leaves_what_a_full_repaint_draws(window, qtbot):
    scrubber = window.transport.scrubber
    assert scrubber.handle_only()  # (Fusion draws the groove alike at every value)
    _play_frames(window, qtbot, 3)
    seen = _painted([scrubber], lambda: window.controller.advance(1))
    assert seen[scrubber] == 0  # playing: range and value grew, the handle stayed right
    window.controller.stop()
    QApplication.processEvents()
    window.controller.scrub(10)  # the handle moves: its old and new places repainted
    QApplication.processEvents()
    assert scrubber.partial_updates > 0
    seen = _on_screen(window)
    scrubber.repaint()
    QApplication.processEvents()
    assert np.array_equal(seen, _on_screen(window))


def test_a_style_that_fills_the_groove_to_the_handle_gets_whole_repaints(qtbot):
    from PySide6.QtWidgets import QProxyStyle, QStyle

    from rsiviz.gui.scrubber import Scrubber

    class Filled(QProxyStyle):
        """Fills the groove up to the handle (as macOS does)."""

        def drawComplexControl(self, control, opt, painter, widget=None):  # type: ignore[no-untyped-def]
            super().drawComplexControl(control, opt, painter, widget)
            if control == QStyle.ComplexControl.CC_Slider:
                handle = self.subControlRect(
                    control, opt, QStyle.SubControl.SC_SliderHandle, widget
                )
                painter.fillRect(0, 0, handle.left(), opt.rect.height(), QColor("blue"))

    scrubber = Scrubber(Qt.Orientation.Horizontal)
    qtbot.addWidget(scrubber)
    style = Filled()
    scrubber.setStyle(style)
    scrubber.resize(400, 24)
    scrubber.setRange(0, 100)
    scrubber.show()
    qtbot.waitExposed(scrubber)
    assert not scrubber.handle_only()
    scrubber.setValue(40)
    QApplication.processEvents()
    assert scrubber.partial_updates == 0
    assert scrubber.grab().toImage().pixelColor(100, 12) == QColor("blue")


def test_a_window_under_the_full_screen_stage_draws_nothing_until_it_can_be_seen(window, qtbot):
    """One screen (a laptop mirrored to the projector): the stage covers the window, which
    Qt would otherwise still draw every frame. Made active, or after Esc, it is live."""
    _play_frames(window, qtbot, 3)
    presenter = window.start_presenter()
    stage = presenter.stage
    qtbot.waitExposed(stage)
    qtbot.waitUntil(lambda: stage.isActiveWindow() and not window.isActiveWindow())
    assert stage.isFullScreen() and stage.screen() is window.screen()
    drawn = window.plots.snapshot
    window.controller.advance(5)
    QApplication.processEvents()
    assert window.plots.snapshot is drawn  # covered: not drawn
    assert stage.plots.snapshot.view_month == window.controller.snapshot().view_month
    window.activateWindow()  # the speaker switches to the window: live at once
    qtbot.waitUntil(window.isActiveWindow)
    assert window.plots.snapshot.view_month == window.controller.snapshot().view_month
    window.controller.advance(2)
    QApplication.processEvents()
    assert window.plots.snapshot.view_month == window.controller.snapshot().view_month
    stage.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    window.controller.advance(2)
    QApplication.processEvents()
    assert window.plots.snapshot.view_month < window.controller.snapshot().view_month
    presenter.stop()  # Esc: the window shows the newest frame
    QApplication.processEvents()
    assert window.plots.snapshot.view_month == window.controller.snapshot().view_month


def test_a_stage_in_a_window_or_on_another_screen_covers_nothing(window, qtbot):
    _play_frames(window, qtbot, 3)
    presenter = window.start_presenter(fullscreen=False)
    qtbot.waitExposed(presenter.stage)
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    window.controller.advance(3)
    QApplication.processEvents()
    assert window.plots.snapshot.view_month == window.controller.snapshot().view_month
    presenter.stop()


def test_the_presenters_stage_scales_to_its_width_and_lays_out_cleanly(window, qtbot):
    """Every export and the layout test scale the stage to its width; the presenter's own
    stage did not, and at 1024 px its 1920-px fonts cut the clock's readouts off."""
    from rsiviz.gui.layout_audit import problems
    from rsiviz.gui.stage import REFERENCE_WIDTH, STAGE_SCALE

    _play_frames(window, qtbot, 3)
    presenter = window.start_presenter(fullscreen=False)
    stage = presenter.stage
    qtbot.waitExposed(stage)
    for size in ((1024, 768), (1280, 720), (1920, 1080)):
        stage.resize(*size)
        qtbot.waitUntil(lambda size=size: stage.width() == size[0])
        QApplication.processEvents()
        assert stage.theme.scale == pytest.approx(STAGE_SCALE * size[0] / REFERENCE_WIDTH)
        assert problems(stage) == [], size
    presenter.stop()
