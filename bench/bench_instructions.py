"""CPU instructions per live frame, counted by valgrind (callgrind): a frame's cost in a
unit that does not drift with the machine's speed.

The shared CI machine's speed varies 1.6-3x between hours, so the frame times of
bench_frame.py pass or fail with it; the instructions a frame executes (model step, every
plot's update, Qt's painting) hardly change from run to run (< 1%; up to ~15% when a
garbage collection falls inside the counted frames or not). Each configuration
runs in its own process under callgrind with counting switched on for the timed frames
only (setup and start-up excluded), the same frames bench_frame.py times: a playing run
with a 24-month development pause and its counterfactual, one month per frame.

    QT_QPA_PLATFORM=offscreen python bench/bench_instructions.py [--frames N]

Needs valgrind (Debian: apt install valgrind); without it, says so and exits 0.
Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

CONFIGS = (
    ("window", 1920, 1080),
    ("stage", 1920, 1080),
    ("window", 1024, 768),
    # presenter mode on one screen: the full-screen stage over the shown 1920x1080 window
    # (the stage takes the screen's size: the offscreen platform's screen is 800x800)
    ("presenter", 1920, 1080),
    # the window with the uncertainty fan docked and its 1,000-run bands drawn (on the main
    # plots and in the fan view), as bench_frame.py --fan times its frames; the fan view's
    # own live line is redrawn at most every LIVE_INTERVAL_S of wall time, which under
    # valgrind (~50x slower) would be every frame: it is counted on its own ("fan-live":
    # each frame plus one live draw; printed as the difference)
    ("fan-window", 1920, 1080),
    ("fan-live", 1920, 1080),
)


# The uncertainty fan's work in its child processes: each variant of a 1,000-run fan of
# this preset, the work one child does (bench_fan.py times them together; the longer of
# the two is the fan's critical path)
FAN_PRESET, FAN_MEMBERS = "pause_2028_instant", 1000


def _fan_child(variant: str) -> None:
    """Runs under callgrind: count one variant of the fan (compute_fan_part) only."""
    from rsiviz.core.fan import compute_fan_part
    from rsiviz.core.scenario import load_preset

    scenario = load_preset(FAN_PRESET)
    compute_fan_part(scenario, None, 20, None, variant)  # imports and caches warm
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=False)
    compute_fan_part(scenario, None, FAN_MEMBERS, None, variant)
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=False)


def _child(view: str, width: int, height: int, frames: int) -> None:
    """Runs under callgrind: set up, then count ``frames`` live frames only."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_frame import _play_by_hand, _show_fan

    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.app import application, create_main_window

    app = application()
    window = create_main_window(load_preset("status_quo"), restore_layout=False)
    shown = window
    if view == "stage":
        from rsiviz.gui.stage import Stage

        shown = Stage(window.controller)
        shown.scale_to_width(width)
    shown.resize(width, height)
    shown.show()
    app.processEvents()
    ctl = window.controller
    ctl.run_until(ctl.sim.time + 2.0)
    ctl.start_development_pause(months=24)
    if view == "presenter":
        window.start_presenter()  # full screen, on the window's (only) screen
        for _ in range(20):
            app.processEvents()
    fan_view = None
    if view.startswith("fan-"):
        _show_fan(app, window)  # computed in its (uncounted) child processes
        fan_view = window.docks.view("fan")
        window.view_state.events.frame.disconnect(fan_view._on_frame)
    _play_by_hand(ctl)
    for _ in range(3):  # warm-up frames, not counted
        ctl.advance(1)
        app.processEvents()
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=False)
    for _ in range(frames):
        ctl.advance(1)
        app.processEvents()
        if view == "fan-live":
            fan_view._frame = window.view_state.frame
            fan_view._draw_live()
            app.processEvents()
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=False)


def _count(view: str, width: int, height: int, frames: int) -> float | None:
    """Million instructions per frame of one configuration (None: it failed)."""
    return _count_child(f"{view}:{width}x{height}", frames)


def _count_child(child: str, frames: int) -> float | None:
    """Million instructions per frame counted in ``--child child`` (None: it failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={os.path.join(tmp, 'out')}",
            sys.executable,
            os.path.abspath(__file__),
            "--child",
            child,
            "--frames",
            str(frames),
        ]
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected\s*:\s*([\d,]+)", done.stderr)
    if done.returncode != 0 or not found:
        tail = done.stderr.strip().splitlines()[-3:]
        print(f"  {child}: failed (exit {done.returncode}): {' | '.join(tail)}")
        return None
    return int(found.group(1).replace(",", "")) / frames / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=20)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        view, size = args.child.split(":")
        if view == "fan":
            _fan_child(size)
            return 0
        width, height = (int(v) for v in size.split("x"))
        _child(view, width, height, args.frames)
        return 0
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("bench_instructions: valgrind is not installed; nothing counted")
        return 0
    print(
        f"CPU instructions per live frame (callgrind; {args.frames} frames after 3 warm-up, "
        "preset status_quo with a 24-month development pause, one month per frame)"
    )
    from rsiviz.gui.views.fan import LIVE_INTERVAL_S

    counted: dict[str, float] = {}
    for view, width, height in CONFIGS:
        t0 = time.perf_counter()
        per_frame = _count(view, width, height, args.frames)
        if per_frame is None:
            continue
        counted[view] = per_frame
        took = f"({time.perf_counter() - t0:.0f} s under valgrind)"
        label = f"{view} {width}x{height}"
        if view == "presenter":
            label = f"stage full screen over the window at {width}x{height}"
        elif view == "fan-window":
            label = f"window {width}x{height} with the 1,000-run fan"
        elif view == "fan-live":
            if "fan-window" in counted:
                extra = per_frame - counted["fan-window"]
                print(
                    f"  the fan view's live line, one redraw: {extra:6.2f} M instructions "
                    f"(at most every {LIVE_INTERVAL_S:g} s while playing)  {took}"
                )
            continue
        print(f"  {label}: {per_frame:6.2f} M instructions per frame  {took}")
    from rsiviz.core.fan import VARIANT_LABELS, WITH_PAUSE, WITHOUT_PAUSE

    print(f"CPU instructions of one fan child's work ({FAN_MEMBERS:,} runs, {FAN_PRESET})")
    for variant in (WITH_PAUSE, WITHOUT_PAUSE):
        t0 = time.perf_counter()
        total = _count_child(f"fan:{variant}", 1)
        if total is not None:
            print(
                f"  {VARIANT_LABELS[variant]}: {total:7.0f} M instructions"
                f"  ({time.perf_counter() - t0:.0f} s under valgrind)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
