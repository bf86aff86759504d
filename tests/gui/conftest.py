"""Fixtures for the GUI tests: a main window on the offscreen platform, and a real X
server (Xvfb) for the pixel test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="session")
def _gc_on_gui_thread(qapp):
    """As in the app: cycles are collected on the GUI thread only (rsiviz/gui/gc_guard.py;
    without it a test hung with a worker thread destroying a widget's QObject)."""
    from rsiviz.gui.gc_guard import collect_on_gui_thread

    return collect_on_gui_thread()


@pytest.fixture(autouse=True)
def _synchronous_reruns(request, monkeypatch):
    """Re-runs finish on the GUI thread in tests (on a loaded machine an ordinary re-run can
    overrun the 40 ms budget and go to the background, which the tests that check the new
    run right after an edit do not expect); tests/gui/test_rerun.py sets its own budget."""
    import rsiviz.gui.rerun as rerun

    if "test_rerun" not in request.node.nodeid:
        monkeypatch.setattr(rerun, "BUDGET_S", 60.0)


@pytest.fixture
def settings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The real main window with its controller, shown and active."""
    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    win = MainWindow(Controller(), settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.plots.setFocus()
    yield win
    win.controller.stop()


@pytest.fixture
def controller(qtbot):
    from rsiviz.gui.controller import Controller

    ctl = Controller()
    yield ctl
    ctl.stop()


def _free_display() -> int:
    # .ci/test gives each of its side-by-side pytest runs its own range ("150-169")
    low, _, high = os.environ.get("RSIVIZ_TEST_DISPLAYS", "90-199").partition("-")
    for number in range(int(low), int(high) + 1):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError(f"no free X display number between :{low} and :{high}")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A real X server (Xvfb + openbox) on a free display; yields ':N'.

    Fails (never skips) when Xvfb is missing: this test is the project's proof that the
    window draws on a real X server.
    """
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.fail(
            "Xvfb is not installed: install the 'xvfb' package (apt-get install xvfb)"
            " to run the real-X-server screenshot test"
        )
    display = f":{_free_display()}"
    server = subprocess.Popen(
        [exe, display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
    deadline = time.monotonic() + 20
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"Xvfb did not start on {display}")
        time.sleep(0.05)
    wm = None
    if shutil.which("openbox"):
        wm = subprocess.Popen(
            ["openbox"],
            env={**os.environ, "DISPLAY": display},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        yield display
    finally:
        for proc in (wm, server):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def _run_app(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rsiviz", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=full_env,
    )


@pytest.fixture
def run_app():
    """``run_app(args, env, timeout)``: run ``python -m rsiviz ARGS`` in a subprocess."""
    return _run_app
