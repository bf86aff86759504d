"""Speed of the numpy model core, and its speed-up over a straightforward scalar Python loop.

    python bench/bench_core.py [--quick] [--repeats R] [--json FILE]

Every timing is the best of R repeats (wall clock, ``time.perf_counter``): the machine is
shared, and the minimum is the least disturbed measurement. Targets are printed as
PASS/MISS beside each number; nothing fails. ``--quick`` (for CI) runs the same code paths
with fewer repeats and smaller sizes; its targets are not comparable and show as "-".

Rows:

* one default 12-year run, ``Simulation().run()`` (target <= 5 ms), and for comparison the
  same run forced onto the numpy array path and a run of each preset (no targets);
* the 5,000-draw Forethought ensemble, ``replicate_forethought(5000, 0)`` (target <= 1 s);
* a 100 x 100 sweep of full runs, software_returns 0.4-3.6 x full_automation_speedup 2-32,
  metric peak_gap (target <= 3 s);
* a default-distribution ensemble of N draws (12 years) run vectorised, against the scalar
  reference (:func:`rsiviz.core.reference.reference_run`, forward Euler) called once per
  draw. The scalar loop is timed on a subset of the draws and scaled per run to N (target
  >= 30x). Its ``max_move`` is chosen so that its error is no smaller than the vectorised
  model's (it is about twice as large, which favours the scalar loop); both errors are measured on the same subset against a fine scalar reference (Euler at
  max_move 4e-4 and 2e-4, Richardson-extrapolated). For comparison (no target), the same
  draws as single runs of the app's float path, one ``Simulation`` per draw.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from rsiviz.core.ensemble import DEFAULT_DISTRIBUTIONS, grid_values, sample_overrides, sweep
from rsiviz.core.literature import replicate_forethought
from rsiviz.core.params import Params
from rsiviz.core.reference import reference_run
from rsiviz.core.scenario import Scenario, list_presets, load_preset
from rsiviz.core.simulation import Simulation

# Scalar loop's sub-step movement (OOM): at 0.003 its error against a fine reference is
# ~0.01 OOM max over the default-ensemble draws, about twice the vectorised model's since
# MAX_LOG_RATE_CHANGE went to 0.05; kept, so the ratio stays conservative (a scalar loop as
# accurate as the vectorised model would need smaller steps and be slower still).
SCALAR_MAX_MOVE = 0.003
FINE_MAX_MOVE = 2e-4  # Richardson from 4e-4 and 2e-4
# A month whose reference value moves more than this to a neighbouring month lies inside
# a software explosion (20-30 OOM within hours): its value measures *when* the burst
# happens, to within hours, not accuracy of levels; such months are left out of the error.
BURST_OOM = 1.0


def best_of(fn: Callable[[], Any], repeats: int) -> float:
    """Smallest wall time of ``repeats`` calls, seconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "loadavg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def _draw_params(overrides: dict[str, np.ndarray], i: int) -> Params:
    return Params().replace(**{name: float(vals[i]) for name, vals in overrides.items()})


def _level_error(x: np.ndarray, fine: np.ndarray) -> tuple[float, int]:
    """Max |x - fine| outside burst months, and how many months were left out."""
    jump = np.abs(np.diff(fine)) > BURST_OOM
    burst = np.zeros(fine.size, dtype=bool)
    burst[1:] |= jump
    burst[:-1] |= jump
    err = np.abs(x - fine)[~burst]
    return (float(err.max()) if err.size else 0.0), int(burst.sum())


def _fine_reference(params: Params, move: float) -> dict[str, list[float]]:
    """Euler at 2*move and move, Richardson-extrapolated (error O(move^2)).

    Inside an explosion month (the runs differ by > 0.1 OOM) the finer run is used as is.
    """
    coarse = reference_run(params, max_move=2.0 * move)
    fine = reference_run(params, max_move=move)
    out = dict(fine)
    for key in ("c", "v"):
        out[key] = [
            2.0 * f - c if abs(f - c) < 0.1 else f
            for f, c in zip(fine[key], coarse[key], strict=True)
        ]
    return out


