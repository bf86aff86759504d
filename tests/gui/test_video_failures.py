"""Video fails cleanly: a missing, broken, failing or stalled encoder gives one clear message,
stops the export's timers and thread, leaves no partial file and the previous file as it was
(CLI: one error line, exit 2; window: the banner, the window still working)."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from rsiviz.gui import avwriter, exporters, video, video_encoder
from rsiviz.gui.export_cli import main as export_main
from rsiviz.gui.video_encoder import AvWriter

from . import video_fakes

PREVIOUS = b"the talk's previous video, kept byte for byte"
RELEASE = threading.Event()  # lets a stalled in-process encoder call return (the test's end)


class StalledHereWriter(AvWriter):
    """In this process (no worker process could start): the third frame never comes back
    until released."""

    def write(self, rgb: np.ndarray) -> None:
        if self.count >= 2:
            RELEASE.wait(30.0)
        super().write(rgb)


# name -> (how to break it, what the one message says). The writers of video_fakes run in
# the export's worker process, as the shipped writer does; "missing", "no_h264" and
# "stalled_here" break the writer in this process (where it runs when no worker can start).
FAILURES = {
    "missing": ("no av", "video export needs PyAV (pip install av)"),
    "no_h264": ("no codec", "this PyAV has no libx264_not_built encoder for MP4"),
    "broken": (
        video_fakes.broken_writer,
        "the video encoder could not start: RuntimeError: x264 [error]",
    ),
    "mid_stream": (
        video_fakes.FailingWriter,
        "the video encoder failed after 3 frames: No space left",
    ),
    "stalled": (
        video_fakes.StalledWriter,
        "the video encoder stopped responding (nothing for 1 s)",
    ),
    "stalled_here": (StalledHereWriter, "the video encoder stopped responding (nothing for 1 s)"),
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
        monkeypatch.setattr(avwriter, "H264_CODEC", "libx264_not_built")
    else:
        monkeypatch.setattr(video, "AvWriter", how)
    if name in ("missing", "no_h264", "stalled_here"):
        monkeypatch.setattr(video, "IN_CHILD", False)
    if name.startswith("stalled"):  # a short deadline keeps the test fast
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
        # In a worker process, the stuck call is ended with the process: so is the thread.
        job.encoder_thread.join(5.0)
        assert not job.encoder_thread.is_alive()
        sink = job._encoder.sink
        assert isinstance(sink, video_encoder.ChildAvWriter) and sink.killed
        assert not sink.offload.alive
    if name == "stalled_here":
        # A call stuck in native code in this process cannot be interrupted: the thread is a
        # daemon (never holds up quitting) and, once its call returns, ends writing nothing.
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


@pytest.mark.parametrize("where", ["worker", "here"])
def test_window_exports_again_after_a_stalled_encoder(
    window, qtbot, tmp_path: Path, monkeypatch, released, where: str
) -> None:
    out = tmp_path / "talk.gif"
    out.write_bytes(PREVIOUS)
    monkeypatch.setattr(video_encoder, "FRAME_TIMEOUT_S", 1.0)
    stalled_writer = video_fakes.StalledWriter if where == "worker" else StalledHereWriter
    monkeypatch.setattr(video, "AvWriter", stalled_writer)
    monkeypatch.setattr(video, "IN_CHILD", where == "worker")
    window.controller.advance(6)
    stalled = _export_from_menu(window, monkeypatch, out)
    qtbot.waitUntil(lambda: not stalled.running, timeout=20_000)
    assert "stopped responding" in window.banner.text()
    if where == "worker":  # ended with its process
        stalled.encoder_thread.join(5.0)
        assert not stalled.encoder_thread.is_alive()
    else:
        assert stalled.encoder_thread.is_alive()  # stuck in this process until released
    monkeypatch.setattr(video, "AvWriter", AvWriter)
    window.actions.export.trigger()
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


def _small_export(out: Path, sink: object, frame_timeout: float | None = None) -> video.VideoExport:
    from rsiviz.core.story import find_story

    return video.VideoExport(
        find_story("rsi_clock"),
        out,
        out.suffix[1:],
        width=160,
        fps=4,
        hold=0.25,
        last_beat=1,
        sink=sink,  # type: ignore[arg-type]
        frame_timeout=frame_timeout,
    )


def _run(qtbot, job: video.VideoExport) -> list[tuple[bool, str]]:
    result: list[tuple[bool, str]] = []
    job.finished.connect(lambda ok, msg: result.append((ok, msg)))
    job.start()
    qtbot.waitUntil(lambda: bool(result), timeout=30_000)
    job.encoder_thread.join(5.0)
    assert not job.encoder_thread.is_alive()
    return result


@pytest.mark.parametrize("where", ["worker", "here"])
def test_slow_but_steady_encoder_is_not_given_up(qtbot, tmp_path: Path, where: str) -> None:
    """The deadline is per call: an encoder slower than real time but making progress ends."""
    out = tmp_path / "slow.gif"
    slow = video_fakes.SlowWriter
    sink = (
        functools.partial(video_encoder.ChildAvWriter, writer=slow) if where == "worker" else slow
    )
    job = _small_export(out, sink, frame_timeout=0.5)
    assert _run(qtbot, job) == [(True, f"Wrote {job.total} frames to {out}")]
    assert job.total * 0.1 > 0.5  # the whole export took longer than one deadline
    assert out.read_bytes()[:6] == b"GIF89a"


def test_the_encoder_runs_in_a_worker_process_and_ends_it(qtbot, tmp_path: Path) -> None:
    """The shipped path: PyAV in a child process (its pid is not ours), gone when done."""
    import os

    import av

    out = tmp_path / "talk.mp4"
    job = _small_export(out, None)
    pids: list[int | None] = []  # the worker's, while frames are encoded
    job.progress.connect(lambda *_: pids.append(getattr(job._encoder.sink, "pid", None)))
    assert _run(qtbot, job) == [(True, f"Wrote {job.total} frames to {out}")]
    sink = job._encoder.sink
    assert isinstance(sink, video_encoder.ChildAvWriter) and sink.local is None
    assert {p for p in pids if p is not None} - {os.getpid()}
    assert not sink.offload.alive  # closed with the file
    with av.open(str(out)) as container:
        assert sum(1 for _ in container.decode(video=0)) == job.total
        assert container.streams.video[0].codec_context.name == "h264"
    assert sink.offload.failure is None


def test_without_a_worker_process_the_encoder_runs_here(
    qtbot, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A worker that cannot start (no executable): one line on stderr, the same video."""
    from rsiviz.core import offload

    monkeypatch.setattr(offload, "child_command", lambda: [str(tmp_path / "no-such-program")])
    out = tmp_path / "talk.gif"
    job = _small_export(out, None)
    assert _run(qtbot, job) == [(True, f"Wrote {job.total} frames to {out}")]
    sink = job._encoder.sink
    assert isinstance(sink, video_encoder.ChildAvWriter) and sink.local is not None
    assert "video encoder in this process (cannot start a worker process" in capsys.readouterr().err
    assert out.read_bytes()[:6] == b"GIF89a"


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


def test_the_worker_side_of_the_encoder_loads_no_qt() -> None:
    """The worker process imports the writer by name: it must not pull Qt in (seconds of
    start-up, and the frozen worker has no display to give it)."""
    import subprocess

    code = (
        "import sys, rsiviz.gui.avwriter, rsiviz.core.offload; "
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))); "
        "print(qt, file=sys.stderr); sys.exit(1 if qt else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
