"""The animation as MP4 (H.264) or GIF, without freezing the window.

Frames are rendered on the GUI thread (pyqtgraph items must only be touched there) a few
at a time from a 0-ms QTimer, so the event loop keeps running between batches; a worker
QThread feeds them as raw RGB to the ffmpeg binary that ships in imageio-ffmpeg, which
encodes H.264 / yuv420p / +faststart (plays in PowerPoint and Keynote) or a palette GIF.
A bounded queue between the two keeps memory flat; cancel() stops both.
"""

from __future__ import annotations

import contextlib
import math
import queue
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QThread, QTimer, Signal
from PySide6.QtGui import QImage

from rsiviz.core.story import Story
from rsiviz.gui.exporters import ExportError, OffscreenStage, even_size

HOLD_SECONDS = 2.5  # each beat's caption stays this long before the next beat plays
BATCH_MS = 15  # start no new frame after this long in one event-loop turn
QUEUE_FRAMES = 6


def ffmpeg_exe() -> str:
    """The ffmpeg binary: imageio-ffmpeg's (or its IMAGEIO_FFMPEG_EXE), else one on PATH."""
    try:
        import imageio_ffmpeg
    except ImportError:
        found = shutil.which("ffmpeg")
        if found:
            return found
        raise ExportError(
            "video export needs ffmpeg: pip install imageio-ffmpeg, or put ffmpeg on the PATH"
        ) from None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


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


def ffmpeg_command(fmt: str, width: int, height: int, fps: float, out: str) -> list[str]:
    src = [
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-r",
        f"{fps:g}",
        "-i",
        "-",
    ]
    if fmt == "mp4":
        enc = [
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "20",
            "-pix_fmt",
            "yuv420p",
            "-profile:v",
            "high",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ]
    else:
        palette = "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer"
        enc = ["-filter_complex", palette, "-loop", "0", "-f", "gif"]
    return [ffmpeg_exe(), "-y", "-loglevel", "error", "-nostdin", *src, *enc, out]


class Encoder(QThread):
    """Writes queued frames (bytes) to ffmpeg's stdin; None in the queue ends the video."""

    def __init__(self, command: list[str], frames: queue.Queue) -> None:
        super().__init__()
        self.command = command
        self.frames = frames
        self.cancelled = False
        self.error = ""
        self.written = 0
        self.proc: subprocess.Popen | None = None

    def cancel(self) -> None:
        self.cancelled = True
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()  # unblocks a write stuck on a full pipe

    def run(self) -> None:
        with tempfile.TemporaryFile() as log:
            try:
                proc = subprocess.Popen(
                    self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log
                )
            except OSError as exc:
                self.error = f"could not start ffmpeg: {exc}"
                return
            self.proc = proc
            assert proc.stdin is not None
            try:
                while not self.cancelled:
                    data = self.frames.get()
                    if data is None:
                        break
                    proc.stdin.write(data)
                    self.written += 1
            except (BrokenPipeError, OSError):
                pass
            if self.cancelled:
                proc.kill()
            else:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            code = proc.wait()
            if code != 0 and not self.cancelled:
                log.seek(0)
                text = log.read().decode("utf-8", "replace").strip().splitlines()
                self.error = f"ffmpeg failed ({code}): {text[-1] if text else 'no message'}"


def image_bytes(image: QImage) -> bytes:
    """Tightly packed RGB24 rows of a Format_RGB888 image (scan lines are 4-byte aligned)."""
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, : w * 3].tobytes()


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
        self._encoder = Encoder(
            ffmpeg_command(fmt, self.width, self.height, fps, self.path), self._frames
        )
        self._encoder.finished.connect(self._on_encoder_finished)
        self._stage: OffscreenStage | None = None
        self._beat = -1
        self._last: Frame | None = None
        self._last_bytes: bytes | None = None
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
                self._last, self._last_bytes = frame, image_bytes(self._render(frame))
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
