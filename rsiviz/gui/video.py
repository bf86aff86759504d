"""The animation as MP4 (H.264) or GIF, without freezing the window.

Frames are rendered on the GUI thread (pyqtgraph items must only be touched there) a few
at a time from a 0-ms QTimer, so the event loop keeps running between batches: the
offscreen stage is built a piece per turn (:meth:`OffscreenStage.build`), and a frame's
run is moved to it (a new beat, more months) in one turn and drawn in the next unless
the turn has time left (``TURN_MS``). A worker
thread hands them to PyAV (FFmpeg's libraries in one wheel, bundled by the installers),
which runs in a worker process of its own (rsiviz.gui.video_encoder.ChildAvWriter) and
encodes H.264 / yuv420p / +faststart (plays in PowerPoint and Keynote) or a palette GIF
(rsiviz.gui.avwriter). A bounded queue between the two keeps memory flat; cancel() stops
both. The file is written atomically (a failure leaves the previous one as it was) and a
watchdog ends an encoder that stops responding, with its process; every failure is
reported once through ``finished(False, message)`` with both timers stopped.

Why PyAV and not the ffmpeg binary of imageio-ffmpeg: packaging/README.md, "Video export".
"""

from __future__ import annotations

import contextlib
import functools
import math
import queue
import threading
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtGui import QImage

from rsiviz.core.interventions import LinkCut
from rsiviz.core.story import Story
from rsiviz.gui import video_encoder
from rsiviz.gui.exporters import ExportError, OffscreenStage, even_size
from rsiviz.gui.video_encoder import AvWriter, ChildAvWriter, Encoder, SinkFactory

HOLD_SECONDS = 2.5  # each beat's caption stays this long before the next beat plays
BATCH_MS = 15  # start no new frame after this long in one event-loop turn
TURN_MS = 40  # draw a frame in the turn that moved the run to it only if both fit in this
QUEUE_FRAMES = 6
IN_CHILD = True  # encode in a worker process (a stuck encoder can then be ended)
WATCHDOG_MS = 250  # how often the GUI thread looks at the encoder's deadline


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


def image_rgb(image: QImage) -> np.ndarray:
    """A (h, w, 3) uint8 copy of a Format_RGB888 image (scan lines are 4-byte aligned)."""
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


