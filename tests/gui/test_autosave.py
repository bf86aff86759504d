"""Nothing the user made is lost: autosave, restore after a kill, a question before quitting."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setenv("RSIVIZ_DATA_DIR", str(tmp_path / "data"))
    # A window left with unsaved edits asks when the test closes it: answer Discard, so no
    # modal dialog waits forever on the offscreen platform.
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    )
    return tmp_path / "data"


def _session_window(qtbot, settings, interval_ms=50):
    from rsiviz.gui.autosave import Autosave
    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    win = MainWindow(Controller(), settings=settings, session=True)
    qtbot.addWidget(win)
    win.autosave.timer.setInterval(interval_ms)
    assert isinstance(win.autosave, Autosave)
    return win


def _keep_run(win, label: str) -> None:
    from rsiviz.core.viewstate import Run

    sc = win.controller.current_scenario()
    win.view_state.set_run(Run(f"saved:{label}", "saved", label, sc.simulation().run(), sc))


def test_edits_and_kept_runs_are_autosaved_and_cleared_when_saved(qtbot, settings, data, tmp_path):
    from rsiviz.core.scenario import load_scenario

    win = _session_window(qtbot, settings)
    folder = win.autosave.folder
    qtbot.wait(150)
    assert not folder.exists()  # nothing unsaved, nothing written
    win.controller.set_param("software_returns", 2.0)
    win.controller.flush()
    _keep_run(win, "Run A")
    qtbot.waitUntil(lambda: (folder / "run-1.toml").exists())
    assert load_scenario(folder / "current.toml") == win.controller.current_scenario()
    assert load_scenario(folder / "run-1.toml").name == "Run A"
    win.view_state.remove_run("saved:Run A")
    assert win.save_file(str(tmp_path / "mine.toml"))
    qtbot.waitUntil(lambda: not folder.exists())  # saved by the user: nothing to recover
    win.autosave.close()


_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["RSIVIZ_AUTOSAVE_MS"] = sys.argv[2]
    from PySide6.QtCore import QSettings, QTimer
    from rsiviz.gui.app import application, create_main_window
    app = application()
    win = create_main_window(restore_layout=False, session=True)
    ctl = win.controller
    values = [0.5 + 0.01 * i for i in range(300)]
    state = {"i": 0}
    def edit():  # a student dragging a slider, forever
        ctl.set_param("software_returns", values[state["i"] % len(values)])
        ctl.flush()
        state["i"] += 1
        if state["i"] == 3:
            print("editing", flush=True)
    if sys.argv[1] == "drag":
        t = QTimer(); t.timeout.connect(edit); t.start(5)
    else:
        ctl.set_param("full_automation_speedup", 20.0); ctl.flush()
        ctl.reset(); ctl.advance(24)
        assert ctl.start_development_pause(months=12)
        QTimer.singleShot(400, lambda: print("edited", flush=True))
    app.exec()
    """
)


def _child(mode: str, interval_ms: int, data: Path) -> subprocess.Popen:
    env = dict(os.environ, RSIVIZ_DATA_DIR=str(data), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, mode, str(interval_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()


def _wait_line(proc: subprocess.Popen, want: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if want in line:
            return
        if proc.poll() is not None:
            raise AssertionError(f"child exited ({proc.returncode}) before {want!r}")
    raise AssertionError(f"no {want!r} within {timeout} s")


def test_sigkill_mid_edit_then_the_next_start_restores_the_edits(qtbot, settings, data):
    from rsiviz.gui.autosave import left_behind

    proc = _child("edit", 100, data)
    try:
        _wait_line(proc, "edited")
        time.sleep(0.4)  # a few autosave ticks
    finally:
        _kill(proc)
    sessions = left_behind(data)
    assert len(sessions) == 1
    sc = sessions[0].current
    assert sc.params.full_automation_speedup == 20.0 and len(sc.pauses) == 1
    win = _session_window(qtbot, settings)
    win.autosave.restore(sessions[0])
    assert win.controller.current_scenario() == sc
    assert win.autosave.dirty  # restored edits are still unsaved
    win.autosave.close()


def test_sigkill_during_autosaves_never_leaves_a_broken_file(data):
    from rsiviz.gui.autosave import autosave_root, left_behind

    rng = random.Random(7)
    for _ in range(8):
        proc = _child("drag", 10, data)  # an autosave every 10 ms while values change
        try:
            _wait_line(proc, "editing")
            time.sleep(rng.uniform(0.05, 0.5))
        finally:
            _kill(proc)
        folders = [p for p in autosave_root(data).iterdir() if p.is_dir()]
        readable = left_behind(data)  # parses every file it offers
        assert len(readable) == len(folders), "a killed autosave left an unreadable session"
        for s in readable:
            assert 0.5 <= s.current.params.software_returns <= 3.5


def test_quitting_with_unsaved_edits_asks(qtbot, settings, data, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    answers = []

    def ask(answer):
        def question(*args, **kwargs):
            answers.append(args[2])
            return answer

        return staticmethod(question)

    win = _session_window(qtbot, settings)
    win.show()
    win.close()  # nothing changed: no question
    assert answers == [] and not win.isVisible()
    win = _session_window(qtbot, settings)
    win.show()
    win.controller.set_param("oversight_pace", 2.0)
    win.controller.flush()
    monkeypatch.setattr(QMessageBox, "question", ask(QMessageBox.StandardButton.Cancel))
    win.close()
    assert win.isVisible() and "Save the scenario" in answers[-1]
    out = tmp_path / "kept.toml"
    monkeypatch.setattr(QMessageBox, "question", ask(QMessageBox.StandardButton.Save))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    win.close()
    assert not win.isVisible() and out.exists()
    assert not win.autosave.folder.exists()  # a clean quit leaves nothing to restore


def test_a_run_shortened_past_its_pause_saves_opens_and_restores(qtbot, settings, data, tmp_path):
    """A run made shorter than its scheduled development pause (2028, with 1 year from 2026)
    is a state the window allows: its file opens again as saved, and its autosaved session
    is offered after a crash. Both were refused ("would start only once the run has ended"):
    File > Open failed on the file the window had saved, and the session was skipped."""
    import shutil

    from rsiviz.gui.autosave import left_behind

    win = _session_window(qtbot, settings)
    assert win.controller.load_preset("pause_2028_instant")
    win.controller.set_param("years", 1.0)
    win.controller.flush()
    shortened = win.controller.current_scenario()
    assert shortened.params.years == 1.0 and shortened.pauses[0].start == 2028.0
    qtbot.waitUntil(lambda: (win.autosave.folder / "current.toml").exists())
    # a crash: the folder stays, and a later start (another process) finds the session
    crashed = win.autosave.folder.with_name("999999")
    shutil.copytree(win.autosave.folder, crashed)
    (session,) = [s for s in left_behind(data) if s.folder == crashed] or [None]
    assert session is not None and session.current == shortened
    path = tmp_path / "short.toml"
    assert win.save_file(str(path))
    win.controller.set_param("years", 12.0)
    win.controller.flush()
    assert win.open_file(str(path))
    assert win.controller.current_scenario().params.years == 1.0
    assert win.controller.current_scenario().pauses == shortened.pauses
    win.autosave.close()
