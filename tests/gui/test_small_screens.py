"""The window on small screens (issue 9): it fits 800x600, and on a 1280x720 projector the
clock's readouts stay inside their dock and the development pause panel scrolls instead.
The views opened at the bottom keep their text whole at 1024x768 and 1280x720: the fan's
side panel wraps to its width, the sensitivity text stays off the chart, the sweep map's
boxes and axis titles are not cut."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

VIEW_SIZES = [(1024, 768), (1280, 720)]


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Controller(), settings=settings, restore_layout=False)
    qtbot.addWidget(w)
    yield w
    w.jobs.cancel_all()
    w.jobs.wait_idle(10.0)
    w.controller.stop()


def _show(qtbot, win, width: int, height: int) -> None:
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win._size_panels()  # as on a first start at this size
    qtbot.wait(50)


def _rect_in_window(widget: QWidget, win) -> tuple[int, int, int, int]:
    top_left = widget.mapTo(win, QPoint(0, 0))
    return top_left.x(), top_left.y(), widget.width(), widget.height()


def test_the_window_fits_800x600(win, qtbot) -> None:
    _show(qtbot, win, 800, 600)
    hint = win.minimumSizeHint()
    assert hint.width() <= 800 and hint.height() <= 600, hint
    assert win.width() == 800
    # the year is never cut ("202"): its label is as wide as its text needs
    year = win.transport.year
    assert year.width() >= year.fontMetrics().horizontalAdvance(year.text())
    x, _y, w, _h = _rect_in_window(year, win)
    assert x + w <= win.centralWidget().width()
    # every transport control is on screen, the scrubber included
    for w in (win.transport.play, win.transport.speed, win.transport.scrubber):
        x, _y, width, _h = _rect_in_window(w, win)
        assert width > 0 and x + width <= win.centralWidget().width()


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (1920, 1080)])
def test_clock_readouts_stay_in_their_dock(win, qtbot, size) -> None:
    _show(qtbot, win, *size)
    clock_dock = win.docks.panels["clock"]
    # the dock under the clock: the development pause, or (a short window) its tab group
    below = win.docks.panels["development_pause" if size[1] >= 1080 else "parameters"]
    dock_bottom = clock_dock.mapTo(win, QPoint(0, 0)).y() + clock_dock.height()
    assert dock_bottom <= below.mapTo(win, QPoint(0, 0)).y()
    for label in win.clock.readouts.values():
        _x, y, _w, h = _rect_in_window(label, win)
        assert y + h <= dock_bottom, (label.text(), y + h, dock_bottom)
        needed = label.fontMetrics().boundingRect(0, 0, label.width(), 10_000, 0, label.text())
        assert h >= needed.height(), label.text()  # no line cut off
    # on a big screen the development pause panel shows whole (no scroll bar)
    if size[1] >= 1080:
        assert not win.docks.panels["development_pause"].widget().verticalScrollBar().isVisible()


def _open(qtbot, win, key: str, size: tuple[int, int]) -> QWidget:
    """The view ``key`` opened as ``rsiviz --show KEY`` does, at ``size``, its work done."""
    _show(qtbot, win, *size)
    view = win.docks.open_view(key)
    if key == "fan":
        view.members.setValue(50)  # quicker than 1,000; the texts are as long
        view.job.request(force=True)
    assert win.jobs.wait_idle(120.0)
    qtbot.wait(100)  # the layout settles (the readouts rearrange)
    return view


def _rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())
    )


def _cut_off(widget: QWidget, viewport: QWidget) -> str:
    """Why ``widget``'s text does not show whole inside ``viewport``'s width ('' if it does)."""
    right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
    if right > viewport.width():
        return f"its right edge {right} is past the viewport's {viewport.width()}"
    if isinstance(widget, QLabel) and widget.text():
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height():
                return f"it needs {needed} px of height at its width, has {widget.height()}"
        elif not _rich(widget):  # plain text, not wrapped: as wide as its longest line
            advance = max(
                widget.fontMetrics().horizontalAdvance(t) for t in widget.text().split("\n")
            )
            if advance > widget.contentsRect().width():
                return f"its text needs {advance} px, it has {widget.contentsRect().width()}"
    if isinstance(widget, QCheckBox) and widget.width() < widget.sizeHint().width():
        return f"{widget.width()} px wide, its text needs {widget.sizeHint().width()}"
    return ""


@pytest.mark.parametrize("size", VIEW_SIZES)
def test_the_fan_panel_wraps_to_its_width(win, qtbot, size) -> None:
    """Every text in the fan's side panel shows whole (it was laid out wider than the
    panel at 1024x768: "Uncertain: au", "With the development With")."""
    view = _open(qtbot, win, "fan", size)
    scroll = view.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert scroll.widget().width() <= viewport.width()
    assert view.readouts.labels[("m5", "without_development_pause")].text() != "-"
    checked = 0
    for widget in scroll.widget().findChildren(QWidget):
        inside_table = view.table.isAncestorOf(widget)  # the table scrolls sideways
        if inside_table or not widget.isVisible() or not isinstance(widget, QLabel | QCheckBox):
            continue
        why = _cut_off(widget, viewport)
        assert not why, f"{widget.text()!r} at {size}: {why}"
        checked += 1
    assert checked >= 20  # the caveat, status, readouts grid, table title ...


@pytest.mark.parametrize("size", VIEW_SIZES)
def test_the_sensitivity_text_stays_off_the_chart(win, qtbot, size) -> None:
    """The text under the tornado chart scrolls with it rather than being drawn over its
    axis (a squeezed layout put "Current run: ..." over the years)."""
    view = _open(qtbot, win, "sensitivity", size)
    assert view.status.text().startswith("Current run")
    plot_bottom = view.plot.mapTo(view, QPoint(0, view.plot.height())).y()
    status_top = view.status.mapTo(view, QPoint(0, 0)).y()
    assert status_top >= plot_bottom, (status_top, plot_bottom)
    for label in (view.status, view.explain):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert view.plot.height() >= view.plot.minimumHeight()


@pytest.mark.parametrize("size", VIEW_SIZES)
def test_the_sweep_controls_and_axis_titles_are_whole(win, qtbot, size) -> None:
    """The range boxes show their values whole ("100.00 x" was cut) and a long parameter
    name on the map's vertical axis wraps instead of running past its ends."""
    view = _open(qtbot, win, "sweep", size)
    view.y_axis.set_param("full_automation_speedup")
    assert win.jobs.wait_idle(120.0)  # re-computed (debounced) and drawn
    qtbot.waitUntil(lambda: view.result is not None and view.result.y_name == view.y_axis.name)
    qtbot.wait(50)
    for axis in (view.x_axis, view.y_axis):
        for box in (axis.low, axis.high, axis.n, axis.param):
            needed = box.sizeHint().width()
            assert box.width() >= needed, (axis.name, box.width(), needed)
    for widget in view.findChildren(QAbstractSpinBox):
        if widget.isVisible():
            assert widget.width() >= widget.minimumSizeHint().width()
    left = view.plot.plot.getAxis("left")
    title = left.label.mapRectToParent(left.label.boundingRect())
    assert title.top() >= -1 and title.bottom() <= left.size().height() + 1, (
        title,
        left.size(),
    )


