"""Video export speed: a 30-second 1920x1080 30 fps MP4 (900 frames) of the status-quo run.

    QT_QPA_PLATFORM=offscreen .venv-3.12/bin/python bench/bench_export.py [--story NAME]
        [--seconds 30] [--fps 30] [--width 1920] [--height 1080] [--format mp4|gif]

Prints the seconds the export took and how many times faster than real time that is (the
budget: faster than real time, i.e. x >= 1, on a 2-core machine). Also prints how long
the GUI thread was busy at most in one go (the longest gap between two ticks of a 0-ms
timer), which is what a user would feel as a freeze.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--story", help="a shipped story (default: the status-quo preset)")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--width", type=int, default=1920)
    p.add_argument("--height", type=int, default=1080)
    p.add_argument("--format", choices=("mp4", "gif"), default="mp4")
    args = p.parse_args()

    from PySide6.QtCore import QTimer

    from rsiviz.core.scenario import load_preset
    from rsiviz.core.story import find_story, story_for_scenario
    from rsiviz.gui.app import application
    from rsiviz.gui.video import VideoExport

    app = application()
    story = find_story(args.story) if args.story else story_for_scenario(load_preset("status_quo"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"bench.{args.format}"
        job = VideoExport(
            story, out, args.format, args.width, args.height, args.fps, duration=args.seconds
        )
        done: list[tuple[bool, str]] = []
        job.finished.connect(lambda ok, msg: done.append((ok, msg)))
        gaps = [0.0]
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps[0] = max(gaps[0], now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(0)
        timer.timeout.connect(tick)
        timer.start()
        t0 = time.perf_counter()
        job.start()
        while not done:
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - t0
        timer.stop()
        ok, message = done[0]
        size = out.stat().st_size if out.exists() else 0
    if not ok:
        print(f"bench_export: FAILED: {message}", file=sys.stderr)
        return 1
    video = job.total / args.fps
    print(
        f"frames            {job.total} ({args.width}x{args.height} @ {args.fps:g} fps, "
        f"{video:.1f} s of video, {args.format})"
    )
    print(f"export took       {seconds:.1f} s")
    print(
        f"speed             {video / seconds:.2f} x real time "
        f"({'faster' if seconds < video else 'SLOWER'} than real time)"
    )
    print(f"render+encode     {1000 * seconds / job.total:.1f} ms per frame")
    print(f"longest GUI stall {1000 * gaps[0]:.0f} ms")
    print(f"file size         {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
