"""Video fails cleanly: a missing, broken, failing or stalled encoder gives one clear message,
stops the export's timers and thread, leaves no partial file and the previous file as it was
(CLI: one error line, exit 2; window: the banner, the window still working)."""

from __future__ import annotations

import errno
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from rsiviz.gui import exporters, video, video_encoder
from rsiviz.gui.export_cli import main as export_main
from rsiviz.gui.video_encoder import AvWriter

PREVIOUS = b"the talk's previous video, kept byte for byte"
RELEASE = threading.Event()  # lets a stalled fake encoder call return (the test's end)


class FailingWriter(AvWriter):
    """Real PyAV for three frames (a real partial file), then the disk is full."""

    def write(self, rgb: np.ndarray) -> None:
        if self.count >= 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        super().write(rgb)


class StalledWriter(AvWriter):
    """The third frame never comes back (as a hung network drive would), until released."""

    def write(self, rgb: np.ndarray) -> None:
        if self.count >= 2:
            RELEASE.wait(30.0)
        super().write(rgb)


def broken_writer(*args: object) -> AvWriter:
    raise RuntimeError("x264 [error]: broken ffmpeg build")


# name -> (how to break it, what the one message says)
FAILURES = {
    "missing": ("no av", "video export needs PyAV (pip install av)"),
    "no_h264": ("no codec", "this PyAV has no libx264_not_built encoder for MP4"),
    "broken": (broken_writer, "the video encoder could not start: RuntimeError: x264 [error]"),
    "mid_stream": (FailingWriter, "the video encoder failed after 3 frames: No space left"),
    "stalled": (StalledWriter, "the video encoder stopped responding (nothing for 1 s)"),
}


@pytest.fixture
def released() -> Iterator[None]:
    RELEASE.clear()
    yield
    RELEASE.set()


