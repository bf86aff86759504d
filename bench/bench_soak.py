"""Soak: the window left playing (a classroom projector all day), memory and frame time over time.

    QT_QPA_PLATFORM=offscreen python bench/bench_soak.py [--minutes M] [--check]

The real window (1920x1080) plays the default scenario at 60 simulated months per second and
starts again at the end; every few seconds something else happens, as in a lesson: a slider
moves (re-run), a development pause starts and is ended, the presenter stage opens and
closes, the units change. Every ``--sample`` seconds it prints the process's resident memory,
the frames painted per second and the 95th percentile of a frame's work (model + plot
updates, CPU time). Then, at the slowest corner known (a three-lab race over 50 years at
``software_ceiling=2, software_returns=0.2, parallel_returns=1``) it moves a slider ten times
and prints the event loop's worst stall (a 5 ms probe timer's lateness).

``--check`` exits 1 when memory grew more than 20 MB after the first quarter of the soak, or
the worst stall at the slow corner is over 100 ms. CI runs 2 minutes; run hours by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from latency import LatencyProbe, spin  # noqa: E402

MEMORY_BUDGET_MB = 20.0
STALL_BUDGET_MS = 100.0
SLOW = {"years": 50.0, "software_ceiling": 2.0, "software_returns": 0.2, "parallel_returns": 1.0}


def rss_mb() -> float:
    try:
        with open(f"/proc/{os.getpid()}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Soak:
    def __init__(self, window, app) -> None:
        self.w, self.app = window, app
        self.frames = 0
        self.work_ms: list[float] = []
        self.events = 0
        window.view_state.events.frame.connect(self._on_frame)
        ctl = window.controller
        original = ctl.tick

        def timed_tick(elapsed: float) -> int:
            c0 = time.thread_time()
            n = original(elapsed)
            self.work_ms.append((time.thread_time() - c0) * 1000.0)
            return n

        ctl.tick = timed_tick  # the frame timer calls tick(): model + every plot's setData

    def _on_frame(self, _snap: object) -> None:
        self.frames += 1

    def lesson_event(self) -> None:
        """Something a teacher or student does every few seconds."""
        w, ctl = self.w, self.w.controller
        kind = self.events % 5
        self.events += 1
        if kind == 0:
            ctl.set_param("software_returns", 1.0 + 0.1 * (self.events % 7))
            ctl.flush()
        elif kind == 1 and not ctl.snapshot().paused and not ctl.sim.done:
            ctl.start_development_pause(months=12)
        elif kind == 2:
            ctl.end_development_pause_now()
        elif kind == 3:
            w.start_presenter(fullscreen=False).handle("leave")
        else:
            w.plots.set_unit("metr" if w.plots.unit == "oom" else "oom")
        if not ctl.playing:
            if ctl.sim.done:
                ctl.reset()
            ctl.play()

    def run(self, seconds: float, sample_s: float) -> list[tuple[float, float, float, float]]:
        from PySide6.QtCore import QCoreApplication, QEvent

        ctl = self.w.controller
        ctl.set_speed(60.0)
        ctl.play()
        rows: list[tuple[float, float, float, float]] = []
        start = time.monotonic()
        next_event, next_sample = start + 2.0, start + sample_s
        frames0 = 0
        while (now := time.monotonic()) - start < seconds:
            self.app.processEvents()
            time.sleep(0.001)
            if not ctl.playing:
                if ctl.sim.done:
                    ctl.reset()
                ctl.play()
            if now >= next_event:
                self.lesson_event()
                next_event = now + 3.0
            if now >= next_sample:
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                gc.collect()
                work = sorted(self.work_ms) or [0.0]
                p95 = work[int(0.95 * (len(work) - 1))]
                fps = (self.frames - frames0) / sample_s
                rows.append((now - start, rss_mb(), fps, p95))
                print(
                    f"  {now - start:7.0f} s  {rss_mb():7.1f} MB  {fps:5.1f} frames/s  "
                    f"frame work p95 {p95:5.2f} ms CPU",
                    flush=True,
                )
                frames0, self.work_ms = self.frames, []
                next_sample = now + sample_s
        ctl.stop()
        return rows


def worst_stall_at_slow_corner(window, app) -> float:
    """Move a slider ten times at the slowest corner; the event loop's worst stall (ms)."""
    from rsiviz.core.scenario import load_preset

    ctl = window.controller
    sc = load_preset("race_one_lab_defects")
    ctl.load(dataclasses.replace(sc, params=sc.params.replace(**SLOW)))
    ctl.runner.wait_idle(300)
    probe = LatencyProbe()
    probe.start()
    for i in range(10):
        ctl.set_param("software_returns", 0.2 + 0.02 * (i + 1))
        spin(app, 0.3)
    ctl.runner.wait_idle(300)
    probe.stop()
    return probe.worst_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args()
    from rsiviz.gui.app import application, create_main_window

    app = application()
    window = create_main_window(restore_layout=False)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    print(f"Soak: {args.minutes:g} min of the live window at 60 months/s, lesson events every 3 s")
    rows = Soak(window, app).run(args.minutes * 60.0, args.sample)
    base = rows[max(0, len(rows) // 4 - 1)][1] if rows else rss_mb()
    growth = (rows[-1][1] - base) if rows else 0.0
    fps = statistics.median(r[2] for r in rows) if rows else 0.0
    print(
        f"memory after the first quarter: {base:.1f} MB; at the end: {rows[-1][1]:.1f} MB "
        f"(growth {growth:+.1f} MB; budget {MEMORY_BUDGET_MB:g} MB)"
    )
    print(f"median frames painted per second: {fps:.1f}")
    stall = worst_stall_at_slow_corner(window, app)
    print(
        f"slow corner (3-lab race, 50 years): worst event-loop stall while moving a slider "
        f"{stall:.0f} ms (budget {STALL_BUDGET_MS:g} ms)"
    )
    window.close()
    ok = growth <= MEMORY_BUDGET_MB and stall <= STALL_BUDGET_MS
    if args.check and not ok:
        print("bench_soak: FAILED a budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