@pytest.mark.parametrize("size", VIEW_SIZES)
def test_the_release_choice_shows_whole(win, qtbot, size) -> None:
    """In the development pause panel's narrow column (1024x768) the release choice goes
    under its label rather than being cut ("as the parameters sa")."""
    _show(qtbot, win, *size)
    box = win.pause_panel.release
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    text = box.fontMetrics().horizontalAdvance(box.currentText())
    assert field.width() >= text, (box.currentText(), field.width(), text)


def _view_boxes(widget: QWidget) -> list[int]:
    """The heights of the plots' data areas in ``widget``, tallest first."""
    import pyqtgraph as pg

    boxes = [
        item
        for view in widget.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.ViewBox) and item.isVisible()
    ]
    return sorted((round(b.height()) for b in boxes), reverse=True)


@pytest.mark.parametrize("key", ["fan", "sweep", "replication", "sensitivity"])
@pytest.mark.parametrize("size", VIEW_SIZES)
def test_a_view_docked_below_leaves_the_main_plots_readable(win, qtbot, size, key) -> None:
    """A view opened under the main plots of a short window takes less than its share, so
    both stay readable (on a 1280x720 projector the main plots were 48 px high with the fan
    docked), and the lower plot drops its "Year" title there: the ticks are years."""
    view = _open(qtbot, win, key, size)
    top, bottom = (p.getViewBox().height() for p in (win.plots.top, win.plots.bottom))
    assert min(top, bottom) >= 65, (top, bottom)
    assert not win.plots.bottom.getAxis("bottom").label.isVisible()
    assert _view_boxes(view)[0] >= 85, _view_boxes(view)  # the view's main plot or map
    win.resize(1920, 1080)
    qtbot.waitUntil(lambda: win.plots.bottom.getAxis("bottom").label.isVisible())
    assert win.plots.height() >= 380


