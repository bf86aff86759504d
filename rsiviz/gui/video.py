"""The animation as MP4 (H.264) or GIF, without freezing the window.

Frames are rendered on the GUI thread (pyqtgraph items must only be touched there) a few
at a time from a 0-ms QTimer, so the event loop keeps running between batches; a worker
QThread hands them to PyAV (FFmpeg's libraries in one wheel, bundled by the installers),
which encodes H.264 / yuv420p / +faststart (plays in PowerPoint and Keynote) or a palette
GIF. A bounded queue between the two keeps memory flat; cancel() stops both.

Why PyAV and not the ffmpeg binary of imageio-ffmpeg: packaging/README.md, "Video export".
"""

from __future__ import annotations

import contextlib
import math
import queue
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QThread, QTimer, Signal
from PySide6.QtGui import QImage

from rsiviz.core.story import Story
from rsiviz.gui.exporters import ExportError, OffscreenStage, even_size

HOLD_SECONDS = 2.5  # each beat's caption stays this long before the next beat plays
BATCH_MS = 15  # start no new frame after this long in one event-loop turn
QUEUE_FRAMES = 6
# H.264 for slides: x264 "veryfast" at constant quality 20, High profile, 4:2:0 chroma
# (what PowerPoint, Keynote and browsers decode) and the index first (+faststart).
H264_OPTIONS = {"preset": "veryfast", "crf": "20", "profile": "high"}
# One palette for the whole GIF from the frames' differences, ordered dithering.
GIF_FILTERS = (("palettegen", "stats_mode=diff"), ("paletteuse", "dither=bayer"))


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
        self.rate = Fraction(fps).limit_denominator(1001)
        opts = {"movflags": "+faststart"} if fmt == "mp4" else {"loop": "0"}
        try:
            self.container = av.open(path, "w", format=fmt, options=opts)
        except (OSError, av.FFmpegError) as exc:
            raise ExportError(f"could not write {path}: {exc}") from None
        codec = "libx264" if fmt == "mp4" else "gif"
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


@dataclass(frozen=True)
class Frame:
    beat: int
    month: int


def frame_plan(
    story: Story,
    fps: float,
    hold: float = HOLD_SECONDS,
    duration: float | None = None,
    last_beat: int | None = None,
) -> list[Frame]:
    """(beat, month) of every frame: each beat plays at its speed, then holds ``hold`` s.

    With ``duration`` the whole plan is resampled to exactly ``duration * fps`` frames.
    """
    states = story.states()[: None if last_beat is None else last_beat + 1]
    plan: list[Frame] = []
    month = 0
    for state in states:
        delta = state.month - month
        if delta > 0:
            n = max(1, math.ceil(delta / state.speed * fps))
            plan += [Frame(state.index, month + round(delta * (i + 1) / n)) for i in range(n)]
        month = state.month
        plan += [Frame(state.index, month)] * max(1, round(hold * fps))
    if duration is not None:
        total = max(1, round(duration * fps))
        idx = np.minimum((np.arange(total) * len(plan) / total).astype(int), len(plan) - 1)
        plan = [plan[i] for i in idx]
    return plan


class Encoder(QThread):
    """Writes queued frames ((h, w, 3) arrays) to a sink; None in the queue ends the video."""

    def __init__(self, open_sink: Callable[[], FrameSink], frames: queue.Queue) -> None:
        super().__init__()
        self.open_sink = open_sink
        self.frames = frames
        self.cancelled = False
        self.error = ""
        self.written = 0

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        try:
            sink = self.open_sink()
        except Exception as exc:  # reported to the user as one line, never a traceback
            self.error = str(exc)
            return
        try:
            while not self.cancelled:
                data = self.frames.get()
                if data is None:
                    break
                sink.write(data)
                self.written += 1
            if self.cancelled:
                sink.abort()
            else:
                sink.close()
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(Exception):
                sink.abort()


def image_rgb(image: QImage) -> np.ndarray:
    """A (h, w, 3) uint8 copy of a Format_RGB888 image (scan lines are 4-byte aligned)."""
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


