"""A bounded undo/redo history of immutable values (scenarios), Qt-free.

The window records the state *before* every parameter or development-pause edit; undo
returns it and keeps the state it replaces for redo. Values are frozen dataclasses, so
restoring one is exact. A slider drag sends many edits with the same ``group`` in quick
succession: they coalesce into one step, so one Ctrl+Z undoes the whole drag.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 200
COALESCE_SECONDS = 1.0  # edits of one group closer than this are one step (a slider drag)


class UndoStack(Generic[T]):
    """Undo and redo over values of type ``T``.

    Parameters
    ----------
    limit : most steps kept; the oldest is dropped beyond it.
    coalesce_seconds : edits of the same ``group`` within this time of the previous one
        merge into one step (until :meth:`seal`).
    clock : seconds, monotonic (tests pass a fake one).
    """

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        coalesce_seconds: float = COALESCE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError(f"undo limit {limit} must be at least 1")
        self._undo: deque[T] = deque(maxlen=limit)
        self._redo: list[T] = []
        self._coalesce = coalesce_seconds
        self._clock = clock
        self._group: str | None = None
        self._last = -float("inf")

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def __len__(self) -> int:
        return len(self._undo)

    def push(self, before: T, group: str | None = None) -> None:
        """Record ``before``, the state an edit is about to replace; drops the redo branch.

        An edit in the same non-None ``group`` as the previous one, within
        ``coalesce_seconds`` of it, extends that step instead (its ``before`` stays).
        """
        now = self._clock()
        same = group is not None and group == self._group and now - self._last <= self._coalesce
        if not (same and self._undo):
            self._undo.append(before)
        self._redo.clear()
        self._group, self._last = group, now

    def seal(self) -> None:
        """End coalescing: the next edit is a new step (e.g. a slider was released)."""
        self._group = None

    def undo(self, current: T) -> T | None:
        """The state before the last step (None if there is none); ``current`` goes to redo."""
        if not self._undo:
            return None
        self._redo.append(current)
        self.seal()
        return self._undo.pop()

    def redo(self, current: T) -> T | None:
        """The state the last undo replaced (None if there is none)."""
        if not self._redo:
            return None
        self._undo.append(current)
        self.seal()
        return self._redo.pop()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self.seal()
