"""The video encoder side of an export: PyAV writing MP4/GIF in a worker process, fed from a
thread, atomically, under a watchdog.

:class:`ChildAvWriter` runs an :class:`~rsiviz.gui.avwriter.AvWriter` (PyAV, one file) in a
child process (:mod:`rsiviz.core.offload`). :class:`Encoder` feeds it queued frames from a
daemon thread, into a temporary file beside the target (:func:`rsiviz.core.atomic.atomic_path`)
that replaces the target only when the whole video is written; a failure or a cancel removes
the temporary and leaves the previous file untouched. Every call into the encoder (open, one
frame, close) has a deadline; the GUI thread asks :meth:`Encoder.overdue` and, past it,
:meth:`Encoder.give_up` abandons the export and ends the worker process, which ends a call
stuck in native code (a hung network drive, a wedged codec) and so the thread waiting on it.
Where no worker process can start, the writer runs in this process: a stuck call then
cannot be interrupted from Python, and the daemon thread is left to return on its own (it
then only removes its temporary, and never keeps the app from quitting).
"""

from __future__ import annotations

import contextlib
import functools
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rsiviz.core.atomic import atomic_path
from rsiviz.core.offload import Offload, OffloadUnavailable
from rsiviz.gui import avwriter
from rsiviz.gui.avwriter import AvWriter, EncoderError, FrameSink
from rsiviz.gui.exporters import ExportError

# No single encoder call may take longer (a 1920x1080 frame takes ~30 ms with x264 veryfast);
# opening gets OPEN_EXTRA_S more, closing CLOSE_SECONDS_PER_FRAME more for each frame (the
# GIF palette is built from every frame at the end).
FRAME_TIMEOUT_S = 20.0
CLOSE_SECONDS_PER_FRAME = 0.5
OPEN_EXTRA_S = 10.0  # opening also starts the worker process and loads FFmpeg's libraries


class ChildAvWriter:
    """``writer(fmt, width, height, fps, path)`` (default :class:`AvWriter`) run in a worker
    process, as a :class:`FrameSink` with :meth:`open` and :meth:`kill`.

    ``writer`` must be picklable by name (a module-level class or function of a module the
    worker can import without Qt). If no worker process can start, the writer runs here.
    """

    def __init__(
        self, fmt: str, width: int, height: int, fps: float, path: str, writer: Any = AvWriter
    ) -> None:
        self.args = (writer, fmt, width, height, fps, path)
        self.offload = Offload()
        self.local: FrameSink | None = None  # the writer in this process (no worker)
        self.killed = False

    @property
    def pid(self) -> int | None:
        return self.offload.pid

    def open(self) -> None:
        try:
            self.offload.call(avwriter.child_open, self.args)
        except OffloadUnavailable as exc:
            if self.killed:
                raise
            print(f"rsiviz: video encoder in this process ({exc})", file=sys.stderr)
            self.offload.close()
            writer, *rest = self.args
            self.local = writer(*rest)

    def write(self, rgb: np.ndarray) -> None:
        if self.local is not None:
            self.local.write(rgb)
        else:
            self.offload.call(avwriter.child_write, (rgb,))

    def close(self) -> None:
        if self.local is not None:
            self.local.close()
            return
        try:
            self.offload.call(avwriter.child_close, ())
        finally:
            self.offload.close()

    def abort(self) -> None:
        if self.local is not None:
            self.local.abort()
            return
        try:
            if self.offload.alive and not self.killed:
                self.offload.call(avwriter.child_abort, ())
        finally:
            self.offload.close()

    def kill(self) -> None:
        """End the worker process now (from any thread): a call waiting on it fails at once."""
        self.killed = True
        self.offload.kill()


SinkFactory = Callable[[str, int, int, float, str], FrameSink]


class _AbandonedError(Exception):
    """The export was cancelled or given up: write nothing to the target."""


