"""The one pattern for slow work: off the GUI thread, with progress, cancel and coalescing.

Fans, sweeps, sensitivity, replication and exports all go through :class:`Jobs`::

    jobs.submit("fan", lambda progress: compute(..., progress=progress.report), on_done)

``fn`` runs on a worker thread and must not touch Qt widgets or pyqtgraph items. It gets a
:class:`Progress`; ``progress.report(done, total)`` publishes progress and raises
:class:`Cancelled` once the job has been cancelled or superseded, so core functions that call
their ``progress`` callback between chunks stop there. ``on_done(result)`` and
``on_error(message)`` run on the GUI thread.

One job per key: submitting a key that is running cancels the running job (its result is
dropped) and queues the new request; a newer request replaces a queued one, so a dragged
slider never piles up work: only the latest request runs. Jobs of different keys run one
after another on a single worker thread (the machine may have two cores, and the GUI thread
needs one).

Pure core work (a fan, a tornado, a sweep map) goes one step further: ``fn`` calls
:meth:`Jobs.compute`, which runs the core function in the child process of
:mod:`rsiviz.core.offload`, so the worker thread only waits on a pipe and the GUI thread
keeps the GIL. Should the child be unavailable, the same function runs on the worker thread.

Work that must render on the GUI thread (video frames) cannot run here; it reports through
the same signals by :meth:`Jobs.track` so that the window shows one progress display.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from rsiviz.core.offload import Offload, OffloadUnavailable

PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress signals a second reach the GUI thread
SWITCH_INTERVAL_S = 0.0005  # how long a busy worker may keep the GIL from the GUI thread
# A job starts computing once the GUI thread has served this many event-loop turns after
# it was started (or after GATE_MAX_S): the turns that redraw what asked for the job (an
# edit's new run, a finished re-run's frame) then run without a worker holding the GIL.
GATE_TURNS = 3
GATE_MAX_S = 0.1
MAX_CHILDREN = 2  # child processes for core work: one per core of a two-core machine


class Cancelled(Exception):  # noqa: N818 (the name says what happened to the job)
    """Raised inside a job's function once it is cancelled or superseded."""


class Progress:
    """Handed to a job's function: report progress; raises :class:`Cancelled` when stopped."""

    def __init__(self, emit: Callable[[int, int], None]) -> None:
        self._event = threading.Event()
        # open once the GUI thread has served the turns after the job started
        self.gate = threading.Event()
        self._emit = emit
        self._last = 0.0

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled

    def report(self, done: int, total: int) -> None:
        self.check()
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._emit(done, total)


@dataclass
class _Request:
    key: str
    fn: Callable[[Progress], Any]
    on_done: Callable[[Any], None]
    on_error: Callable[[str], None] | None
    serial: int
    gated: bool = True
    progress: Progress | None = None
    thread: threading.Thread | None = None
    outcome: list[Any] = field(default_factory=list)


