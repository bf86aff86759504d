"""Frame time of the live window versus a matplotlib rendering of the same frame.

A frame = advance the model one month + update every plot + paint, at 1920x1080 with
thick antialiased lines. The budget is half of a 60 Hz frame (8.3 ms).

    QT_QPA_PLATFORM=offscreen python bench/bench_frame.py [--frames N] [--preset NAME]

Prints the median ms/frame of both, measured in the same run. Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WIDTH, HEIGHT = 1920, 1080
BUDGET_MS = 1000.0 / 60.0 / 2.0
# CPU time of the frames (thread_time): unlike wall time, not inflated when other
# processes compete for the cores.
CPU: dict[str, list[float]] = {"pyqtgraph": [], "matplotlib": []}


def _pyqtgraph_frames(preset: str, frames: int) -> list[float]:
    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.app import application, create_main_window

    app = application()
    window = create_main_window(load_preset(preset))
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    ctl = window.controller
    ctl.run_until(ctl.sim.time + 2.0)
    ctl.start_development_pause(months=24)  # so the counterfactual ghost is drawn too
    times = []
    for _ in range(frames):
        if ctl.sim.done:
            ctl._restart()  # keeps the live development pause and its counterfactual
        t0, c0 = time.perf_counter(), time.thread_time()
        ctl.advance(1)  # model + snapshot -> every plot's setData
        app.processEvents()  # the scene's dirty items and every updated widget paint here
        times.append((time.perf_counter() - t0) * 1000.0)
        CPU["pyqtgraph"].append((time.thread_time() - c0) * 1000.0)
    window.close()
    return times


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
    args = p.parse_args(argv)
    pg_runs, mpl_runs = [], []
    for _ in range(max(1, args.repeat)):  # interleaved, so both see the same machine load
        pg_runs.append(_pyqtgraph_frames(args.preset, args.frames))
        mpl_runs.append(_matplotlib_frames(args.preset, max(20, args.frames // 4)))
    pg_times = min(pg_runs, key=statistics.median)
    mpl_times = min(mpl_runs, key=statistics.median)
    pg_ms, mpl_ms = statistics.median(pg_times), statistics.median(mpl_times)
    print(
        f"frame at {WIDTH}x{HEIGHT}, preset {args.preset}, median over frames, "
        f"best of {args.repeat} runs"
    )
    print(
        f"  pyqtgraph (live window, model+update+paint): {pg_ms:7.2f} ms/frame "
        f"(p90 {sorted(pg_times)[int(0.9 * len(pg_times))]:.2f}, n={len(pg_times)})"
    )
    print(
        f"  matplotlib (Agg, same curves):               {mpl_ms:7.2f} ms/frame "
        f"(n={len(mpl_times)})"
    )
    cpu_pg, cpu_mpl = statistics.median(CPU["pyqtgraph"]), statistics.median(CPU["matplotlib"])
    print(
        f"  CPU time per frame (all runs): pyqtgraph {cpu_pg:.2f} ms, matplotlib {cpu_mpl:.2f} ms"
    )

    def verdict(ms: float) -> str:
        return "within" if ms <= BUDGET_MS else "OVER"

    print(
        f"  budget {BUDGET_MS:.1f} ms (half a 60 Hz frame): pyqtgraph wall {verdict(pg_ms)}, "
        f"CPU {verdict(cpu_pg)}; matplotlib/pyqtgraph = {mpl_ms / pg_ms:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
