"""The video encoder side of an export: PyAV writing MP4/GIF on a worker thread, atomically,
under a watchdog.

:class:`AvWriter` writes one file with PyAV. :class:`Encoder` feeds it queued frames on a
daemon thread, into a temporary file beside the target (:func:`rsiviz.core.atomic.atomic_path`)
that replaces the target only when the whole video is written; a failure or a cancel removes
the temporary and leaves the previous file untouched. Every call into the encoder (open, one
frame, close) has a deadline; the GUI thread asks :meth:`Encoder.overdue` and, past it,
:meth:`Encoder.give_up` abandons the export. A call stuck in native code (a hung network
drive) cannot be interrupted from Python: the daemon thread is left to return on its own,
then only removes its temporary, and never keeps the app from quitting.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rsiviz.core.atomic import atomic_path
from rsiviz.gui.exporters import ExportError

# H.264 for slides: x264 "veryfast" at constant quality 20, High profile, 4:2:0 chroma
# (what PowerPoint, Keynote and browsers decode) and the index first (+faststart).
H264_CODEC = "libx264"
H264_OPTIONS = {"preset": "veryfast", "crf": "20", "profile": "high"}
# One palette for the whole GIF from the frames' differences, ordered dithering.
GIF_FILTERS = (("palettegen", "stats_mode=diff"), ("paletteuse", "dither=bayer"))
# No single encoder call may take longer (a 1920x1080 frame takes ~30 ms with x264 veryfast);
# opening gets OPEN_EXTRA_S more, closing CLOSE_SECONDS_PER_FRAME more for each frame (the
# GIF palette is built from every frame at the end).
FRAME_TIMEOUT_S = 20.0
CLOSE_SECONDS_PER_FRAME = 0.5
OPEN_EXTRA_S = 10.0  # opening also loads FFmpeg's libraries (seconds on a cold, slow disk)


def _av() -> Any:
    """PyAV, imported on first use: the window starts without loading FFmpeg."""
    try:
        import av
    except ImportError as exc:
        raise ExportError(f"video export needs PyAV (pip install av): {exc}") from None
    return av


class FrameSink(Protocol):
    """Where the encoder thread puts frames: ``write(rgb (h, w, 3) uint8)``, then ``close()``."""

    def write(self, rgb: np.ndarray) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class AvWriter:
    """An MP4 (H.264) or GIF file written with PyAV, one RGB frame at a time."""

    def __init__(self, fmt: str, width: int, height: int, fps: float, path: str) -> None:
        av = _av()
        codec = H264_CODEC if fmt == "mp4" else "gif"
        try:
            av.codec.Codec(codec, "w")
        except (ValueError, av.FFmpegError):
            raise ExportError(
                f"this PyAV has no {codec} encoder for {fmt.upper()} (pip install av: the "
                "PyPI wheels include it)"
            ) from None
        self.rate = Fraction(fps).limit_denominator(1001)
        opts = {"movflags": "+faststart"} if fmt == "mp4" else {"loop": "0"}
        try:
            self.container = av.open(path, "w", format=fmt, options=opts)
        except (OSError, av.FFmpegError) as exc:
            raise ExportError(f"could not write {path}: {exc}") from None
        self.stream = self.container.add_stream(codec, rate=self.rate)
        self.stream.width, self.stream.height = width, height
        self.stream.pix_fmt = "yuv420p" if fmt == "mp4" else "pal8"
        if fmt == "mp4":
            self.stream.options = dict(H264_OPTIONS)
        self.graph = self._gif_graph(width, height) if fmt == "gif" else None
        self.count = 0

    def _gif_graph(self, width: int, height: int) -> Any:
        """buffer -> split -> palettegen -> paletteuse -> buffersink, as ffmpeg's -filter_complex."""
        graph = _av().filter.Graph()
        src = graph.add_buffer(width=width, height=height, format="rgb24", time_base=1 / self.rate)
        split = graph.add("split")
        gen, use = (graph.add(name, args) for name, args in GIF_FILTERS)
        src.link_to(split)
        split.link_to(use, 0, 0)
        split.link_to(gen, 1, 0)
        gen.link_to(use, 0, 1)
        use.link_to(graph.add("buffersink"))
        graph.configure()
        return graph

    def write(self, rgb: np.ndarray) -> None:
        frame = _av().VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts, frame.time_base = self.count, 1 / self.rate
        self.count += 1
        self._encode(frame)

    def _encode(self, frame: Any) -> None:
        if self.graph is None:
            self.container.mux(self.stream.encode(frame))
            return
        av = _av()
        self.graph.push(frame)
        while True:
            try:
                out = self.graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            self.container.mux(self.stream.encode(out))

    def close(self) -> None:
        """Flush the filter and the encoder, write the index."""
        if self.graph is not None:
            self._encode(None)
        self.container.mux(self.stream.encode(None))
        self.container.close()

    def abort(self) -> None:
        self.container.close()


SinkFactory = Callable[[str, int, int, float, str], FrameSink]


class _AbandonedError(Exception):
    """The export was cancelled or given up: write nothing to the target."""


def _why(exc: BaseException) -> str:
    if isinstance(exc, ExportError):
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
        if self.tmp is not None:
            with contextlib.suppress(OSError):  # Windows: still open; the thread removes it
                self.tmp.unlink(missing_ok=True)
        return True

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
                    sink = self._call(lambda: self.open_sink(str(tmp)), self.timeout + OPEN_EXTRA_S)
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