class VideoExport(QObject):
    """One MP4/GIF export; ``progress(done, total)``, then ``finished(ok, message)`` once.

    ``sink`` (default: :class:`AvWriter` in a worker process, :class:`ChildAvWriter`) and
    ``frame_timeout`` (default :data:`video_encoder.FRAME_TIMEOUT_S`, seconds per encoder
    call) are looked up when the export is made, so tests can replace them.
    """

    progress = Signal(int, int)
    finished = Signal(bool, str)
    _encoder_done = Signal()  # emitted on the encoder thread, delivered on the GUI thread

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
        sink: SinkFactory | None = None,
        frame_timeout: float | None = None,
        cuts: Sequence[LinkCut] = (),
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
        # the writer (AvWriter, looked up now so tests can replace it) in a worker process
        make = sink or (functools.partial(ChildAvWriter, writer=AvWriter) if IN_CHILD else AvWriter)
        size = (self.width, self.height)
        self.frame_timeout = frame_timeout or video_encoder.FRAME_TIMEOUT_S
        self._encoder = Encoder(
            lambda tmp: make(fmt, *size, fps, tmp),
            self.path,
            self._frames,
            self._notify_done,
            self.frame_timeout,
        )
        self._encoder_done.connect(self._on_encoder_done)
        self._stage: OffscreenStage | None = None
        self._setup: Generator[bool, None, OffscreenStage] | None = None
        self._ready: Frame | None = None  # the frame the stage shows, not yet drawn
        self._draw_ms = 0  # how long the last frame took to draw
        self._beat = -1
        self._last: Frame | None = None
        self._last_bytes: np.ndarray | None = None
        self._theme = theme
        self._cuts = tuple(cuts)  # links cut: each run without it drawn as a ghost
        self.render_timer = QTimer(self)
        self.render_timer.setInterval(0)
        self.render_timer.timeout.connect(self._on_render_timer_timeout)
        self.watchdog = QTimer(self)
        self.watchdog.setInterval(min(WATCHDOG_MS, max(10, int(self.frame_timeout * 250))))
        self.watchdog.timeout.connect(self._on_watchdog_timeout)
        self._clock = QElapsedTimer()

    @property
    def total(self) -> int:
        return len(self.plan)

    @property
    def encoder_thread(self) -> threading.Thread:
        return self._encoder.thread

    def start(self) -> None:
        """Begin: the stage is built in the event loop's next turns, then the frames."""
        self._setup = OffscreenStage.build(
            self.story, self.width, self.height, self._theme, self._cuts
        )
        self.running = True
        self._encoder.start()
        self.render_timer.start()
        self.watchdog.start()

    def cancel(self) -> None:
        """Stop rendering and encoding; the partial file is removed."""
        if not self.running:
            return
        self.render_timer.stop()
        self._encoder.cancel()
        self._drain()
        self._frames.put(None)  # wakes an encoder waiting for a frame

    def wait(self, timeout_s: float) -> bool:
        """Wait for the encoder thread to end (a closing window); False if it did not."""
        if self._encoder.thread.is_alive():
            self._encoder.thread.join(timeout_s)
        return not self._encoder.thread.is_alive()

    def _drain(self) -> None:
        while True:
            try:
                self._frames.get_nowait()
            except queue.Empty:
                return

    def _on_render_timer_timeout(self) -> None:
        """Build the stage a piece at a time; then move the run to frames and draw them
        until the batch time is used up or the queue is full."""
        self._clock.start()
        if self._setup is not None:
            self._build_stage()
            return
        if self.done >= self.total:
            self._end()
            return
        while self.done < self.total and self._clock.elapsed() < BATCH_MS:
            if self._frames.full():
                return  # the encoder is behind: let the event loop run, try again
            frame = self.plan[self.done]
            if frame != self._last or self._last_bytes is None:  # a held caption: reuse it
                if frame != self._ready:
                    self._move_to(frame)
                    self._ready = frame
                    if self._clock.elapsed() + self._draw_ms > TURN_MS:
                        break  # drawn in the next turn
                assert self._stage is not None
                start = self._clock.elapsed()
                self._last, self._last_bytes = frame, image_rgb(self._stage.image())
                self._draw_ms = self._clock.elapsed() - start
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
        self.render_timer.stop()

    def _build_stage(self) -> None:
        """One piece of the offscreen stage (see :meth:`start`)."""
        assert self._setup is not None
        try:
            next(self._setup)
        except StopIteration as done:
            self._setup, self._stage = None, done.value
        except Exception as exc:  # noqa: BLE001 - reported to the user, never raised
            self._setup = None
            self.render_timer.stop()
            self._encoder.cancel()
            self._finish(False, f"Export failed: could not lay out the video's stage ({exc})")

    def _move_to(self, frame: Frame) -> None:
        """The stage's run at ``frame``: its beat's development pauses, its month."""
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

    def _notify_done(self) -> None:
        """On the encoder thread: tell the GUI thread (unless this export is gone)."""
        with contextlib.suppress(RuntimeError):  # the QObject was deleted after a give-up
            self._encoder_done.emit()

    def _on_watchdog_timeout(self) -> None:
        """An encoder call past its deadline: give up, report, clean up."""
        if not (self.running and self._encoder.overdue() and self._encoder.give_up()):
            return
        self._finish(
            False,
            f"Export failed: the video encoder stopped responding (nothing for "
            f"{self.frame_timeout:g} s); nothing was written to {self.path}",
        )

    def _on_encoder_done(self) -> None:
        if not self.running:
            return  # already reported (the watchdog gave up on it)
        enc = self._encoder
        if enc.state == "done":
            self._finish(True, f"Wrote {enc.written} frames to {self.path}")
        elif enc.state == "failed":
            self._finish(False, f"Export failed: {enc.error}; nothing was written to {self.path}")
        else:
            self._finish(False, "Export cancelled.")

    def _finish(self, ok: bool, message: str) -> None:
        """Stop both timers, free the frames and the offscreen stage, report once."""
        self.running = False
        self.render_timer.stop()  # an encoder that failed early leaves frames still to render
        self.watchdog.stop()
        self._drain()
        with contextlib.suppress(queue.Full):
            self._frames.put_nowait(None)  # an encoder still waiting for a frame ends
        if self._setup is not None:
            self._setup.close()  # a stage half built: closed with it
            self._setup = None
        if self._stage is not None:
            self._stage.close()
            self._stage = None
        self.finished.emit(ok, message)