class VideoExport(QObject):
    """One MP4/GIF export; ``progress(done, total)``, then ``finished(ok, message)``."""

    progress = Signal(int, int)
    finished = Signal(bool, str)

    def __init__(
        self,
        story: Story,
        path: str | Path,
        fmt: str = "mp4",
        width: int = 1920,
        height: int | None = None,
        fps: float = 30.0,
        hold: float = HOLD_SECONDS,
        duration: float | None = None,
        last_beat: int | None = None,
        theme: str = "projector",
        parent: QObject | None = None,
        sink: SinkFactory = AvWriter,
    ) -> None:
        super().__init__(parent)
        if fmt not in ("mp4", "gif"):
            raise ExportError(f"video format {fmt!r} is not supported (mp4, gif)")
        self.path = str(path)
        self.width, self.height = even_size(width, height)
        self.plan = frame_plan(story, fps, hold, duration, last_beat)
        self.story = story
        self.done = 0
        self.running = False
        self._frames: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        size = self.width, self.height
        self._encoder = Encoder(lambda: sink(fmt, *size, fps, self.path), self._frames)
        self._encoder.finished.connect(self._on_encoder_finished)
        self._stage: OffscreenStage | None = None
        self._beat = -1
        self._last: Frame | None = None
        self._last_bytes: np.ndarray | None = None
        self._theme = theme
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._clock = QElapsedTimer()

    @property
    def total(self) -> int:
        return len(self.plan)

    def start(self) -> None:
        self._stage = OffscreenStage.create(self.story, self.width, self.height, self._theme)
        self.running = True
        self._encoder.start()
        self._timer.start()

    def cancel(self) -> None:
        """Stop rendering and encoding; the partial file is removed."""
        if not self.running:
            return
        self._timer.stop()
        self._encoder.cancel()
        self._drain()
        self._frames.put(None)

    def _drain(self) -> None:
        while True:
            try:
                self._frames.get_nowait()
            except queue.Empty:
                return

    def _on_timer_timeout(self) -> None:
        """Render frames until the batch time is used up or the queue is full."""
        self._clock.start()
        if self.done >= self.total:
            self._end()
            return
        while self.done < self.total and self._clock.elapsed() < BATCH_MS:
            if self._frames.full():
                return  # the encoder is behind: let the event loop run, try again
            frame = self.plan[self.done]
            if frame != self._last or self._last_bytes is None:  # a held caption: reuse it
                self._last, self._last_bytes = frame, image_rgb(self._render(frame))
            self._frames.put(self._last_bytes)
            self.done += 1
        self.progress.emit(self.done, self.total)
        if self.done >= self.total:
            self._end()

    def _end(self) -> None:
        try:
            self._frames.put_nowait(None)  # the end of the video
        except queue.Full:
            return  # next turn: the GUI thread never blocks on the encoder
        self._timer.stop()

    def _render(self, frame: Frame) -> QImage:
        off = self._stage
        assert off is not None
        if frame.beat != self._beat:
            state = off.player.states[frame.beat]
            off.player.index = frame.beat
            ctl = off.controller
            if state.pauses != ctl.live_pauses or frame.beat == 0:
                ctl.replay(state.pauses, min(frame.month, ctl.sim.month))
            off.stage.show_beat(state)
            self._beat = frame.beat
        ctl = off.controller
        if frame.month > ctl.sim.month:
            ctl.advance(frame.month - ctl.sim.month)
        return off.image()

    def _on_encoder_finished(self) -> None:
        self.running = False
        self._timer.stop()  # an encoder that failed early leaves frames still to render
        self._drain()
        if self._stage is not None:
            self._stage.close()
            self._stage = None
        enc = self._encoder
        if enc.cancelled:
            Path(self.path).unlink(missing_ok=True)
            self.finished.emit(False, "Export cancelled.")
        elif enc.error:
            self.finished.emit(False, f"Export failed: {enc.error}")
        else:
            self.finished.emit(True, f"Wrote {enc.written} frames to {self.path}")
