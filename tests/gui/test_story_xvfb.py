"""Presenter mode on a real X server (Xvfb + openbox): fullscreen, clicker keys through
the real event queue, the cursor disappears, and the screen shows the caption."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtGui import QGuiApplication
    from rsiviz.gui.app import application, create_main_window

    app = application()
    window = create_main_window()
    window.resize(1280, 720)
    window.show()
    assert window.load_story("development_pause")
    p = window.start_presenter()
    out = sys.argv[1]
    report = []

    def shoot():
        for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageDown):
            QTest.keyClick(p.stage, key)  # start beat 2, then finish it
        app.processEvents()
        report.append(f"beat={p.player.index}")
        report.append(f"fullscreen={p.stage.isFullScreen()}")
        report.append(f"size={p.stage.width()}x{p.stage.height()}")
        report.append(f"cursor_hidden={p.cursor_hidden}")
        screen = QGuiApplication.primaryScreen().grabWindow(0)
        screen.save(out, "PNG")
        print(" ".join(report))
        app.quit()

    QTimer.singleShot(2500, shoot)  # after the 1-second cursor timeout
    app.exec()
    """
)


def test_presenter_fullscreen_on_real_x_server(xvfb: str, tmp_path: Path) -> None:
    out = tmp_path / "screen.png"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    fields = dict(item.split("=") for item in result.stdout.split())
    assert fields == {
        "beat": "1",
        "fullscreen": "True",
        "size": "1920x1080",
        "cursor_hidden": "True",
    }
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB888)
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    rgb = raw.reshape(h, image.bytesPerLine())[:, : 3 * w].reshape(h, w, 3)
    caption_band = rgb[: int(0.08 * h), : int(0.7 * w)]
    assert (caption_band.max(axis=2) < 60).sum() > 3000  # large black caption text
    assert rgb[int(0.5 * h), int(0.4 * w)].min() > 150  # a light projector background
