"""Heavy core work in a child process, so the thread that waits for it holds no GIL.

A 1,000-run fan keeps a worker thread busy in Python for a second. Sharing the GIL with
that thread, the window's own redraws waited for it: the event loop stalled up to ~90 ms
while a fan computed (``bench/bench_fan.py`` (b)). :class:`Offload` runs such a function in
a persistent child process instead; the thread that waits for it blocks on a pipe, which
releases the GIL.

The child is this same program started again with :data:`CHILD_FLAG` (``python -m rsiviz
--rsiviz-offload``; the frozen app's own executable with the flag). It imports only the
core, never Qt, and talks through its standard input and output in length-prefixed pickle
frames: ``(fn, args)`` in, ``("progress", (done, total))`` and one final ``("done",
result)``, ``("error", exception)`` or ``("cancelled", None)`` out; a ``None`` frame sent
while it works cancels the call. Not :mod:`multiprocessing`: its "spawn" start runs the
parent's ``__main__`` again in the child (any script, a test runner), and "fork" copies a
process running Qt threads.

If the child cannot start, or dies, :meth:`Offload.call` raises :class:`OffloadUnavailable`
and the caller computes in its own thread, as before: slower to respond, same numbers. A
function the child runs is any picklable module-level callable taking ``progress=report``
(``report(done, total)``, which raises to cancel). Results and exceptions come back
pickled, so the numbers are the very same as computed in this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

CHILD_FLAG = "--rsiviz-offload"
PROGRESS_INTERVAL_S = 0.02  # the child reports progress at most this often
CANCEL_WAIT_S = 2.0  # a cancelled child answers within a month of work; else it is ended
CLOSE_WAIT_S = 1.0
NICENESS = 10  # the child's scheduling priority below the app's (POSIX nice increment)
_HEADER = struct.Struct("<Q")


class OffloadUnavailable(RuntimeError):  # noqa: N818 (names what happened)
    """The child process could not start, or ended: compute in this process instead."""


class _Stopped(Exception):  # noqa: N818 (names what happened)
    """Raised inside the child's function once the caller has cancelled."""


def write_frame(stream: IO[bytes], obj: Any) -> None:
    """``obj`` pickled, its large contiguous arrays sent as they are (pickle protocol 5's
    out-of-band buffers): a 1920x1080 video frame is 6 MB, and copying it into the pickle and
    out again cost ~14 ms of CPU a frame."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    head = _HEADER.pack(len(data)) + _HEADER.pack(len(raws))
    stream.write(head + b"".join(_HEADER.pack(r.nbytes) for r in raws) + data)
    for raw in raws:
        stream.write(raw)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytearray:
    buf = bytearray(size)
    view, got = memoryview(buf), 0
    while got < size:
        n = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            raise EOFError
        got += n
    return buf


def read_bytes(stream: IO[bytes]) -> tuple[bytes, list[bytearray]]:
    """The next frame, still pickled, and its out-of-band buffers; EOFError when the other
    end has gone."""
    head = stream.read(2 * _HEADER.size)
    if len(head) < 2 * _HEADER.size:
        raise EOFError
    size, count = _HEADER.unpack(head[: _HEADER.size])[0], _HEADER.unpack(head[_HEADER.size :])[0]
    sizes = [_HEADER.unpack(bytes(_read_exactly(stream, _HEADER.size)))[0] for _ in range(count)]
    data = bytes(_read_exactly(stream, size))
    return data, [_read_exactly(stream, n) for n in sizes]


def read_frame(stream: IO[bytes]) -> Any:
    """The next frame; EOFError when the other end has gone."""
    return _loads(read_bytes(stream))


def _loads(frame: tuple[bytes, list[bytearray]]) -> Any:
    data, buffers = frame
    return pickle.loads(data, buffers=buffers)  # noqa: S301 (only this program and its child)


def child_command() -> list[str]:
    """How to start the child: the frozen app itself, or this Python with ``-m rsiviz``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "rsiviz", CHILD_FLAG]


