"""packaging/make_icons.py writes .ico and .icns files Pillow can read back."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import make_icons  # noqa: E402


def test_source_icon_is_square_and_large() -> None:
    with Image.open(REPO / "resources" / "icons" / "rsiviz.png") as img:
        assert img.width == img.height >= 512
        assert img.mode == "RGBA"


def test_make_icons(tmp_path: Path) -> None:
    out = make_icons.make_icons(tmp_path)
    with Image.open(out["ico"]) as ico:
        assert ico.format == "ICO"
        sizes = ico.info["sizes"]
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(sizes)
    with Image.open(out["icns"]) as icns:
        assert icns.format == "ICNS"
        icns.load()
        assert icns.size[0] >= 512


def test_small_icon_is_not_blank(tmp_path: Path) -> None:
    out = make_icons.make_icons(tmp_path)
    with Image.open(out["ico"]) as ico:
        small = ico.ico.getimage((16, 16)).convert("RGBA")
    assert small.size == (16, 16)
    assert len(small.getcolors(maxcolors=4096) or []) > 4  # a readable picture, not one flat colour


def test_draw_source_roundtrip(tmp_path: Path) -> None:
    path = make_icons.draw_source(tmp_path / "icon.png", size=512)
    with Image.open(path) as img:
        assert img.size == (512, 512)
