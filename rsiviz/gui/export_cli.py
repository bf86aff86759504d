"""``rsiviz export``: pictures, data and video of a scenario or a story, without a window.

    rsiviz export [--preset NAME | --scenario FILE | --story FILE|NAME] [--set NAME=VALUE]
                  [--pause START:MONTHS[:RELEASE]] [--cut NAME[:START]] [--years Y]
                  [--until YEAR | --beat N]
                  --format png|svg|csv|mp4|gif|pdf --out FILE
                  [--width PX] [--height PX] [--fps N] [--duration S] [--hold S]
                  [--theme projector|dark] [--page a4|letter]

Pictures and videos show the whole stage (caption, year, plots, legend, RSI clock) with a
footer: "Conditional on assumptions, not a forecast", the version and the story. ``pdf``
writes the whole story as a handout, one page per beat with its caption and notes. The CSV
has the columns of ``rsiviz run`` and, with a development pause, the run without it
(columns prefixed ``without_development_pause_``). Each ``--cut NAME[:START]`` (parsed and
checked as ``rsiviz run`` does) draws the run with that link cut as a ghost beside the
live one, as the window's loop view does, and adds its columns (prefixed ``cut_NAME_``).

Needs Qt to render, so it lives in ``rsiviz.gui``; the CLI reaches it lazily. Bad options
and an output folder that does not exist or is not writable exit 2 with one line on
stderr (checked before rendering); so does a failed export (a full disk, a missing,
broken or stalled video encoder), leaving the previous file at ``--out`` as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from rsiviz.cli.output import check_writable
from rsiviz.core.interventions import LINKS, LinkCut
from rsiviz.core.options import (
    OptionError,
    build_scenario,
    ghost_cuts,
    number_arg,
    whole_arg,
)
from rsiviz.core.scenario import ScenarioError
from rsiviz.core.story import Story, StoryError, find_story, story_for_scenario
from rsiviz.core.tomlfile import one_line, show
from rsiviz.gui.exporters import DEFAULT_WIDTH, FORMATS, ExportError


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="rsiviz export", description="Export a picture, the data or a video.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--preset", help="a shipped scenario preset")
    src.add_argument("--scenario", help="a scenario file (TOML)")
    src.add_argument("--story", help="a story file, or the name of a shipped story")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--pause", action="append", default=[], metavar="START:MONTHS[:RELEASE]")
    p.add_argument(
        "--cut",
        action="append",
        default=[],
        metavar="NAME[:START]",
        help="draw the run with this link of the loop cut from START (default: the start) as "
        f"a ghost, e.g. automation:2028; links: {', '.join(LINKS)} (repeatable)",
    )
    p.add_argument("--years", type=number_arg(), help="years to simulate")
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--until",
        type=number_arg(1900.0, 2300.0),
        metavar="YEAR",
        help="the run up to this year (a story: the last beat reached by then)",
    )
    when.add_argument(
        "--beat", type=whole_arg(1, 10_000), metavar="N", help="a story's beat N (1 = the first)"
    )
    p.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument(
        "--width",
        type=whole_arg(16, 8000),
        help="pixels (png 3840, svg/mp4 1920, gif 960, pdf 1600)",
    )
    p.add_argument("--height", type=whole_arg(16, 8000), help="pixels (default: 16:9)")
    p.add_argument(
        "--fps", type=number_arg(1.0, 120.0), default=30.0, help="video frames per second"
    )
    p.add_argument(
        "--duration",
        type=number_arg(0.5, 3600.0),
        help="video length in seconds, 0.5 to 3600 (default: natural)",
    )
    p.add_argument(
        "--hold",
        type=number_arg(0.0, 60.0),
        default=2.5,
        help="seconds each story caption holds (0 to 60)",
    )
    p.add_argument("--theme", choices=("projector", "dark"), default="projector")
    p.add_argument("--page", choices=("a4", "letter"), default="a4", help="pdf page (landscape)")
    return p


def _story(args: argparse.Namespace) -> tuple[Story, tuple[LinkCut, ...]]:
    """The story to export and the links whose cut runs are drawn as ghosts."""
    if args.story:
        if args.set or args.pause or args.cut or args.years is not None:
            raise UsageError("--set, --pause, --cut and --years do not apply to --story")
        return find_story(args.story), ()
    scenario = build_scenario(
        args.preset, args.scenario, args.set, args.pause, args.years, args.cut
    )
    scenario, ghosts = ghost_cuts(scenario, len(args.cut))
    return story_for_scenario(scenario, args.until), ghosts


def _format(args: argparse.Namespace) -> str:
    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--out {show(args.out)}: say --format ({', '.join(FORMATS)})")
    return str(fmt)


def _last_beat(story: Story, args: argparse.Namespace) -> int:
    from rsiviz.gui.exporters import beat_until

    n = len(story.beats)
    if args.beat is not None:
        if not 1 <= args.beat <= n:
            raise UsageError(f"--beat {args.beat}: the story has beats 1 to {n}")
        return int(args.beat) - 1
    return beat_until(story, args.until)


def main(argv: list[str]) -> int:
    """Run ``rsiviz export ARGV``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        fmt = _format(args)
        check_writable(args.out)
        story, cuts = _story(args)
        beat = _last_beat(story, args)
    except (UsageError, OptionError, ScenarioError, StoryError, OSError) as exc:
        print(f"rsiviz export: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    try:
        return _export(story, beat, fmt, args, cuts)
    except (ExportError, OSError) as exc:
        print(f"rsiviz export: error: {one_line(str(exc))}", file=sys.stderr)
        return 2


def _export(
    story: Story, beat: int, fmt: str, args: argparse.Namespace, cuts: tuple[LinkCut, ...]
) -> int:
    from rsiviz.gui import exporters

    if fmt == "csv":
        exporters.export_story_csv(story, beat, args.out, cuts)
        return 0
    if not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless is fine: a real render
    from rsiviz.gui.app import application

    application()
    _quiet_offscreen_warnings()
    width = args.width or DEFAULT_WIDTH[fmt]
    if fmt == "png":
        exporters.export_png(story, beat, args.out, width, args.height, args.theme, cuts)
    elif fmt == "svg":
        exporters.export_svg_file(story, beat, args.out, width, args.theme, args.height, cuts)
    elif fmt == "pdf":
        from rsiviz.gui.handout import export_pdf

        export_pdf(story, args.out, width, args.theme, args.page, cuts)
    else:
        return _video(story, beat, fmt, width, args, cuts)
    return 0


def _quiet_offscreen_warnings() -> None:
    """Drop the offscreen platform's harmless 'propagateSizeHints' notice; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode: object, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _video(
    story: Story,
    beat: int,
    fmt: str,
    width: int,
    args: argparse.Namespace,
    cuts: tuple[LinkCut, ...],
) -> int:
    from PySide6.QtCore import QEventLoop

    from rsiviz.gui.video import VideoExport

    job = VideoExport(
        story,
        args.out,
        fmt,
        width,
        args.height,
        args.fps,
        args.hold,
        args.duration,
        beat,
        args.theme,
        cuts=cuts,
    )
    result: list[tuple[bool, str]] = []
    loop = QEventLoop()
    tty = sys.stderr.isatty()

    shown = [-1]

    def on_progress(done: int, total: int) -> None:
        if tty:
            bar = "#" * int(30 * done / max(total, 1))
            print(f"\r[{bar:<30}] {done}/{total} frames", end="", file=sys.stderr)
            return
        tenth = 10 * done // max(total, 1)  # a log or a pipe: a line every 10%
        if tenth != shown[0]:
            shown[0] = tenth
            print(f"rsiviz export: {done}/{total} frames ({10 * tenth}%)", file=sys.stderr)

    def on_finished(ok: bool, message: str) -> None:
        result.append((ok, message))
        loop.quit()

    job.progress.connect(on_progress)
    job.finished.connect(on_finished)
    job.start()
    if not result:
        loop.exec()
    ok, message = result[0]
    if tty:
        print(file=sys.stderr)
    if not ok:
        reason = message.removeprefix("Export failed: ")
        print(f"rsiviz export: error: {one_line(reason)}", file=sys.stderr)
        return 2
    return 0
