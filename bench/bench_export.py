"""Video export speed: a 30-second 1920x1080 30 fps MP4 (900 frames) of the status-quo run.

    QT_QPA_PLATFORM=offscreen .venv-3.12/bin/python bench/bench_export.py [--story NAME]
        [--seconds 30] [--fps 30] [--width 1920] [--height 1080] [--format mp4|gif]
        [--encoder pyav|pyav-here|ffmpeg|pillow]

``--encoder`` compares the ways an installed app could write video (packaging/README.md,
"Video export"), each fed the same rendered frames through the app's export pipeline:
``pyav`` (the app's: PyAV, FFmpeg's libraries, in a worker process; ``pyav-here`` in this
process), ``ffmpeg`` (raw frames piped to
the static ffmpeg binary of imageio-ffmpeg, which must be installed), ``pillow`` (no FFmpeg:
Pillow writes an animated GIF, or with ``--format webp`` an animated WebP).

Prints the seconds the export took and how many times faster than real time that is (the
budget: faster than real time, i.e. x >= 1, on a 2-core machine) and the CPU seconds it
used (this process's threads plus child processes: comparable on a loaded machine). Also
prints how long the GUI thread was busy at most in one go (the longest gap between two
ticks of a 0-ms timer), which is what a user would feel as a freeze, and the export's own
longest turn of its render timer while it builds its stage and afterwards (the freeze
also counts the layout Qt does between those turns).
"""

from __future__ import annotations

import argparse
import os
import queue
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def cpu_seconds() -> float:
    """CPU seconds used by this process (every thread) and its finished children (ffmpeg)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class FfmpegSink:
    """Raw RGB frames piped to the ffmpeg binary of imageio-ffmpeg (the app's old encoder)."""

    def __init__(self, fmt: str, width: int, height: int, fps: float, path: str) -> None:
        import imageio_ffmpeg  # not in the lock: pip install imageio-ffmpeg to compare

        src = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{fps:g}"]
        if fmt == "mp4":
            enc = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
            enc += ["-profile:v", "high", "-movflags", "+faststart", "-f", "mp4"]
        else:
            gif = "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer"
            enc = ["-filter_complex", gif, "-loop", "0", "-f", "gif"]
        exe = imageio_ffmpeg.get_ffmpeg_exe()
        cmd = [exe, "-y", "-loglevel", "error", "-nostdin", *src, "-i", "-", *enc, path]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)

    def write(self, rgb) -> None:
        self.proc.stdin.write(rgb.tobytes())

    def close(self) -> None:
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise RuntimeError(f"ffmpeg exited {self.proc.returncode}")

    def abort(self) -> None:
        self.proc.kill()


class PillowSink:
    """An animated GIF or WebP written by Pillow alone (no FFmpeg), frames streamed to it."""

    def __init__(self, fmt: str, width: int, height: int, fps: float, path: str) -> None:
        self.frames: queue.Queue = queue.Queue(maxsize=6)
        self.fmt, self.path, self.ms = fmt, path, round(1000 / fps)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._save)
        self.thread.start()

    def _images(self):
        from PIL import Image

        while (rgb := self.frames.get()) is not None:
            yield Image.fromarray(rgb)

    def _save(self) -> None:
        try:
            images = self._images()
            first = next(images)
            opts = {"loop": 0, "duration": self.ms}
            if self.fmt == "webp":
                opts.update(quality=80, method=0)  # the fastest libwebp setting
            first.save(self.path, self.fmt.upper(), save_all=True, append_images=images, **opts)
        except BaseException as exc:  # re-raised on the encoder thread in close()
            self.error = exc

    def write(self, rgb) -> None:
        self.frames.put(rgb)

    def close(self) -> None:
        self.frames.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        self.close()


def _pyav(fmt: str):
    """The app's: PyAV in a worker process of its own (VideoExport's default sink)."""
    return None


def _pyav_here(fmt: str):
    """PyAV in this process (what the app falls back to when no worker process starts)."""
    from rsiviz.gui.video_encoder import AvWriter

    return AvWriter


SINKS = {
    "pyav": _pyav,
    "pyav-here": _pyav_here,
    "ffmpeg": lambda fmt: FfmpegSink,
    "pillow": lambda fmt: lambda _fmt, *rest: PillowSink(fmt, *rest),
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--story", help="a shipped story (default: the status-quo preset)")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--width", type=int, default=1920)
    p.add_argument("--height", type=int, default=1080)
    p.add_argument("--format", choices=("mp4", "gif", "webp"), default="mp4")
    p.add_argument("--encoder", choices=tuple(SINKS), default="pyav")
    args = p.parse_args()
    if args.format == "webp" and args.encoder != "pillow":
        p.error("--format webp needs --encoder pillow")

    from PySide6.QtCore import QTimer

    from rsiviz.core.scenario import load_preset
    from rsiviz.core.story import find_story, story_for_scenario
    from rsiviz.gui.app import application
    from rsiviz.gui.video import VideoExport

    app = application()
    story = find_story(args.story) if args.story else story_for_scenario(load_preset("status_quo"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"bench.{args.format}"
        fmt = "gif" if args.format == "webp" else args.format  # the pipeline's frame plan
        job = VideoExport(
            story, out, fmt, args.width, args.height, args.fps, duration=args.seconds,
            sink=SINKS[args.encoder](args.format),
        )  # fmt: skip
        done: list[tuple[bool, str]] = []
        job.finished.connect(lambda ok, msg: done.append((ok, msg)))
        turns = {"building the stage": 0.0, "frames": 0.0}
        on_turn = job._on_render_timer_timeout

        def timed_turn() -> None:  # the export's own turns, by what they did
            kind = "building the stage" if job._setup is not None else "frames"
            start = time.perf_counter()
            on_turn()
            turns[kind] = max(turns[kind], time.perf_counter() - start)

        job.render_timer.timeout.disconnect()
        job.render_timer.timeout.connect(timed_turn)
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
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        job.start()
        while not done:
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
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
    print(f"encoder           {args.encoder}")
    print(f"export took       {seconds:.1f} s")
    print(
        f"speed             {video / seconds:.2f} x real time "
        f"({'faster' if seconds < video else 'SLOWER'} than real time)"
    )
    print(f"render+encode     {1000 * seconds / job.total:.1f} ms per frame")
    print(f"cpu time          {cpu:.1f} s (all threads and child processes; fair under load)")
    print(f"longest GUI stall {1000 * gaps[0]:.0f} ms")
    print(
        "longest turn      " + ", ".join(f"{kind} {1000 * t:.0f} ms" for kind, t in turns.items())
    )
    print(f"file size         {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
