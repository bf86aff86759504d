"""Frame time of the live window and the presenter stage, and the chart's movement.

A frame = advance the model one month + update every plot + paint, with thick antialiased
lines. The budget is half of a 60 Hz frame (8.3 ms) at 1920x1080. Printed side by side at
1024x768, 1920x1080 and 3840x2160, wall and CPU time; then matplotlib (Agg) drawing the
same curves at 1920x1080 for scale; then how far the stage's plots move between
consecutive beats of every shipped story (0 px: the caption's room is reserved).

    QT_QPA_PLATFORM=offscreen python bench/bench_frame.py [--frames N] [--preset NAME]
    QT_QPA_PLATFORM=offscreen python bench/bench_frame.py --show loop [--frames N]
    QT_QPA_PLATFORM=offscreen python bench/bench_frame.py --fan [--frames N] [--check]

``--show KEY`` instead opens view KEY in the 1920x1080 window and prints what it costs a
frame, one month per frame (the worst case) and at the default playback speed at 60 Hz (a
month every few frames): the view's own CPU time (its frame handler, paint and deferred
drawing) and the whole frame's wall and CPU time with the view and without it (the view
docked but sent no frames, so the plots keep their size). Two windows, one with the view
and one without, take turns frame by frame (a machine that slows down slows both), for
--repeat runs after 5 warm-up frames; what the view adds is the mean of the paired
differences without the 5% largest and smallest. ``--check`` exits 1 when the larger of the
view's own mean CPU and the frame's added CPU exceeds 1 ms (the loop diagram's limit).

    QT_QPA_PLATFORM=offscreen python bench/bench_frame.py --show loop --check

``--fan`` instead times whole live frames (model, every plot, paint; wall and CPU) of the
1920x1080 window with the uncertainty fan docked and its 1,000-run bands drawn on the main
plots and in the fan view; ``--check`` exits 1 when the best run's median wall or CPU time
is over the budget.

Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WIDTH, HEIGHT = 1920, 1080
SIZES = ((1024, 768), (1920, 1080), (3840, 2160))
BUDGET_MS = 1000.0 / 60.0 / 2.0
VIEW_LIMIT_MS = 1.0  # a view may add this much CPU to a frame (issue 11: the loop diagram)
# CPU time of the frames (thread_time): unlike wall time, not inflated when other
# processes compete for the cores.
CPU: dict[str, list[float]] = {"matplotlib": []}


def _pyqtgraph_frames(
    preset: str,
    frames: int,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    view: str = "window",
    fan: bool = False,
) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of ``frames`` live frames of the window (or the stage) at ``size``;
    ``fan``: with the uncertainty fan docked and its bands drawn."""
    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.app import application, create_main_window

    app = application()
    window = create_main_window(load_preset(preset), restore_layout=False)
    shown = window
    if view == "stage":
        from rsiviz.gui.stage import Stage

        window.hide()
        shown = Stage(window.controller)
        shown.scale_to_width(size[0])
    shown.resize(*size)
    shown.show()
    app.processEvents()
    ctl = window.controller
    ctl.run_until(ctl.sim.time + 2.0)
    ctl.start_development_pause(months=24)  # so the counterfactual ghost is drawn too
    if fan:
        _show_fan(app, window)
    times, cpu = [], []
    _play_by_hand(ctl)
    for _ in range(frames):
        if ctl.sim.done:
            ctl._restart()  # keeps the live development pause and its counterfactual
            _play_by_hand(ctl)
        t0, c0 = time.perf_counter(), time.thread_time()
        ctl.advance(1)  # model + snapshot -> every plot's setData
        app.processEvents()  # the scene's dirty items and every updated widget paint here
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.thread_time() - c0) * 1000.0)
    shown.close()
    window.close()
    return times, cpu


def _play_by_hand(ctl) -> None:  # type: ignore[no-untyped-def]
    """Frames as a playing run paints them (curves in draft, see ``Plots.set_draft``), but
    stepped by the benchmark: the play timer is set so that it cannot fire meanwhile."""
    ctl.play()
    ctl._timer.setInterval(3_600_000)


def _show_fan(app, window) -> None:  # type: ignore[no-untyped-def]
    """Dock the fan view and wait for its bands (computed in the background)."""
    window.show_views(["fan"])
    view = window.docks.view("fan")
    view.job.request(force=True)
    if not window.jobs.wait_idle(300.0) or view.plots.fan is None:
        raise SystemExit("bench_frame: the fan did not finish within 300 s")
    app.processEvents()
    if not window.view_state.bands:
        raise SystemExit("bench_frame: the fan published no bands to the main plots")