def _why(exc: BaseException) -> str:
    if isinstance(exc, ExportError | EncoderError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Encoder:
    """Writes queued frames ((h, w, 3) arrays) to a sink; None in the queue ends the video.

    ``state`` goes from "running" (then "committing") to "done", "failed" (``error`` says why), "cancelled" or
    "stalled"; ``on_done()`` is called on the worker thread when it ends.
    """

    def __init__(
        self,
        open_sink: Callable[[str], FrameSink],
        target: str,
        frames: queue.Queue[np.ndarray | None],
        on_done: Callable[[], None],
        timeout: float = FRAME_TIMEOUT_S,
    ) -> None:
        self.open_sink = open_sink
        self.target = target
        self.frames = frames
        self.on_done = on_done
        self.timeout = timeout
        self.state = "running"
        self.error = ""
        self.written = 0
        self.tmp: Path | None = None
        self.sink: FrameSink | None = None  # set (on the thread) before the sink is opened
        self._deadline: float | None = None
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="rsiviz-video-encoder", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        with self._lock:
            if self.state == "running":
                self.state = "cancelled"

    def overdue(self) -> bool:
        """Whether the call into the encoder now running has passed its deadline."""
        deadline = self._deadline
        return deadline is not None and time.monotonic() > deadline

    def give_up(self) -> bool:
        """Abandon the export (its call is stuck): True unless it already ended or commits.

        The temporary is removed here; the thread, whenever its call returns, writes nothing.
        """
        with self._lock:
            if self.state not in ("running", "cancelled"):
                return False
            self.state = "stalled"
        kill = getattr(self.sink, "kill", None)
        if kill is not None:  # a worker process: ending it ends the stuck call, and the thread
            kill()
        if self.tmp is not None:
            with contextlib.suppress(OSError):  # Windows: still open; the thread removes it
                self.tmp.unlink(missing_ok=True)
        return True

    def _open(self, path: str) -> FrameSink:
        """The sink for ``path``, opened (a :class:`ChildAvWriter` starts its process here)."""
        self.sink = self.open_sink(path)
        opener = getattr(self.sink, "open", None)
        if opener is not None:
            opener()
        return self.sink

    def _call(self, fn: Callable[[], Any], allowance: float) -> Any:
        """``fn()`` with a deadline the watchdog checks; stop if the export was abandoned."""
        if self.state != "running":
            raise _AbandonedError
        self._deadline = time.monotonic() + allowance
        try:
            return fn()
        finally:
            self._deadline = None

    def _run(self) -> None:
        try:
            with atomic_path(self.target) as tmp:
                self.tmp = tmp
                try:
                    sink = self._call(lambda: self._open(str(tmp)), self.timeout + OPEN_EXTRA_S)
                except _AbandonedError:
                    raise
                except Exception as exc:
                    raise ExportError(f"the video encoder could not start: {_why(exc)}") from None
                self._encode_all(sink)
            self.state = "done"
        except _AbandonedError:
            pass
        except Exception as exc:  # reported to the user as one line, never a traceback
            why = _why(exc) if isinstance(exc, ExportError) else f"could not write it: {_why(exc)}"
            with self._lock:
                if self.state in ("running", "committing"):
                    self.state, self.error = "failed", why
        finally:
            self._deadline = None
            self.on_done()

    def _encode_all(self, sink: FrameSink) -> None:
        """Every queued frame, then close; on any failure abort the sink and re-raise."""
        try:
            while (data := self.frames.get()) is not None:
                self._call(functools.partial(sink.write, data), self.timeout)
                self.written += 1
            allowance = self.timeout + CLOSE_SECONDS_PER_FRAME * self.written
            self._call(sink.close, allowance)
        except _AbandonedError:
            with contextlib.suppress(Exception):
                sink.abort()
            raise
        except Exception as exc:
            with contextlib.suppress(Exception):
                sink.abort()
            raise ExportError(
                f"the video encoder failed after {self.written} frames: {_why(exc)}"
            ) from None
        with self._lock:  # the last moment to abandon: after this the file replaces the target
            if self.state != "running":
                raise _AbandonedError
            self.state = "committing"
