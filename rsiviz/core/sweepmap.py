"""A 2-D sweep map: one outcome and the regime on a grid of two parameters, in chunks.

The values are those of :func:`rsiviz.core.ensemble.sweep` (and so of ``rsiviz sweep``) at
the same grid: every cell is one member of a simulation, and members never influence each
other, so computing the grid a few rows at a time (to report progress and to be
cancellable) gives the same numbers bit for bit. Each chunk's run also yields the regime
(:mod:`rsiviz.core.regime`), so the map and its regime boundary cost one simulation.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rsiviz.core.ensemble import METRICS
from rsiviz.core.history import History
from rsiviz.core.model import FloatArray
from rsiviz.core.params import SPEC_BY_NAME, ParameterError
from rsiviz.core.regime import REGIME_RULE, regime
from rsiviz.core.scenario import Scenario

Progress = Callable[[int, int], None]
# Parameters that set the clock or the number of months: a run cannot vary them across its
# member axis, so each of their values gets a run of its own.
STRUCTURAL = ("years", "start_year")
CHUNK_CELLS = 2500  # ~0.25 s CPU here; smaller chunks cost more (each re-runs the slow members)
METRIC_UNITS: dict[str, str] = {
    "peak_gap": "OOM",
    "final_gap": "OOM",
    "final_capability": "OOM above start",
    "peak_progress_multiplier": "x historical pace",
    "peak_overhang": "OOM",
    "min_doubling_time_months": "months",
    "year_capability_reaches": "year",
    "year_multiplier_reaches": "year",
}
LEVEL_UNITS: dict[str, str] = {"year_capability_reaches": "OOM", "year_multiplier_reaches": "x"}
NOT_A_FORECAST = "conditional on assumptions, not a forecast"


@dataclass(frozen=True)
class SweepMap:
    """``values`` and ``regime`` are ``(ny, nx)``; NaN in ``values`` means never reached."""

    x_name: str
    xs: FloatArray
    y_name: str
    ys: FloatArray
    metric: str
    level: float
    values: FloatArray
    regime: FloatArray


def needs_level(metric: str) -> bool:
    return metric in LEVEL_UNITS


def sweep_map(
    scenario: Scenario,
    x: tuple[str, FloatArray],
    y: tuple[str, FloatArray],
    metric: str,
    level: float = 0.0,
    progress: Progress | None = None,
    chunk_cells: int = CHUNK_CELLS,
) -> SweepMap:
    """``metric`` and the regime on the grid ``y x x``, computed a block of rows at a time.

    ``progress(done, total)`` (cells) is called before the first block and after each; it
    may raise to cancel. Equal to :func:`rsiviz.core.ensemble.sweep` for any chunk size.
    """
    if metric not in METRICS:
        raise ParameterError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    if x[0] == y[0]:
        raise ParameterError("the x and y parameters must differ")
    xs, ys = np.asarray(x[1], dtype=float), np.asarray(y[1], dtype=float)
    values, reg = np.empty((ys.size, xs.size)), np.empty((ys.size, xs.size))
    total = values.size
    if progress is not None:
        progress(0, total)
    for rows in _row_blocks(ys.size, xs.size, chunk_cells):
        part = _evaluate(scenario, (x[0], xs), (y[0], ys[rows]), metric, level)
        values[rows], reg[rows] = part
        if progress is not None:
            progress(rows.stop * xs.size, total)
    return SweepMap(x[0], xs, y[0], ys, metric, level, values, reg)


def _row_blocks(ny: int, nx: int, chunk_cells: int) -> list[slice]:
    """Row blocks of about ``chunk_cells`` cells, never a lone cell inside a larger grid
    (a one-member run takes the float path, whose last bits can differ)."""
    rows = max(1, chunk_cells // max(nx, 1))
    if nx == 1:
        rows = max(rows, 2)
    starts = list(range(0, ny, rows))
    if len(starts) > 1 and nx == 1 and ny - starts[-1] == 1:
        starts.pop()  # fold a last single row into the block before it
    return [slice(a, b) for a, b in zip(starts, starts[1:] + [ny], strict=True)]


def _evaluate(
    scenario: Scenario,
    x: tuple[str, FloatArray],
    y: tuple[str, FloatArray],
    metric: str,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    """(metric, regime) on a (ny, nx) block; structural parameters get one run per value."""
    axes = {x[0]: x[1], y[0]: y[1]}
    fixed = [n for n in axes if n in STRUCTURAL]
    free = [n for n in axes if n not in STRUCTURAL]
    gx, gy = np.meshgrid(x[1], y[1])
    grid = {x[0]: gx.ravel(), y[0]: gy.ravel()}
    values, reg = np.empty(gx.size), np.empty(gx.size)
    combos = itertools.product(*(np.unique(grid[n]) for n in fixed)) if fixed else [()]
    for combo in combos:
        mask = np.ones(gx.size, dtype=bool)
        changes: dict[str, float] = {}
        for name, value in zip(fixed, combo, strict=True):
            mask &= grid[name] == value
            changes[name] = float(value)
        sc = scenario
        if changes:
            sc = dataclasses.replace(scenario, params=scenario.params.replace(**changes))
        overrides = {n: grid[n][mask] for n in free}
        hist = sc.simulation(overrides=overrides, members=int(mask.sum())).run()
        values[mask], reg[mask] = _outcomes(hist, metric, level)
    return values.reshape(gx.shape), reg.reshape(gx.shape)


def _outcomes(hist: History, metric: str, level: float) -> tuple[FloatArray, FloatArray]:
    return np.asarray(METRICS[metric][1](hist, level), dtype=float), regime(hist)


def boundary_segments(field: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Cell edges between cells on either side of ``level``, as pairs of points.

    ``field`` is ``(ny, nx)``; cell ``(j, i)`` covers ``i..i+1`` in x and ``j..j+1`` in y.
    Returns ``(x, y)`` of shape ``(2K,)``: K segments, each two consecutive points. For a
    regime field (whole numbers) this is the exact staircase between regimes, with no
    interpolation between categories.
    """
    above = np.asarray(field) > level
    ny, nx = above.shape
    jv, iv = np.nonzero(above[:, 1:] != above[:, :-1])  # between columns i and i+1
    jh, ih = np.nonzero(above[1:, :] != above[:-1, :])  # between rows j and j+1
    x = np.concatenate([np.repeat(iv + 1.0, 2), np.stack([ih, ih + 1.0], 1).ravel()])
    y = np.concatenate([np.stack([jv, jv + 1.0], 1).ravel(), np.repeat(jh + 1.0, 2)])
    return x.astype(float), y.astype(float)