def _fan_frames(preset: str, frames: int, repeat: int, check: bool) -> int:
    """Live frames at 1920x1080 with the fan visible; 1 when ``check`` and over budget."""
    runs = [_pyqtgraph_frames(preset, frames, fan=True) for _ in range(repeat)]
    wall, cpu = min(runs, key=lambda r: statistics.median(r[0]))
    med_wall, med_cpu = statistics.median(wall), statistics.median(cpu)
    p90 = sorted(wall)[int(0.9 * (len(wall) - 1))]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"live frame at {WIDTH}x{HEIGHT} with the 1,000-run fan visible, preset {preset}: "
        f"{frames} frames, best of {repeat} runs (load {load:.1f} on {os.cpu_count()} cores)"
    )
    ok = med_wall <= BUDGET_MS and med_cpu <= BUDGET_MS
    print(
        f"  median wall {med_wall:.2f} ms, CPU {med_cpu:.2f} ms (p90 wall {p90:.2f} ms); "
        f"budget {BUDGET_MS:.1f} ms  {'PASS' if ok else 'OVER'}"
    )
    return 1 if check and not ok else 0


def _beat_movement() -> dict[tuple[int, int], float]:
    """The largest move (px) of the stage's plots between consecutive beats, per size."""
    from rsiviz.core.story import find_story, list_stories
    from rsiviz.gui.app import application
    from rsiviz.gui.exporters import OffscreenStage
    from rsiviz.gui.layout_audit import plot_rects

    application()
    out = {}
    for size in SIZES:
        worst = 0.0
        for name in list_stories():
            story = find_story(name)
            off = OffscreenStage.create(story, *size)
            seen = []
            for beat in range(len(story.beats)):
                off.show_beat(beat)
                seen.append(plot_rects(off.stage))
            off.close()
            for r0, r1 in zip(seen, seen[1:], strict=False):
                moves = [
                    abs(a - b)
                    for p, q in zip(r0, r1, strict=True)
                    for a, b in zip(p, q, strict=True)
                ]
                worst = max(worst, *moves)
        out[size] = worst
    return out


def _matplotlib_frames(preset: str, frames: int) -> list[float]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rsiviz.core.scenario import load_preset

    sc = load_preset(preset)
    sim = sc.simulation()
    sim.run_until(sim.time + 2.0)
    cf = sim.fork()
    from rsiviz.core.interventions import DevelopmentPause

    sim.schedule(DevelopmentPause.at(sim.time, months=24))
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        sharex=True,
        figsize=(WIDTH / 100, HEIGHT / 100),
        dpi=100,
        gridspec_kw={"height_ratios": [3, 2]},
    )
    lw = 4.2
    lines = {
        "cap": top.plot([], [], color="#0072B2", lw=lw)[0],
        "pot": top.plot([], [], color="#0072B2", lw=lw * 0.7, ls="--")[0],
        "over": top.plot([], [], color="#009E73", lw=lw * 0.85, ls="-.")[0],
        "cf_cap": top.plot([], [], color="#555555", lw=lw * 0.7, ls=":")[0],
        "cf_over": top.plot([], [], color="#1b6b52", lw=lw * 0.6, ls=":")[0],
        "gap": bottom.plot([], [], color="#D55E00", lw=lw * 0.9)[0],
        "cf_gap": bottom.plot([], [], color="#555555", lw=lw * 0.7, ls=":")[0],
    }
    t0, t1 = sim.history.years[0], sim.history.years[-1]
    top.set_xlim(t0, t1)
    top.set_ylim(-1, 20)
    bottom.set_ylim(-4, 8)
    for ax in (top, bottom):
        ax.grid(alpha=0.25)
        ax.tick_params(labelsize=16)
    fill = None
    span = None
    times = []
    for _ in range(frames):
        if sim.done:
            sim = sc.simulation()
            cf = sim.fork()
        start, c0 = time.perf_counter(), time.thread_time()
        sim.step(1)
        cf.step(sim.month - cf.month)
        h, c = sim.history, cf.history
        x, xc = h.time, c.time
        lines["cap"].set_data(x, h.capability()[:, 0])
        lines["pot"].set_data(x, h.potential()[:, 0])
        lines["over"].set_data(x, h.oversight()[:, 0])
        lines["cf_cap"].set_data(xc, c.capability()[:, 0])
        lines["cf_over"].set_data(xc, c.oversight()[:, 0])
        lines["gap"].set_data(x, h.gap()[:, 0])
        lines["cf_gap"].set_data(xc, c.gap()[:, 0])
        if fill is not None:
            fill.remove()
        fill = top.fill_between(
            x, h.capability()[:, 0], h.potential()[:, 0], color="#0072B2", alpha=0.2
        )
        paused = h.any_paused()[:, 0]
        if span is not None:
            span.remove()
            span = None
        if paused.any():
            span = top.axvspan(x[paused][0], x[paused][-1], color="#D55E00", alpha=0.15)
        fig.canvas.draw()
        times.append((time.perf_counter() - start) * 1000.0)
        CPU["matplotlib"].append((time.thread_time() - c0) * 1000.0)
    plt.close(fig)
    return times


