"""Undo and redo of parameter and development-pause edits, exact, in the controller and window."""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import Qt

from rsiviz.core.history import History


def _same_run(ctl) -> None:
    """The live run equals a fresh run of the live scenario, month for month."""
    assert ctl.runner.wait_idle(60)  # a slow re-run may finish in the background
    fresh = ctl.current_scenario().simulation().run()
    h: History = ctl.sim.history
    n = h.length
    for name in ("capability", "oversight", "progress_multiplier"):
        np.testing.assert_array_equal(getattr(h, name)(), getattr(fresh, name)()[:n])
    np.testing.assert_array_equal(h.any_paused(), fresh.any_paused()[:n])


def test_parameter_and_development_pause_undone_exactly(controller) -> None:
    ctl = controller
    original = ctl.current_scenario()
    ctl.set_param("software_returns", 2.0)
    ctl.flush()
    ctl.scrub(30)  # look back to mid-2028 and start a development pause there
    assert ctl.start_development_pause(months=18)
    edited = ctl.current_scenario()
    assert len(edited.pauses) == 1 and edited.params.software_returns == 2.0
    assert ctl.undo() and ctl.undo()
    assert ctl.current_scenario() == original
    assert not ctl.live_pauses and ctl.counterfactual is None
    _same_run(ctl)
    assert not ctl.undo()  # nothing left
    assert ctl.redo() and ctl.redo()
    assert ctl.current_scenario() == edited
    _same_run(ctl)
    assert ctl.counterfactual is not None  # the run without the live pause is back


def test_a_new_edit_after_undo_drops_redo(controller) -> None:
    ctl = controller
    ctl.set_param("compute_growth", 0.3)
    ctl.flush()
    ctl.undo()
    ctl.set_param("compute_growth", 0.4)
    ctl.flush()
    assert not ctl.undo_stack.can_redo and not ctl.redo()
    assert ctl.scenario.params.compute_growth == 0.4


def test_a_slider_drag_is_one_step_and_a_no_op_records_nothing(controller) -> None:
    ctl = controller
    before = ctl.current_scenario()
    for value in (1.3, 1.4, 1.5, 1.6):  # what a slider sends while it is dragged
        ctl.set_param("software_returns", value)
        ctl.flush()
    ctl.set_param("software_returns", 1.6)
    ctl.flush()  # unchanged: nothing to undo
    assert len(ctl.undo_stack) == 1
    assert ctl.undo() and ctl.current_scenario() == before


def test_reset_scheduled_pauses_and_loads_are_undoable(controller) -> None:
    from rsiviz.core.interventions import DevelopmentPause
    from rsiviz.core.scenario import load_preset

    ctl = controller
    ctl.add_scheduled_pause(DevelopmentPause.at(2029.0))
    with_pause = ctl.current_scenario()
    ctl.clear_scheduled_pauses()
    ctl.load(load_preset("slow_takeoff"))
    assert ctl.undo() and ctl.current_scenario() == dataclasses.replace(with_pause, pauses=())
    assert ctl.undo() and ctl.current_scenario() == with_pause
    assert ctl.undo() and ctl.current_scenario().pauses == ()


def test_ctrl_z_and_ctrl_shift_z_in_the_window(window, qtbot) -> None:
    ctl = window.controller
    original = ctl.current_scenario()
    assert not window.actions.undo.isEnabled()
    ctl.set_param("software_returns", 2.5)
    ctl.flush()
    assert window.actions.undo.isEnabled() and not window.actions.redo.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctl.current_scenario() == original
    assert window.actions.redo.isEnabled()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert ctl.scenario.params.software_returns == 2.5
    ctl.undo()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert ctl.scenario.params.software_returns == 2.5
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Edit" in menus


def test_ending_a_development_pause_now_is_undoable(controller) -> None:
    ctl = controller
    ctl.run_until(2028.0)
    assert ctl.start_development_pause(months=24)
    started = ctl.current_scenario()
    ctl.run_until(2028.5)
    assert ctl.end_development_pause_now()
    ended = ctl.current_scenario()
    assert ended != started and ended.pauses[0].months == 6.0
    assert ctl.undo() and ctl.current_scenario() == started
    _same_run(ctl)
    assert ctl.redo() and ctl.current_scenario() == ended
    _same_run(ctl)
