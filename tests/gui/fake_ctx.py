"""A small view context for testing views on their own (the window is not needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from rsiviz.gui.theme import Theme


class SyncJobs(QObject):
    """The Jobs interface, running each job at once on the calling thread."""

    started = Signal(str)
    progress = Signal(str, int, int)
    finished = Signal(str)
    failed = Signal(str, str)

    def submit(self, key: str, fn: Any, on_done: Any, on_error: Any = None) -> None:
        jobs = self

        class Progress:
            def report(self, done: int, total: int) -> None:
                jobs.progress.emit(key, done, total)

        self.started.emit(key)
        try:
            result = fn(Progress())
        except Exception as exc:  # the real Jobs reports any failure the same way
            self.failed.emit(key, str(exc))
            if on_error is not None:
                on_error(str(exc))
            return
        on_done(result)
        self.finished.emit(key)

    def wait_idle(self, timeout_s: float = 0.0) -> bool:
        return True


@dataclass
class FakeContext:
    controller: Any
    jobs: Any = field(default_factory=SyncJobs)
    theme: Theme = field(default_factory=Theme)
    view_state: Any = None
    messages: list[tuple[str, str]] = field(default_factory=list)
    focused: list[str] = field(default_factory=list)

    def focus_param(self, name: str) -> None:
        self.focused.append(name)

    def show_message(self, level: str, text: str) -> None:
        self.messages.append((level, text))
