"""Encoders that fail on purpose, for the video failure tests. No Qt here: the export runs
its writer in a worker process (rsiviz.gui.video_encoder.ChildAvWriter), which imports this
module by name."""

from __future__ import annotations

import errno
import time

import numpy as np

from rsiviz.gui.avwriter import AvWriter


class FailingWriter(AvWriter):
    """Real PyAV for three frames (a real partial file), then the disk is full."""

    def write(self, rgb: np.ndarray) -> None:
        if self.count >= 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        super().write(rgb)


class StalledWriter(AvWriter):
    """The third frame never comes back (as a hung network drive would)."""

    def write(self, rgb: np.ndarray) -> None:
        if self.count >= 2:
            time.sleep(3600.0)
        super().write(rgb)


class SlowWriter(AvWriter):
    """Slower than real time but steady: 0.1 s a frame."""

    def write(self, rgb: np.ndarray) -> None:
        time.sleep(0.1)
        super().write(rgb)


def broken_writer(*args: object) -> AvWriter:
    raise RuntimeError("x264 [error]: broken ffmpeg build")
