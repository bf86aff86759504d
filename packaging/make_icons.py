"""Icons for the bundles, generated from one source image with Pillow.

    python packaging/make_icons.py [--out DIR] [--draw-source]

Reads resources/icons/rsiviz.png (square, >= 512 px) and writes DIR/rsiviz.ico
(Windows: 16-256 px) and DIR/rsiviz.icns (macOS: 16-1024 px); DIR defaults to
build/icons. build.spec calls :func:`make_icons` before Analysis.

``--draw-source`` (re)draws the source image itself: a clock face whose hand
is an upward arrow, in Okabe-Ito colours (blue rim, orange arrow), bold
enough to stay readable at 16 px.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "rsiviz.png"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]

# Okabe-Ito palette
BLUE = (0, 114, 178, 255)
ORANGE = (230, 159, 0, 255)
WHITE = (255, 255, 255, 255)


def draw_source(path: Path = SOURCE, size: int = 1024) -> Path:
    """Draw the 1024 px master icon: a clock-like ring with an upward arrow."""
    s = 4 * size  # supersample, then downscale for smooth edges
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad, ring = s * 0.04, s * 0.10
    d.ellipse([pad, pad, s - pad, s - pad], fill=BLUE)
    d.ellipse([pad + ring, pad + ring, s - pad - ring, s - pad - ring], fill=WHITE)
    # four bold clock ticks
    c, r_out, r_in, w = s / 2, s / 2 - pad - ring, s / 2 - pad - ring * 1.9, s * 0.035
    for dx, dy in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        x0, y0 = c + dx * r_in, c + dy * r_in
        x1, y1 = c + dx * r_out, c + dy * r_out
        d.rectangle([min(x0, x1) - w, min(y0, y1) - w, max(x0, x1) + w, max(y0, y1) + w], fill=BLUE)
    # the hand: a thick arrow pointing up and to the right (growth)
    shaft = s * 0.085
    head = [(s * 0.70, s * 0.24), (s * 0.76, s * 0.56), (s * 0.45, s * 0.36)]
    d.line([(s * 0.33, s * 0.70), (s * 0.63, s * 0.36)], fill=ORANGE, width=int(shaft))
    d.polygon(head, fill=ORANGE)
    d.ellipse([c * 0.60 - shaft, c * 1.40 - shaft, c * 0.60 + shaft, c * 1.40 + shaft], fill=ORANGE)
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    return path


def make_icons(
    out_dir: Path | str = ROOT / "build" / "icons", source: Path = SOURCE
) -> dict[str, Path]:
    """Write rsiviz.ico and rsiviz.icns into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as src:
        img = src.convert("RGBA")
    if img.width != img.height or img.width < 512:
        raise ValueError(f"{source}: need a square image of at least 512 px, got {img.size}")
    ico, icns = out / "rsiviz.ico", out / "rsiviz.icns"
    img.save(ico, format="ICO", sizes=ICO_SIZES)
    big = img if img.width >= 1024 else img.resize((1024, 1024), Image.Resampling.LANCZOS)
    big.save(icns, format="ICNS", append_images=[img.resize((n, n)) for n in ICNS_SIZES])
    return {"ico": ico, "icns": icns}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "icons"))
    parser.add_argument(
        "--draw-source", action="store_true", help="redraw resources/icons/rsiviz.png"
    )
    args = parser.parse_args(argv)
    if args.draw_source:
        print(f"wrote {draw_source()}")
    for kind, path in make_icons(args.out).items():
        print(f"wrote {kind}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
