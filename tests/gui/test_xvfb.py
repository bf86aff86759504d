"""The window on a real X server (Xvfb, xcb platform): curves are drawn, and a
development pause changes the picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

CAPABILITY_RGB = (0x00, 0x72, 0xB2)  # Okabe-Ito blue


def _pixels(path: Path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    assert not image.isNull(), path
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine())[:, : 3 * w].reshape(h, w, 3).copy()


def _capability_pixels(rgb: np.ndarray) -> int:
    """Pixels of the capability colour inside the plot area (left ~70% of the window)."""
    h, w, _ = rgb.shape
    area = rgb[int(0.1 * h) : int(0.95 * h), int(0.05 * w) : int(0.7 * w)].astype(int)
    dist = np.abs(area - np.array(CAPABILITY_RGB)).sum(axis=2)
    return int((dist < 40).sum())


def _shoot(run_app, display: str, out: Path, extra: list[str]) -> np.ndarray:
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    result = run_app(
        ["--until", "2034", "--screenshot", str(out), "--size", "1600x900", *extra], env
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return _pixels(out)


def test_real_x_server_draws_curves_and_pause_changes_picture(
    run_app, xvfb: str, tmp_path: Path
) -> None:
    plain = _shoot(run_app, xvfb, tmp_path / "plain.png", [])
    paused = _shoot(run_app, xvfb, tmp_path / "paused.png", ["--pause", "2028:24:instant"])
    assert plain.shape == paused.shape == (900, 1600, 3)
    assert _capability_pixels(plain) > 2000, "no capability curve drawn"
    assert _capability_pixels(paused) > 2000
    changed = np.abs(plain.astype(int) - paused.astype(int)).sum(axis=2) > 60
    assert changed.sum() > 5000, "the development pause did not change the picture"
