"""Undo restores the previous scenario exactly; redo re-applies; a new edit drops redo."""

from __future__ import annotations

import dataclasses

import pytest

from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.scenario import Scenario
from rsiviz.core.undo import UndoStack

A = Scenario()
B = dataclasses.replace(A, params=A.params.replace(software_returns=2.0))
C = dataclasses.replace(B, pauses=(DevelopmentPause.at(2028.0),))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_undo_restores_exactly_and_redo_reapplies() -> None:
    stack: UndoStack[Scenario] = UndoStack()
    stack.push(A)  # A -> B
    stack.push(B)  # B -> C
    assert stack.undo(C) == B
    restored = stack.undo(B)
    assert restored == A and restored is A  # the very value, so equal field for field
    assert stack.undo(A) is None and not stack.can_undo
    assert stack.redo(A) == B
    assert stack.redo(B) == C
    assert stack.redo(C) is None and not stack.can_redo


def test_a_new_edit_after_undo_drops_the_redo_branch() -> None:
    stack: UndoStack[Scenario] = UndoStack()
    stack.push(A)
    stack.push(B)
    assert stack.undo(C) == B
    stack.push(B)  # B -> something else
    assert not stack.can_redo
    assert stack.undo(C) == B and stack.undo(B) == A


def test_a_slider_drag_coalesces_into_one_step_until_sealed() -> None:
    clock = Clock()
    stack: UndoStack[float] = UndoStack(clock=clock)
    for i, value in enumerate([1.0, 1.1, 1.2, 1.3]):
        clock.now = 0.1 * i
        stack.push(value, group="param:software_returns")
    assert len(stack) == 1 and stack.undo(1.4) == 1.0
    stack.push(2.0, group="param:a")
    stack.seal()  # slider released
    stack.push(2.1, group="param:a")
    clock.now += 5.0
    stack.push(2.2, group="param:a")  # same group but long after: a new step
    stack.push(3.0, group="param:b")  # another parameter: a new step
    assert len(stack) == 4


def test_the_history_is_bounded() -> None:
    stack: UndoStack[int] = UndoStack(limit=3)
    for i in range(10):
        stack.push(i)
    assert [stack.undo(99), stack.undo(99), stack.undo(99), stack.undo(99)] == [9, 8, 7, None]
    with pytest.raises(ValueError, match="at least 1"):
        UndoStack(limit=0)