WARM_UP = 5  # frames before measuring: the first lays the view out and draws it whole


class _ViewWindow:
    """A 1920x1080 window with view ``key`` docked, stepped a frame at a time. ``idle``: the
    view is shown but gets no frames (the same layout, so the plots are as large:
    "without" it). ``step()`` returns (own CPU, frame wall, frame CPU) ms; own = the view's
    frame handler, paint and deferred work, as :func:`_time_view` adds them up for this
    window's view only."""

    def __init__(self, key: str, preset: str, playback: bool, idle: bool, spent: list[float]):
        from rsiviz.core.scenario import load_preset
        from rsiviz.gui.app import application, create_main_window

        self.app = application()
        self.window = create_main_window(load_preset(preset))
        self.window.resize(WIDTH, HEIGHT)
        self.window.show()
        self.window.show_views([key])
        self.app.processEvents()
        self.view = self.window.docks.view(key)
        if idle:
            self.window.view_state.events.frame.disconnect(self.view._on_frame)
        self.playback, self.spent = playback, spent
        self.ctl = self.window.controller
        for _ in range(WARM_UP):
            self.ctl.advance(1)
            self.app.processEvents()

    def step(self) -> tuple[float, float, float]:
        ctl = self.ctl
        if ctl.sim.done:
            ctl._restart()
        self.app.processEvents()  # what the other window left (its deferred drawing)
        _COUNTED[0] = self.view
        self.spent[0] = 0.0
        t0, c0 = time.perf_counter(), time.thread_time()
        if self.playback:
            ctl.tick(1.0 / 60.0)  # emits a frame only when a month has passed
        else:
            ctl.advance(1)
        self.app.processEvents()
        wall = (time.perf_counter() - t0) * 1000.0
        cpu = (time.thread_time() - c0) * 1000.0
        _COUNTED[0] = None
        return self.spent[0], wall, cpu

    def close(self) -> None:
        self.window.close()


_COUNTED: list[object] = [None]  # the view instance whose work _time_view adds up


# What a view does per frame: its frame handler, its paint and, for the loop diagram, the
# half picture it draws when frames stop coming (the settle timer).
TIMED = ("_on_frame", "paintEvent", "_refresh")


def _time_view(key: str, spent: list[float]) -> list[tuple[type, str, object]]:
    """Wrap the view's per-frame methods to add their CPU ms to ``spent[0]`` (outermost
    call only: _refresh runs inside _on_frame too)."""
    from rsiviz.gui.views import view_class

    cls = view_class(key)
    depth = [0]
    restore = []
    for name in TIMED:
        original = cls.__dict__.get(name)
        if original is None:
            continue

        def timed(self, *args, _original=original, **kw):  # type: ignore[no-untyped-def]
            if self is not _COUNTED[0]:
                return _original(self, *args, **kw)
            c0 = time.thread_time()
            depth[0] += 1
            try:
                return _original(self, *args, **kw)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[0] += (time.thread_time() - c0) * 1000.0

        setattr(cls, name, timed)
        restore.append((cls, name, original))
    return restore


def _stats(values: list[float]) -> str:
    v = sorted(values)
    return (
        f"median {statistics.median(v):.3f}, mean {statistics.mean(v):.3f}, "
        f"p90 {v[int(0.9 * len(v))]:.3f}, max {v[-1]:.3f}"
    )


TRIM = 0.05  # the share of paired differences dropped at each end (a GC pause, a hiccup)


def _trimmed_mean(values: list[float]) -> float:
    """The mean without the TRIM largest and TRIM smallest values: a mean (a view that works
    every few frames costs its average), but not one a single stall can move."""
    v = sorted(values)
    cut = int(len(v) * TRIM)
    return statistics.mean(v[cut : len(v) - cut])


