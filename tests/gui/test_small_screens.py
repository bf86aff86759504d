"""The window on small screens (issue 9): it fits 800x600, and on a 1280x720 projector the
clock's readouts stay inside their dock and the development pause panel scrolls instead."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(Controller(), settings=settings, restore_layout=False)
    qtbot.addWidget(w)
    return w


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
    pause_dock = win.docks.panels["development_pause"]
    dock_bottom = clock_dock.mapTo(win, QPoint(0, 0)).y() + clock_dock.height()
    assert dock_bottom <= pause_dock.mapTo(win, QPoint(0, 0)).y()
    for label in win.clock.readouts.values():
        _x, y, _w, h = _rect_in_window(label, win)
        assert y + h <= dock_bottom, (label.text(), y + h, dock_bottom)
        needed = label.fontMetrics().boundingRect(0, 0, label.width(), 10_000, 0, label.text())
        assert h >= needed.height(), label.text()  # no line cut off
    # on a big screen the development pause panel shows whole (no scroll bar)
    if size[1] >= 1080:
        assert not win.docks.panels["development_pause"].widget().verticalScrollBar().isVisible()