# -- export ------------------------------------------------------------------------------
def axis_label(name: str) -> str:
    """``name (unit)`` for a parameter, or the bare name when it has no unit."""
    unit = SPEC_BY_NAME[name].unit
    return f"{name} ({unit})" if unit else name


def metric_label(metric: str, level: float) -> str:
    unit = METRIC_UNITS.get(metric, "")
    lv = f" at level {level:g} {LEVEL_UNITS[metric]}" if needs_level(metric) else ""
    return f"{metric}{lv} ({unit})" if unit else f"{metric}{lv}"


def _number(value: float) -> str:
    """Six significant digits; blank for NaN (never reached)."""
    return f"{value:.6g}" if math.isfinite(value) else ""


def sweep_map_csv(result: SweepMap, scenario_name: str = "") -> str:
    """Long-format CSV (x, y, value, regime), after ``#`` lines naming what it shows.

    A blank value means the level was never reached within the run.
    """
    buf = io.StringIO()
    for line in (
        f"rsiviz sweep map of {metric_label(result.metric, result.level)}"
        + (f", scenario {scenario_name}" if scenario_name else ""),
        f"x: {axis_label(result.x_name)}; y: {axis_label(result.y_name)}",
        "blank value: never reached within the run; "
        f"regime 0 fizzle, 1 accelerating, 2 explosion ({REGIME_RULE})",
        f"Values are {NOT_A_FORECAST}.",
    ):
        buf.write(f"# {line}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([result.x_name, result.y_name, result.metric, "regime"])
    for j, yv in enumerate(result.ys):
        for i, xv in enumerate(result.xs):
            value = float(result.values[j, i])
            writer.writerow([f"{xv:.6g}", f"{yv:.6g}", _number(value), int(result.regime[j, i])])
    return buf.getvalue()