def _sliders_in_view(win) -> int:
    """Parameter sliders that show whole in the parameters panel, without scrolling."""
    from PySide6.QtWidgets import QSlider

    viewport = win.params.viewport()
    count = 0
    for slider in win.params.findChildren(QSlider):
        top = slider.mapTo(viewport, QPoint(0, 0)).y()
        count += slider.isVisible() and top >= 0 and top + slider.height() <= viewport.height()
    return count


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1366, 768)])
def test_a_short_window_shows_parameter_sliders(win, qtbot, size) -> None:
    """Stacked under the clock, the development pause left the parameters ~90 px: their
    caveat and no slider. A short window tabs the two, the parameters in front, and the
    caveats take one line where they can."""
    _show(qtbot, win, *size)
    panels = win.docks.panels
    assert panels["development_pause"] in win.tabifiedDockWidgets(panels["parameters"])
    # (a dock behind another's tab stays "visible" to Qt, with nothing of it on screen)
    assert win.pause_panel.visibleRegion().isEmpty()
    assert not win.params.visibleRegion().isEmpty()
    assert _sliders_in_view(win) >= 4
    # the window's caveat: one line, however it is worded
    note = win.note
    assert note.height() < 1.5 * note.fontMetrics().lineSpacing() + 2 * note.margin() + 4
    assert "not a forecast" in note.text() and "illustrative" in note.text()
    assert "not a forecast" in win.params.note.text().lower()
    # the development pause is a click away, whole
    panels["development_pause"].raise_()
    qtbot.wait(50)
    assert win.params.visibleRegion().isEmpty()
    button = win.pause_panel.button
    assert button.visibleRegion().boundingRect().height() == button.height()
    # a tornado bar's click (focus_param) brings the parameters back in front
    win.activateWindow()
    win.focus_param("software_returns")
    qtbot.wait(50)
    assert win.pause_panel.visibleRegion().isEmpty()
    assert not win.params.controls["software_returns"].visibleRegion().isEmpty()
    qtbot.waitUntil(lambda: win.params.controls["software_returns"].hasFocus())


def test_a_tall_window_stacks_the_panels(win, qtbot) -> None:
    _show(qtbot, win, 1920, 1080)
    panels = win.docks.panels
    assert not win.tabifiedDockWidgets(panels["parameters"])
    assert not win.pause_panel.visibleRegion().isEmpty()
    assert not win.params.visibleRegion().isEmpty()
    assert _sliders_in_view(win) >= 5
    from rsiviz.gui.main_window import NOTE

    assert win.note.text() == NOTE  # the whole caveat where it fits
    from rsiviz.gui.params_panel import NOTES

    assert win.params.note.text() == NOTES[0]  # the panel's too, in its 2 lines