# -- the child ------------------------------------------------------------------------------
def serve(inp: IO[bytes] | None = None, out: IO[bytes] | None = None) -> int:
    """The child's loop (standard input and output unless given): run each call received."""
    # the descriptors themselves: a windowed (frozen) app may have no sys.stdin object
    inp = os.fdopen(0, "rb", closefd=False) if inp is None else inp
    out = os.fdopen(1, "wb", closefd=False) if out is None else out
    sys.stdout = sys.stderr  # a stray print must never corrupt a frame
    if hasattr(os, "nice"):  # Windows: BELOW_NORMAL_PRIORITY_CLASS at the start instead
        with contextlib.suppress(OSError):
            os.nice(NICENESS)  # on a busy machine the window's thread comes first
    with contextlib.suppress(ValueError, AttributeError):  # not on the main thread / Windows
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the app's to handle
    while True:
        try:
            data = read_bytes(inp)
        except (EOFError, OSError):  # the app has gone: so does the child
            return 0
        try:
            try:
                message = _loads(data)  # sent by the app that started us
            except Exception as exc:  # noqa: BLE001 (a function this child cannot import)
                _answer(out, ("error", RuntimeError(f"the worker process cannot run it: {exc}")))
                continue
            if message is None:
                continue  # a cancel that arrived after its call had ended
            if message == "exit":
                return 0
            _run_one(message, inp, out)
        except (OSError, ValueError):  # the pipe to the app is closed
            return 0


def _run_one(message: Any, inp: IO[bytes], out: IO[bytes]) -> None:
    """Run one ``(fn, args)``; a reader thread turns a ``None`` frame into a cancel."""
    stop, ended = threading.Event(), threading.Event()
    last = [0.0]

    def listen() -> None:
        try:
            while not ended.is_set():
                frame = read_frame(inp)
                if frame is None or frame == "exit":
                    stop.set()
                    return
        except (EOFError, OSError):
            stop.set()

    def report(done: int, total: int) -> None:
        if stop.is_set():
            raise _Stopped
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            write_frame(out, ("progress", (done, total)))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    try:
        fn, args = message
        answer: tuple[str, Any] = ("done", fn(*args, progress=report))
    except _Stopped:
        answer = ("cancelled", None)
    except Exception as exc:  # any failure goes back to the caller, never lost here
        answer = ("error", exc)
    ended.set()
    _answer(out, answer)
    if not stop.is_set():
        # the listener still waits for a frame: the next call's, or a late cancel. The
        # parent sends None after every call, so it ends (and the next call starts clean).
        listener.join()


def _answer(out: IO[bytes], answer: tuple[str, Any]) -> None:
    """Send ``answer``; what cannot be pickled goes as its one-line text."""
    try:
        pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 (any pickling failure is reported as text)
        value = answer[1] if answer[0] == "error" else exc
        text = "".join(traceback.format_exception_only(type(value), value)).strip()
        answer = ("error", RuntimeError(text))
    write_frame(out, answer)


