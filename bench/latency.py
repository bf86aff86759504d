"""The GUI thread's responsiveness, shared by the benchmarks: a probe timer's lateness.

A 5 ms QTimer on the GUI thread records how late each timeout arrives: the largest
lateness is the longest the event loop could not serve the window (the target is <= 50 ms
while background work runs). :func:`idle_latency` measures the same with no background
job, for scale: what the machine's own load costs.

Used by bench_fan.py, bench_sweep.py and bench_soak.py (run from the repository root, as
``python bench/NAME.py``: this directory is then first on the import path).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

TICK_MS = 5


class LatencyProbe:
    """A ``TICK_MS`` timer on the GUI thread; :attr:`late` holds each tick's lateness (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.late: list[float] = []
        self.at: list[float] = []  # perf_counter() of each tick
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    @property
    def worst_ms(self) -> float:
        """The largest lateness since :meth:`start` (ms; 0 before any tick)."""
        return max(self.late, default=0.0)

    def worst_between(self, start: float, end: float) -> float:
        """The largest lateness (ms) of the ticks that fired between two perf_counter()s."""
        return max(
            (x for x, t in zip(self.late, self.at, strict=True) if start <= t < end), default=0.0
        )

    def start(self) -> None:
        self.late.clear()
        self.at.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, (now - self._last) * 1000.0 - TICK_MS))
        self.at.append(now)
        self._last = now


def spin(app: Any, seconds: float) -> None:
    """Serve the event loop for ``seconds`` as the window's own loop does: asleep until an
    event comes. (Until 2026-12-02 this polled, ``processEvents()`` and a 1 ms sleep in
    turn: ~1,000 wake-ups a second that took CPU from the fan's two child processes on a
    2-core machine, which the app, waiting in its event loop, does not.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, round(seconds * 1000)), loop.quit)
    loop.exec()


def wait_for(done: Callable[[], bool], signal: Any, timeout_s: float, what: str) -> None:
    """Serve the event loop, as :func:`spin`, until ``done()``: checked whenever ``signal``
    fires. Exits the benchmark (naming ``what``) when that takes over ``timeout_s``."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if done():
            loop.quit()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    signal.connect(check)
    timer.start(round(timeout_s * 1000))
    try:
        loop.exec()
    finally:
        signal.disconnect(check)
        timer.stop()
    if not done():
        raise SystemExit(f"{what} did not finish within {timeout_s:g} s")


def idle_latency(app: Any, seconds: float = 2.0) -> float:
    """Worst lateness (ms) with no background work: the machine's own scheduling noise."""
    probe = LatencyProbe()
    probe.start()
    spin(app, seconds)
    probe.stop()
    return probe.worst_ms