def _break(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    how = FAILURES[name][0]
    if how == "no av":
        monkeypatch.setitem(sys.modules, "av", None)  # `import av` raises ImportError
    elif how == "no codec":
        monkeypatch.setattr(video_encoder, "H264_CODEC", "libx264_not_built")
    else:
        monkeypatch.setattr(video, "AvWriter", how)
    if how is StalledWriter:  # a short deadline keeps the test fast
        monkeypatch.setattr(video_encoder, "FRAME_TIMEOUT_S", 1.0)


def _record_jobs(monkeypatch: pytest.MonkeyPatch) -> list[video.VideoExport]:
    jobs: list[video.VideoExport] = []
    start = video.VideoExport.start

    def recording_start(self: video.VideoExport) -> None:
        jobs.append(self)
        start(self)

    monkeypatch.setattr(video.VideoExport, "start", recording_start)
    return jobs


def _assert_cleaned_up(job: video.VideoExport, out: Path, name: str) -> None:
    assert not job.running
    assert not job.render_timer.isActive() and not job.watchdog.isActive()
    assert out.read_bytes() == PREVIOUS  # the previous file, untouched
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no partial, no temp
    if name == "stalled":
        # A call stuck in native code cannot be interrupted: the thread is a daemon (never
        # holds up quitting) and, once its call returns, ends without writing anything.
        assert job.encoder_thread.daemon and job.encoder_thread.is_alive()
        RELEASE.set()
    job.encoder_thread.join(10.0)
    assert not job.encoder_thread.is_alive()
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


@pytest.mark.parametrize("name", list(FAILURES))
def test_cli_video_failure_is_one_line_exit_2_and_no_partial_file(
    qapp, tmp_path: Path, capsys, monkeypatch, released, name: str
) -> None:
    out = tmp_path / "talk.mp4"
    out.write_bytes(PREVIOUS)
    _break(monkeypatch, name)
    jobs = _record_jobs(monkeypatch)
    args = ["--story", "rsi_clock", "--format", "mp4", "--width", "160", "--fps", "4"]
    assert export_main([*args, "--hold", "0.5", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and "Traceback" not in err, err
    assert errors[0].startswith("rsiviz export: error: ")
    assert FAILURES[name][1] in errors[0]
    assert f"nothing was written to {out}" in errors[0] or name == "missing"
    assert len(jobs) == 1
    _assert_cleaned_up(jobs[0], out, name)


def _export_from_menu(window, monkeypatch: pytest.MonkeyPatch, out: Path) -> video.VideoExport:
    """File > Export... to ``out`` (a small video: 160 px wide); returns the running job."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setitem(exporters.DEFAULT_WIDTH, out.suffix[1:], 160)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    window.actions.export.trigger()
    return window.video_export


@pytest.mark.parametrize("name", list(FAILURES))
def test_window_video_failure_shows_the_message_and_the_window_carries_on(
    window, qtbot, tmp_path: Path, monkeypatch, released, name: str
) -> None:
    out = tmp_path / "talk.mp4"
    out.write_bytes(PREVIOUS)
    _break(monkeypatch, name)
    window.controller.advance(12)
    job = _export_from_menu(window, monkeypatch, out)
    qtbot.waitUntil(lambda: not job.running, timeout=20_000)
    text = window.banner.text()
    assert window.banner.level == "error" and "Traceback" not in text
    assert text.startswith("Export failed: ") and FAILURES[name][1] in text
    qtbot.waitUntil(lambda: not window.jobs_indicator.isVisible(), timeout=5_000)
    # Responsive: the event loop runs, the model steps, a new export may start.
    ticked: list[int] = []
    QTimer.singleShot(0, lambda: ticked.append(1))
    qtbot.waitUntil(lambda: bool(ticked), timeout=2_000)
    month = window.controller.sim.month
    window.controller.advance(1)
    assert window.controller.sim.month == month + 1
    _assert_cleaned_up(job, out, name)


def test_window_exports_again_after_a_stalled_encoder(
    window, qtbot, tmp_path: Path, monkeypatch, released
) -> None:
    out = tmp_path / "talk.gif"
    out.write_bytes(PREVIOUS)
    monkeypatch.setattr(video_encoder, "FRAME_TIMEOUT_S", 1.0)
    monkeypatch.setattr(video, "AvWriter", StalledWriter)
    window.controller.advance(6)
    stalled = _export_from_menu(window, monkeypatch, out)
    qtbot.waitUntil(lambda: not stalled.running, timeout=20_000)
    assert "stopped responding" in window.banner.text()
    monkeypatch.setattr(video, "AvWriter", AvWriter)
    window.actions.export.trigger()  # while the stuck thread is still stuck
    job = window.video_export
    assert job is not stalled
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert "Wrote" in window.banner.text(), window.banner.text()
    assert out.read_bytes()[:6] == b"GIF89a"
    RELEASE.set()
    stalled.encoder_thread.join(10.0)
    assert not stalled.encoder_thread.is_alive()
    assert out.read_bytes()[:6] == b"GIF89a"  # the late thread did not touch the new file
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_slow_but_steady_encoder_is_not_given_up(qtbot, tmp_path: Path) -> None:
    """The deadline is per call: an encoder slower than real time but making progress ends."""
    import time

    from rsiviz.core.story import find_story

    class SlowWriter(AvWriter):
        def write(self, rgb: np.ndarray) -> None:
            time.sleep(0.1)
            super().write(rgb)

    out = tmp_path / "slow.gif"
    job = video.VideoExport(
        find_story("rsi_clock"),
        out,
        "gif",
        width=160,
        fps=4,
        hold=0.25,
        last_beat=1,
        sink=SlowWriter,
        frame_timeout=0.5,
    )
    result: list[tuple[bool, str]] = []
    job.finished.connect(lambda ok, msg: result.append((ok, msg)))
    job.start()
    qtbot.waitUntil(lambda: bool(result), timeout=30_000)
    assert result == [(True, f"Wrote {job.total} frames to {out}")]
    assert job.total * 0.1 > 0.5  # the whole export took longer than one deadline
    job.encoder_thread.join(5.0)
    assert not job.encoder_thread.is_alive()


def test_closing_the_window_mid_export_stops_it_and_keeps_the_previous_file(
    window, qtbot, tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "out").mkdir()  # tmp_path itself holds the window's settings file
    out = tmp_path / "out" / "talk.mp4"
    out.write_bytes(PREVIOUS)
    window.autosave = None  # no "unsaved changes?" question in this test
    window.controller.advance(24)
    job = _export_from_menu(window, monkeypatch, out)
    qtbot.waitUntil(lambda: job.done > 3, timeout=20_000)
    assert job.running
    window.close()
    assert not job.encoder_thread.is_alive()  # joined by the closing window
    assert not job.render_timer.isActive()
    qtbot.waitUntil(lambda: not job.running and not job.watchdog.isActive(), timeout=5_000)
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