# -- the app's side -------------------------------------------------------------------------
class Offload:
    """One persistent child process running core functions, one call at a time."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._command = command
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None  # type: ignore[type-arg]
        self._answered = False  # has the running child ever sent a frame?
        self.failure: str | None = None  # why the child could not start (never tried again)

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (benchmarks read its CPU time)."""
        return self._proc.pid if self.alive and self._proc is not None else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the child now (it imports numpy meanwhile); no-op while it runs.

        Raises :class:`OffloadUnavailable` if it cannot start (it is not tried again).
        """
        if self.failure is not None:
            raise OffloadUnavailable(self.failure)
        if self.alive:
            return
        self._discard()
        env = dict(os.environ)
        if not getattr(sys, "frozen", False):
            # the child imports what this process can (functions are sent by name)
            root = str(Path(__file__).resolve().parents[2])  # the folder holding rsiviz/
            paths = [root, *(p for p in sys.path if p and os.path.isdir(p))]
            env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        # Windows: no console window, and the window's thread comes first on a busy machine
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        flags |= getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)
        try:
            self._proc = subprocess.Popen(  # noqa: S603 (our own executable, fixed arguments)
                self._command or child_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                creationflags=flags,
            )
        except (OSError, ValueError) as exc:
            self.failure = f"cannot start a worker process: {exc}"
            raise OffloadUnavailable(self.failure) from exc
        self._answered = False
        _widen_pipes(self._proc)
        # an Offload dropped without close() (a view's context in a test) ends its child too
        self._finalizer = weakref.finalize(self, _end, self._proc)

    def call(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        progress: Callable[[int, int], None] | None = None,
    ) -> Any:
        """``fn(*args, progress=...)`` in the child; its result, or its exception raised.

        ``progress(done, total)`` is called as the child reports; when it raises, the
        child is cancelled and the exception propagates.
        """
        with self._lock:
            self.start()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            try:
                write_frame(proc.stdin, (fn, args))
            except (OSError, ValueError) as exc:
                self._discard()
                raise OffloadUnavailable(f"cannot reach the worker process: {exc}") from exc
            kind, value = self._wait(proc, progress)
            self._send(proc, None)  # ends the child's listener for this call
        if kind == "error":
            raise value
        if kind != "done":
            raise OffloadUnavailable(f"the worker process answered {kind!r}")
        return value

    def kill(self) -> None:
        """End the child at once, from any thread (a call waiting on it raises
        :class:`OffloadUnavailable`); the next call starts a new one."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()

    def close(self) -> None:
        """Ask the child to end, and end it if it does not (the window is closing)."""
        proc = self._proc
        if proc is not None:
            self._send(proc, "exit")
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(CLOSE_WAIT_S)
        self._discard()

    # -- internals ----------------------------------------------------------------------
    def _wait(
        self, proc: subprocess.Popen[bytes], progress: Callable[[int, int], None] | None
    ) -> tuple[str, Any]:
        assert proc.stdout is not None
        while True:
            try:
                kind, value = read_frame(proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                code = None
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = proc.wait(CLOSE_WAIT_S)  # its pipe closes just before it ends
                self._discard()
                why = f"the worker process ended (exit code {code})"
                if not self._answered:  # it never worked: don't start it again and again
                    self.failure = f"{why} before its first answer"
                raise OffloadUnavailable(why) from exc
            self._answered = True
            if kind != "progress":
                return kind, value
            if progress is not None:
                try:
                    progress(*value)
                except BaseException:
                    self._cancel(proc)
                    raise

    def _cancel(self, proc: subprocess.Popen[bytes]) -> None:
        """Stop the child's call: take its last answer, or end a child that gives none."""
        assert proc.stdout is not None
        self._send(proc, None)
        timer = threading.Timer(CANCEL_WAIT_S, proc.kill)  # unblocks the read below
        timer.start()
        try:
            while read_frame(proc.stdout)[0] == "progress":
                pass
        except (EOFError, OSError, pickle.UnpicklingError):
            self._discard()
        finally:
            timer.cancel()
        if proc.poll() is not None:
            self._discard()

    def _send(self, proc: subprocess.Popen[bytes], frame: Any) -> None:
        with contextlib.suppress(OSError, ValueError):
            assert proc.stdin is not None
            write_frame(proc.stdin, frame)

    def _discard(self) -> None:
        """Forget the child, ending it if it still runs (a new one starts when needed)."""
        finalizer, self._finalizer, self._proc = self._finalizer, None, None
        if finalizer is not None:
            finalizer()


PIPE_BYTES = 1 << 20  # Linux: pipes of 1 MB (not 64 KB), fewer wake-ups per video frame


def _widen_pipes(proc: subprocess.Popen[bytes]) -> None:
    """Linux only (F_SETPIPE_SZ); elsewhere, or if refused, the pipes keep their size."""
    try:
        import fcntl
    except ImportError:  # Windows
        return
    setpipe_sz = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe_sz is None:  # macOS
        return
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError, ValueError):
            if stream is not None:
                fcntl.fcntl(stream.fileno(), setpipe_sz, PIPE_BYTES)


def _end(proc: subprocess.Popen[bytes]) -> None:
    """End ``proc`` if it still runs and close its pipes."""
    if proc.poll() is None:
        proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(CLOSE_WAIT_S)
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()