def accuracy(
    overrides: dict[str, np.ndarray],
    members: list[int],
    vec_c: np.ndarray,
    vec_v: np.ndarray,
    scalar_move: float,
    fine_move: float,
) -> dict[str, Any]:
    """Errors of the vectorised model and of the scalar loop against a fine reference."""
    vec_err, sca_err, left_out = [], [], 0
    for i in members:
        params = _draw_params(overrides, i)
        fine = _fine_reference(params, fine_move)
        coarse = reference_run(params, max_move=scalar_move)
        e_vec, e_sca = 0.0, 0.0
        for key, vec in (("c", vec_c[:, i]), ("v", vec_v[:, i])):
            f = np.asarray(fine[key])
            ev, n_out = _level_error(vec, f)
            es, _ = _level_error(np.asarray(coarse[key]), f)
            e_vec, e_sca = max(e_vec, ev), max(e_sca, es)
            left_out += n_out
        vec_err.append(e_vec)
        sca_err.append(e_sca)
    return {
        "members_checked": len(members),
        "fine_max_move": fine_move,
        "scalar_max_move": scalar_move,
        "vectorised_max_err_oom": max(vec_err),
        "vectorised_median_err_oom": statistics.median(vec_err),
        "scalar_max_err_oom": max(sca_err),
        "scalar_median_err_oom": statistics.median(sca_err),
        "burst_months_left_out": left_out,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, smaller sizes (CI)")
    ap.add_argument("--repeats", type=int, default=None, help="repeats per timing (best of)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)

    quick = args.quick
    reps = args.repeats or (2 if quick else 5)
    run_reps = max(reps, 5 if quick else 30)  # the single run is cheap: more repeats
    draws = 500 if quick else 5000
    grid = 20 if quick else 100
    n_ens = 200 if quick else 5000  # the ensemble size the app uses (Forethought: 5,000)
    n_scalar = 4 if quick else 20
    n_acc = 3 if quick else n_scalar
    fine_move = 5e-4 if quick else FINE_MAX_MOVE

    info = machine()
    print(
        "rsiviz core benchmark"
        + (" (--quick: sizes reduced, targets not comparable)" if quick else "")
    )
    print(
        f"machine: nproc={info['nproc']} usable={info['usable_cpus']} "
        f"python={info['python']} numpy={info['numpy']} load(1min)={info['loadavg_1min']}"
    )
    print(f"         {info['platform']}")
    print(f"timings: best of {reps} repeats (single run: best of {run_reps})\n")

    rows: list[dict[str, Any]] = []

    def row(name: str, value: float, unit: str, target: str, ok: bool | None) -> None:
        verdict = "-" if quick or ok is None else ("PASS" if ok else "MISS")
        rows.append(
            {"name": name, "value": value, "unit": unit, "target": target, "verdict": verdict}
        )
        print(f"{name:<52} {value:>10.3f} {unit:<3} target {target:<9} {verdict}")

    Simulation().run()  # warm-up (imports, caches)
    t_run = best_of(lambda: Simulation().run(), run_reps)
    row("default 12-year run, Simulation().run()", t_run * 1e3, "ms", "<= 5 ms", t_run * 1e3 <= 5.0)
    t_arr = best_of(lambda: Simulation(float_path=False).run(), max(reps, 10))
    row("  same run on the numpy array path", t_arr * 1e3, "ms", "-", None)
    for name in list_presets():
        sc = load_preset(name)
        t_pre = best_of(lambda sc=sc: sc.simulation().run(), max(reps, 10))
        row(f"  preset {name}", t_pre * 1e3, "ms", "-", None)

    t_fore = best_of(lambda: replicate_forethought(draws, 0), reps)
    row(
        f"Forethought ensemble, replicate_forethought({draws}, 0)",
        t_fore,
        "s",
        "<= 1 s",
        t_fore <= 1.0,
    )

    xs = ("software_returns", grid_values("software_returns", 0.4, 3.6, grid))
    ys = ("full_automation_speedup", grid_values("full_automation_speedup", 2.0, 32.0, grid))
    t_sweep = best_of(lambda: sweep(Scenario(), xs, "peak_gap", ys), reps)
    row(f"{grid} x {grid} sweep of full runs (peak_gap)", t_sweep, "s", "<= 3 s", t_sweep <= 3.0)

    # -- vectorised ensemble vs the scalar loop ------------------------------------------
    overrides = sample_overrides(DEFAULT_DISTRIBUTIONS, n_ens, 0)
    holder: dict[str, Any] = {}

    def vectorised() -> None:
        holder["hist"] = Simulation(Params(), overrides=overrides).run()

    t_vec = best_of(vectorised, reps)
    subset = list(range(n_scalar))
    subset_params = [_draw_params(overrides, i) for i in subset]

    def scalar_subset() -> None:
        for params in subset_params:
            reference_run(params, max_move=SCALAR_MAX_MOVE)

    t_sub = best_of(scalar_subset, max(1, reps // 2))
    per_run = t_sub / n_scalar
    t_scalar = per_run * n_ens
    ratio = t_scalar / t_vec
    row(f"vectorised ensemble, {n_ens} draws x 12 years", t_vec, "s", "-", None)
    row(f"scalar loop, {n_ens} x reference_run (scaled from {n_scalar})", t_scalar, "s", "-", None)
    row("speed-up, vectorised over scalar loop", ratio, "x", ">= 30x", ratio >= 30.0)
    # For honesty: the same draws as single runs of the app's own float path (adaptive,
    # log-linear steps on Python floats), one Simulation per draw.
    n_float = 10 if quick else 200
    float_params = [_draw_params(overrides, i) for i in range(n_float)]
    t_fl = best_of(lambda: [Simulation(q).run() for q in float_params], max(1, reps // 2))
    t_float = t_fl / n_float * n_ens
    row(f"float path, {n_ens} single runs (scaled from {n_float})", t_float, "s", "-", None)
    row("speed-up, vectorised over float-path single runs", t_float / t_vec, "x", "-", None)
    print(
        f"\n  scalar loop: reference_run(max_move={SCALAR_MAX_MOVE}), forward Euler; timed on "
        f"the first {n_scalar} of the {n_ens} draws ({per_run * 1e3:.1f} ms per run), "
        f"scaled per run to {n_ens}"
    )
    verdict = "-" if quick else ("PASS" if ratio >= 30.0 else "MISS")
    print(
        f"  vectorised ensemble is {ratio:.0f} times faster than the scalar loop "
        f"(target >= 30x) {verdict}"
    )

    hist = holder["hist"]
    acc = accuracy(
        overrides, list(range(n_acc)), hist.c[:, :, 0], hist.v, SCALAR_MAX_MOVE, fine_move
    )
    print(
        f"\n  accuracy on {acc['members_checked']} draws, |c - c_fine| and |v - v_fine| "
        f"against reference_run(max_move={fine_move:g} and {2 * fine_move:g}, Richardson), "
        f"{acc['burst_months_left_out']} explosion-month samples left out:"
    )
    print(
        f"    vectorised:                       max {acc['vectorised_max_err_oom']:.4f} OOM, "
        f"median {acc['vectorised_median_err_oom']:.4f}"
    )
    print(
        f"    scalar loop (max_move={SCALAR_MAX_MOVE}):      "
        f"max {acc['scalar_max_err_oom']:.4f} OOM, median {acc['scalar_median_err_oom']:.4f}"
    )

    if args.json:
        out = {
            "quick": quick,
            "repeats": reps,
            "machine": info,
            "rows": rows,
            "ensemble": {
                "draws": n_ens,
                "scalar_subset": n_scalar,
                "scalar_ms_per_run": per_run * 1e3,
                "vectorised_s": t_vec,
                "scalar_scaled_s": t_scalar,
                "speedup": ratio,
            },
            "accuracy": acc,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