class Jobs(QObject):
    """Runs keyed background jobs one at a time; the latest request of a key wins."""

    started = Signal(str)
    progress = Signal(str, int, int)
    finished = Signal(str)  # ended with a result, an error or a cancel
    failed = Signal(str, str)
    _delivered = Signal(int)  # serial of a request whose thread ended (worker -> GUI)

    def __init__(
        self, parent: QObject | None = None, offload: bool = True, children: int = MAX_CHILDREN
    ) -> None:
        super().__init__(parent)
        # the child processes that compute pure core work (none: on the worker thread)
        count = min(children, os.cpu_count() or 1) if offload else 0
        self._offloads: list[Offload] = [Offload() for _ in range(count)]
        # Every Qt call from Python releases the GIL; with a worker busy in Python, getting it
        # back took up to the 5 ms switch interval per call, so a redraw of a few dozen calls
        # stalled the window for 100-500 ms. 0.5 ms bounds that; a lone thread never pays it.
        # Not with PySide6 6.11 (Python 3.11): its test suite crashed twice in paint events
        # with the faster switching, at random places; 6.12 (Python 3.12, the installers')
        # passed every run.
        if sys.version_info >= (3, 12):
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        self._serial = 0
        self._running: _Request | None = None
        self._queue: dict[str, _Request] = {}  # key -> newest waiting request
        self._tracked: dict[str, Any] = {}
        self._delivered.connect(self._on_delivered)

    # -- public API ---------------------------------------------------------------------
    def submit(
        self,
        key: str,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        gated: bool = True,
    ) -> None:
        """Run ``fn(progress)`` off the GUI thread; ``on_done(result)`` on the GUI thread.

        ``gated``: ``fn`` starts once the GUI thread has drawn what asked for it (see
        :data:`GATE_TURNS`). A job whose work goes to a child process through
        :meth:`compute` passes False: it holds no GIL, so it starts at once (and waits for
        the gate only when the work falls back to this process)."""
        self._serial += 1
        self._queue[key] = _Request(key, fn, on_done, on_error, self._serial, gated)
        running = self._running
        if running is not None and running.key == key and running.progress is not None:
            running.progress.cancel()  # superseded: its result is dropped
        self._start_next()

    def warm(self) -> None:
        """Start the child processes now, so the first :meth:`compute` needn't wait."""
        for offload in list(self._offloads):
            try:
                offload.start()
            except OffloadUnavailable as exc:
                self._lose(offload, str(exc))

    def child_pids(self) -> list[int]:
        """Process ids of the running child processes."""
        return [pid for child in self._offloads if (pid := child.pid) is not None]

    def compute(self, fn: Callable[..., Any], args: tuple[Any, ...], progress: Progress) -> Any:
        """``fn(*args, progress=progress.report)`` in a child process (call it from a job's
        function, on the worker thread); on the worker thread itself when no child can run
        it. Raises what ``fn`` raises, and :class:`Cancelled`."""
        return self.compute_many([(fn, args)], progress)[0]

    def compute_many(
        self, calls: list[tuple[Callable[..., Any], tuple[Any, ...]]], progress: Progress
    ) -> list[Any]:
        """Several :meth:`compute` calls at once, one per child process (the machine's two
        cores); their results in order. Progress is the sum of theirs. When one fails or
        is cancelled, the others are cancelled and its exception is raised."""
        done, totals = [0] * len(calls), [0] * len(calls)
        failed = threading.Event()

        def reporter(i: int) -> Callable[[int, int], None]:
            def report(d: int, t: int) -> None:
                if failed.is_set():
                    raise Cancelled
                done[i], totals[i] = d, t
                if all(totals):
                    progress.report(sum(done), sum(totals))
                else:
                    progress.check()

            return report

        results: list[Any] = [None] * len(calls)
        errors: list[BaseException | None] = [None] * len(calls)

        def run(i: int) -> None:
            offload = self._offloads[i] if i < len(self._offloads) else None
            fn, args = calls[i]
            try:
                results[i] = self._call(offload, fn, args, reporter(i), progress.gate)
            except BaseException as exc:  # handed to the job's thread below
                errors[i] = exc
                failed.set()

        helpers = [
            threading.Thread(target=run, args=(i,), name=f"rsiviz-job-part-{i}", daemon=True)
            for i in range(1, len(calls))
        ]
        for thread in helpers:
            thread.start()
        run(0)
        for thread in helpers:
            thread.join()
        first = next((e for e in errors if e is not None and not isinstance(e, Cancelled)), None)
        if first is not None or any(errors):
            raise first or next(e for e in errors if e is not None)
        return results

    def _call(
        self,
        offload: Offload | None,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        report: Callable[[int, int], None],
        gate: threading.Event,
    ) -> Any:
        if offload is not None and offload in self._offloads:
            try:
                return offload.call(fn, args, report)
            except OffloadUnavailable as exc:
                if offload.failure is not None:  # it cannot start: don't try again
                    self._lose(offload, str(exc))
                # a child that died mid-call is replaced at the next call; this one runs here
        gate.wait(GATE_MAX_S)  # here it shares the GIL: let the GUI thread draw first
        return fn(*args, progress=report)

    def _lose(self, offload: Offload, why: str) -> None:
        if offload in self._offloads:
            self._offloads.remove(offload)
            print(f"rsiviz: background work runs in the window's process ({why})", file=sys.stderr)

    def cancel(self, key: str) -> None:
        """Cancel the running and the queued job of ``key`` (no ``on_done`` call)."""
        dropped = self._queue.pop(key, None)
        running = self._running
        if running is not None and running.key == key and running.progress is not None:
            running.progress.cancel()
        elif dropped is not None:
            self.finished.emit(key)
        tracked = self._tracked.get(key)
        if tracked is not None:
            tracked.cancel()

    def cancel_all(self) -> None:
        for key in [*self._queue, *self._tracked]:
            self.cancel(key)
        if self._running is not None:
            self.cancel(self._running.key)

    def keys(self) -> set[str]:
        """The keys of the jobs that run, wait or are tracked in a child process."""
        keys = set(self._queue) | set(self._tracked)
        if self._running is not None:
            keys.add(self._running.key)
        return keys

    def busy(self, key: str | None = None) -> bool:
        keys = self.keys()
        return bool(keys) if key is None else key in keys

    def running_key(self) -> str | None:
        return None if self._running is None else self._running.key

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Process events until no job runs or waits (tests, screenshots); False on timeout."""
        end = time.monotonic() + timeout_s
        while self.busy():
            if time.monotonic() > end:
                return False
            QCoreApplication.processEvents()
            time.sleep(0.002)
        QCoreApplication.processEvents()
        return True

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel everything and join the worker thread (the window is closing)."""
        self._queue.clear()
        running = self._running
        if running is not None and running.progress is not None:
            running.progress.cancel()
        if running is not None and running.thread is not None:
            running.thread.join(timeout_s)
        for job in list(self._tracked.values()):
            job.cancel()
            if hasattr(job, "wait"):  # a video export removes its temporary file
                job.wait(timeout_s)
        for child in self._offloads:
            child.close()

    def track(self, key: str, job: Any) -> None:
        """Show work that runs its own way (video export) through these signals.

        ``job`` has ``progress(done, total)`` and ``finished(ok, message)`` signals and a
        ``cancel()`` method.
        """
        self._tracked[key] = job
        self.started.emit(key)
        job.progress.connect(lambda done, total: self.progress.emit(key, done, total))
        job.finished.connect(lambda ok, message: self._on_tracked_finished(key, ok, message))

    # -- internals ----------------------------------------------------------------------
    def _start_next(self) -> None:
        if self._running is not None or not self._queue:
            return
        key = next(iter(self._queue))
        req = self._queue.pop(key)
        req.progress = Progress(lambda done, total: self.progress.emit(key, done, total))
        req.thread = threading.Thread(
            target=self._work, args=(req,), name=f"rsiviz-job-{key}", daemon=True
        )
        self._running = req
        self.started.emit(key)
        req.thread.start()
        self._open_gate_later(req.progress.gate, GATE_TURNS)

    def _open_gate_later(self, gate: threading.Event, turns: int) -> None:
        """Open ``gate`` after ``turns`` event-loop turns (one zero-time timer each)."""
        if turns <= 0:
            gate.set()
        else:
            QTimer.singleShot(0, self, lambda: self._open_gate_later(gate, turns - 1))

    def _work(self, req: _Request) -> None:
        assert req.progress is not None
        if req.gated:
            req.progress.gate.wait(GATE_MAX_S)
        try:
            req.outcome = ["done", req.fn(req.progress)]
        except Cancelled:
            req.outcome = ["cancelled"]
        except Exception as exc:  # any failure is reported, never raised on the thread
            # one line, the class without its module: "ParameterError: members = 0 is ..."
            detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
            req.outcome = ["error", detail]
        self._delivered.emit(req.serial)

    def _on_delivered(self, serial: int) -> None:
        req = self._running
        if req is None or req.serial != serial:
            return
        if req.thread is not None:
            req.thread.join()
        self._running = None
        cancelled = req.progress is not None and req.progress.cancelled
        try:
            if req.outcome[0] == "done" and not cancelled:
                req.on_done(req.outcome[1])
            elif req.outcome[0] == "error" and not cancelled:
                self.failed.emit(req.key, req.outcome[1])
                if req.on_error is not None:
                    req.on_error(req.outcome[1])
        finally:
            self.finished.emit(req.key)
            self._start_next()

    def _on_tracked_finished(self, key: str, ok: bool, message: str) -> None:
        self._tracked.pop(key, None)
        if not ok:
            self.failed.emit(key, message)
        self.finished.emit(key)
