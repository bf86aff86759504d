"""Status and controls that don't surprise: true status, P ends a development pause in force,
focused sliders and text fields keep their keys, empty axes say how to start."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


def test_status_says_what_is_true(window, qtbot) -> None:
    ctl, status = window.controller, window.transport.status
    assert status.text().startswith("Ready") and "Play" in status.text()
    assert window.plots.hint.isVisible()  # empty axes say how to start
    ctl.play()
    assert status.text() == "Playing"
    ctl.advance(3)
    assert not window.plots.hint.isVisible()
    ctl.stop()
    assert status.text().startswith("Stopped at")
    ctl.advance(30)
    ctl.start_development_pause(months=12)
    ctl.advance(1)
    assert "development pause is in force" in status.text()
    ctl.scrub(3)
    assert status.text().startswith("Looking back at")
    ctl.advance(ctl.sim.n_months)
    assert status.text().startswith("Ended in") and "Reset" in status.text()


def test_p_during_a_development_pause_ends_it_instead_of_stacking(window, qtbot) -> None:
    ctl = window.controller
    ctl.advance(24)
    qtbot.keyClick(window.plots, Qt.Key.Key_P)
    assert len(ctl.live_pauses) == 1 and window.pause_panel.in_force
    assert window.pause_panel.button.text().startswith("END DEVELOPMENT PAUSE")
    ctl.advance(6)
    frozen = ctl.sim.history.capability()[ctl.sim.month, 0]
    qtbot.keyClick(window.plots, Qt.Key.Key_P)  # end it now, released instantly
    assert len(ctl.live_pauses) == 1  # not a second one on top
    pause = ctl.live_pauses[0]
    assert pause.months == pytest.approx(6.0) and pause.start == pytest.approx(2028.0)
    assert not window.pause_panel.in_force
    ctl.advance(1)
    assert ctl.sim.history.capability()[ctl.sim.month, 0] > frozen + 0.5  # the overhang released
    # the run equals a fresh run of the scenario it reports
    fresh = ctl.current_scenario().simulation()
    fresh.step(ctl.sim.month)
    assert (fresh.history.c[: ctl.sim.month + 1] == ctl.sim.history.c[: ctl.sim.month + 1]).all()


def test_ending_a_scheduled_conditional_pause_keeps_its_release(window, qtbot) -> None:
    from rsiviz.core.interventions import DevelopmentPause

    ctl = window.controller
    pause = DevelopmentPause(
        trigger="condition", metric="capability", threshold=3.0, months=36.0, release="gradual"
    )
    ctl.add_scheduled_pause(pause)
    ctl.reset()
    while not ctl.snapshot().paused:
        ctl.advance(1)
    ctl.advance(4)
    assert ctl.end_development_pause_now()
    (ended,) = ctl.scenario.pauses
    assert ended.trigger == "date" and ended.release == "gradual"
    assert ended.months == pytest.approx(4.0, abs=1e-6)


def test_a_focused_slider_takes_the_arrow_keys(window, qtbot) -> None:
    slider = window.params.controls["software_returns"]
    window.activateWindow()
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    before, month = slider.value(), window.controller.sim.month
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() > before  # the slider moved
    assert window.controller.sim.month == month or window.controller.sim.done  # no Step
    window.plots.setFocus()
    month = window.controller.sim.month
    qtbot.keyClick(window.plots, Qt.Key.Key_Right)  # elsewhere, Right still steps
    assert window.controller.sim.month == month + 1


def test_the_key_filter_follows_the_focus(window, qtbot) -> None:
    """The filter sits on the focused widget only (not on the application, where every
    event of the app would pass through it), and moves on when that widget is deleted."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    from rsiviz.gui.keys import FocusedWidgetKeys

    (keys,) = QApplication.instance().findChildren(FocusedWidgetKeys)  # one for every window
    slider = window.params.controls["software_returns"]
    window.activateWindow()
    slider.setFocus()
    qtbot.waitUntil(lambda: keys.watched is slider)
    box = QLineEdit(window.transport)
    box.show()
    box.setFocus()
    qtbot.waitUntil(lambda: keys.watched is box)
    box.deleteLater()  # deleted while it has the focus
    qtbot.waitUntil(lambda: keys.watched is not box)
    slider.setFocus()
    qtbot.waitUntil(lambda: keys.watched is slider)
    before = slider.value()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() > before


def test_text_typed_into_the_speed_box_is_not_a_shortcut(window, qtbot) -> None:
    box = window.transport.speed
    window.activateWindow()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "12")
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not window.controller.playing  # Space went to the box, not Play
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.controller.speed == pytest.approx(12.0)


def test_ctrl_shortcuts_still_work_from_a_focused_slider(window, qtbot) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    from rsiviz.gui.keys import widget_takes_key

    slider = window.params.controls["software_returns"]
    ctrl_e = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not widget_takes_key(slider, ctrl_e)
    esc = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert not widget_takes_key(window.transport.speed, esc)