def _show_view(key: str, preset: str, frames: int, repeat: int, check: bool) -> int:
    """The view's own cost and what it adds to a whole frame: two windows, one with the view
    and one with it idle, stepped in turn frame by frame (so a machine that slows down
    slows both); the frame's added time is the trimmed mean of the paired differences."""
    print(
        f"view {key!r} in the window at {WIDTH}x{HEIGHT}, preset {preset}, {frames} frames "
        f"x {repeat} runs, with and without the view in alternate frames (ms per frame)"
    )
    worst = 0.0
    spent = [0.0]
    restore = _time_view(key, spent)
    try:
        for playback in (False, True):
            pace = "default playback, 60 Hz" if playback else "one month per frame"
            own: list[float] = []
            walls: dict[bool, list[float]] = {True: [], False: []}
            cpus: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(repeat):
                pair = {
                    shown: _ViewWindow(key, preset, playback, not shown, spent)
                    for shown in (True, False)
                }
                for i in range(frames):
                    for shown in (True, False) if i % 2 else (False, True):
                        mine, wall, cpu = pair[shown].step()
                        walls[shown].append(wall)
                        cpus[shown].append(cpu)
                        if shown:
                            own.append(mine)
                for w in pair.values():
                    w.close()
            print(f"  {pace}:")
            print(f"    view's own CPU      {_stats(own)}")
            added = {}
            for what, per in (("wall", walls), ("CPU", cpus)):
                diffs = [a - b for a, b in zip(per[True], per[False], strict=True)]
                added[what] = _trimmed_mean(diffs)
                print(
                    f"    frame {what:<4} mean     with {_trimmed_mean(per[True]):.3f}, "
                    f"without {_trimmed_mean(per[False]):.3f}: adds {added[what]:+.3f}"
                )
            worst = max(worst, statistics.mean(own), added["CPU"])
    finally:
        for cls, name, original in restore:
            setattr(cls, name, original)
    print(
        f"  added per frame (the larger of the view's own mean CPU and the frame's added "
        f"CPU): {worst:.3f} ms; limit {VIEW_LIMIT_MS:.1f} ms"
    )
    if check and worst > VIEW_LIMIT_MS:
        print(f"CHECK FAILED: view {key!r} adds {worst:.3f} ms > {VIEW_LIMIT_MS:.1f} ms a frame")
        return 1
    if check:
        print("CHECK ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=200)
    p.add_argument("--preset", default="status_quo")
    p.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each; the best median is reported (as timeit does: a busy "
        "machine only ever adds time)",
    )
    p.add_argument("--show", metavar="VIEW", help="measure what this view adds to a frame instead")
    p.add_argument(
        "--check",
        action="store_true",
        help=f"with --show: exit 1 when the view adds more than {VIEW_LIMIT_MS:.0f} ms a frame; "
        "with --fan: when a frame is over the budget",
    )
    p.add_argument("--fan", action="store_true", help="whole frames with the fan visible")
    args = p.parse_args(argv)
    if args.fan:
        return _fan_frames(args.preset, args.frames, args.repeat, args.check)
    if args.show:
        return _show_view(args.show, args.preset, args.frames, args.repeat, args.check)
    print(
        f"live frame, preset {args.preset}: median ms over {args.frames} frames, "
        f"best of {args.repeat} runs (wall / CPU); budget {BUDGET_MS:.1f} ms at 1920x1080"
    )
    print(f"  {'size':<10} {'window wall':>12} {'CPU':>6} {'stage wall':>11} {'CPU':>6}")
    at_1080 = {}
    for size in SIZES:
        row = []
        for view in ("window", "stage"):
            runs = [
                _pyqtgraph_frames(args.preset, args.frames, size, view) for _ in range(args.repeat)
            ]
            wall, cpu = min(runs, key=lambda r: statistics.median(r[0]))
            row += [statistics.median(wall), statistics.median(cpu)]
            if size == (WIDTH, HEIGHT):
                at_1080[view] = row[-2:]
        print(f"  {size[0]}x{size[1]:<5} {row[0]:12.2f} {row[1]:6.2f} {row[2]:11.2f} {row[3]:6.2f}")
    mpl_runs = [
        _matplotlib_frames(args.preset, max(20, args.frames // 4)) for _ in range(args.repeat)
    ]
    mpl_ms = statistics.median(min(mpl_runs, key=statistics.median))
    print(
        f"  matplotlib (Agg, same curves) at {WIDTH}x{HEIGHT}: {mpl_ms:.2f} ms/frame, "
        f"{mpl_ms / at_1080['window'][0]:.1f}x the window's"
    )

    def verdict(ms: float) -> str:
        return "within" if ms <= BUDGET_MS else "OVER"

    for view, (wall, cpu) in at_1080.items():
        print(f"  {view} at 1920x1080: wall {verdict(wall)}, CPU {verdict(cpu)} the budget")
    print("stage plots' largest move between consecutive beats (all shipped stories):")
    for size, px in _beat_movement().items():
        print(f"  {size[0]}x{size[1]}: {px:.0f} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
