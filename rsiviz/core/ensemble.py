"""Ensembles over parameter distributions and 1-D/2-D sweeps, as array broadcasts.

Every member of an ensemble or every cell of a sweep is one row of the member axis of a
single :class:`Simulation`; nothing here loops over runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from rsiviz.core.history import History
from rsiviz.core.model import FloatArray
from rsiviz.core.params import SPEC_BY_NAME, ParameterError
from rsiviz.core.scenario import Scenario

YEAR_OF_PROGRESS_OOM = 8 * math.log10(2.0)  # Forethought: one year = 8 software doublings
# Parameters a simulation reads once when it is set up, not per member: a sweep over them
# runs one simulation per value instead of passing them as member overrides.
RUN_SHAPE = ("start_year", "years", "oversight_start")
MEMORY_LIMIT = 2 * 1024**3  # an ensemble needing more is refused (bytes)
CHUNK_BYTES = 256 * 1024**2  # a sweep runs its cells in chunks of at most this much
MAX_GRID_POINTS = 2000  # per sweep axis
MAX_SWEEP_CELLS = 250_000  # cells in one sweep (a 500 x 500 grid)
MAX_RUN_GROUPS = 2_000  # separate runs in one sweep (values of the RUN_SHAPE parameters)
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Distribution:
    """A parameter's uncertainty: ``uniform`` or ``loguniform`` between low and high."""

    kind: str
    low: float
    high: float
    source: str = "illustrative"

    def __post_init__(self) -> None:
        if self.kind not in ("uniform", "loguniform"):
            raise ParameterError(f"distribution {self.kind!r} (allowed: uniform, loguniform)")
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low <= self.high):
            raise ParameterError(f"distribution bounds {self.low}..{self.high} are not ordered")
        if self.kind == "loguniform" and self.low <= 0:
            raise ParameterError("a loguniform distribution needs positive bounds")

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        u = rng.random(n)
        if self.kind == "uniform":
            return np.asarray(self.low + (self.high - self.low) * u, dtype=float)
        span = np.log(self.high) - np.log(self.low)
        return np.asarray(np.exp(np.log(self.low) + span * u), dtype=float)


# The uncertainties the literature gives ranges for (Forethought's, converted to our units).
DEFAULT_DISTRIBUTIONS: dict[str, Distribution] = {
    "software_returns": Distribution("loguniform", 0.4, 3.6, "Davidson and Houlden (2025)"),
    "parallel_returns": Distribution("loguniform", 0.15, 0.6, "Davidson and Houlden (2025)"),
    "full_automation_speedup": Distribution("loguniform", 2.0, 32.0, "Davidson and Houlden (2025)"),
    "software_ceiling": Distribution(
        "uniform",
        6 * YEAR_OF_PROGRESS_OOM,
        16 * YEAR_OF_PROGRESS_OOM,
        "Davidson and Houlden (2025): 6-16 years of progress at 8 doublings/yr",
    ),
    "automation_span": Distribution("loguniform", 1.0, 8.0, "Davidson (2023): FLOP gap 10 to 1e8"),
}


def check_distributions(dists: Mapping[str, Distribution]) -> None:
    """Every distribution must name a numeric parameter and stay inside its range."""
    for name, dist in dists.items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None or spec.is_choice or name in RUN_SHAPE:
            raise ParameterError(
                f"cannot vary {name!r} across members: not a numeric parameter, or one of "
                f"{', '.join(RUN_SHAPE)} (these set up the run)"
            )
        assert spec.low is not None and spec.high is not None
        if dist.low < spec.low or dist.high > spec.high:
            raise ParameterError(
                f"{name}: distribution {dist.low:g}..{dist.high:g} leaves the allowed range "
                f"{spec.range_text()}"
            )


def sample_overrides(
    dists: Mapping[str, Distribution], draws: int, seed: int
) -> dict[str, FloatArray]:
    """Seeded draws: the same seed gives the same values, parameter by parameter."""
    if draws < 1:
        raise ParameterError(f"draws = {draws} must be at least 1")
    check_distributions(dists)
    rng = np.random.default_rng(seed)
    return {name: dists[name].sample(rng, draws) for name in sorted(dists)}


def run_ensemble(
    scenario: Scenario,
    draws: int,
    seed: int | None = None,
    dists: Mapping[str, Distribution] | None = None,
) -> History:
    """Run ``draws`` members at once; the seed defaults to the scenario's."""
    dists = DEFAULT_DISTRIBUTIONS if dists is None else dists
    check_memory(scenario, draws, "ensemble")
    overrides = sample_overrides(dists, draws, scenario.seed if seed is None else seed)
    return scenario.simulation(overrides=overrides, members=draws).run()


def percentiles(values: FloatArray, qs: Sequence[float] = (5, 25, 50, 75, 95)) -> FloatArray:
    """Percentiles over members (axis 1) of a ``(T, N)`` array, ignoring non-finite values.

    Returns ``(len(qs), T)``; NaN where no member has a finite value.
    """
    if np.isfinite(values).all():
        # the same numbers as nanpercentile without NaNs, without its row-by-row loop
        return np.asarray(np.percentile(values, qs, axis=1), dtype=float)
    clean = np.where(np.isfinite(values), values, np.nan)
    out = np.full((len(qs), values.shape[0]), np.nan)
    ok = np.isfinite(clean).any(axis=1)
    if ok.any():
        out[:, ok] = np.nanpercentile(clean[ok], qs, axis=1)
    return out


# -- sweeps -------------------------------------------------------------------------------
def _first_year(h: History, values: FloatArray, level: float) -> FloatArray:
    hit = values >= level
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), h.time[first], np.nan)


METRICS: dict[str, tuple[str, Callable[[History, float], FloatArray]]] = {
    "peak_gap": ("largest gap C - v over the run (OOM)", lambda h, _: h.gap().max(axis=0)),
    "final_gap": ("gap at the end of the run (OOM)", lambda h, _: h.gap()[-1]),
    "final_capability": (
        "frontier capability at the end (OOM above start)",
        lambda h, _: h.capability()[-1],
    ),
    "peak_progress_multiplier": (
        "largest progress multiplier M",
        lambda h, _: h.progress_multiplier().max(axis=0),
    ),
    "peak_overhang": (
        "largest overhang q - c of the frontier lab (OOM)",
        lambda h, _: (h.potential() - h.capability()).max(axis=0),
    ),
    "min_doubling_time_months": (
        "shortest capability doubling time (months)",
        lambda h, _: h.doubling_time_months().min(axis=0),
    ),
    "year_capability_reaches": (
        "first year capability reaches LEVEL OOM (needs --level)",
        lambda h, lv: _first_year(h, h.capability(), lv),
    ),
    "year_multiplier_reaches": (
        "first year the progress multiplier reaches LEVEL",
        lambda h, lv: _first_year(h, h.progress_multiplier(), lv),
    ),
}


def grid_values(name: str, low: float, high: float, n: int) -> FloatArray:
    """``n`` values from low to high (log-spaced for log-scale parameters), range-checked."""
    spec = SPEC_BY_NAME.get(name)
    if spec is None or spec.is_choice:
        raise ParameterError(f"cannot sweep {name!r}: not a numeric parameter")
    for v in (low, high):
        spec.check(v)
    if not 1 <= n <= MAX_GRID_POINTS:
        raise ParameterError(f"{name}: {n} grid points (allowed: 1 to {MAX_GRID_POINTS})")
    if spec.log_scale and low > 0:
        return np.geomspace(low, high, n)
    return np.linspace(low, high, n)


def sweep(
    scenario: Scenario,
    x: tuple[str, FloatArray],
    metric: str,
    y: tuple[str, FloatArray] | None = None,
    level: float = 0.0,
) -> FloatArray:
    """``metric`` on a grid: shape ``(nx,)`` for 1-D, ``(ny, nx)`` for 2-D. NaN = never.

    Cells that share the run's shape (``start_year``, ``years``, ``oversight_start``: read
    when a run is set up, not per member) run as one simulation each group; the other
    parameters vary across the members of that simulation, in chunks that fit in
    :data:`CHUNK_BYTES`. Every cell equals a single run with its values set.
    """
    if metric not in METRICS:
        raise ParameterError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    xs = np.asarray(x[1], dtype=float)
    if y is None:
        cells = {x[0]: xs}
        shape: tuple[int, ...] = (xs.size,)
    else:
        if y[0] == x[0]:
            raise ParameterError("--x and --y must name different parameters")
        ys = np.asarray(y[1], dtype=float)
        gx, gy = np.meshgrid(xs, ys)
        cells = {x[0]: gx.ravel(), y[0]: gy.ravel()}
        shape = (ys.size, xs.size)
    size = int(np.prod(shape))
    if size > MAX_SWEEP_CELLS:
        raise ParameterError(f"{size} sweep cells, more than the limit of {MAX_SWEEP_CELLS}")
    out = np.full(size, np.nan)
    groups = _run_groups(scenario, cells)
    if len(groups) > MAX_RUN_GROUPS:
        raise ParameterError(
            f"{len(groups)} separate runs, more than the limit of {MAX_RUN_GROUPS}: each value "
            f"of {', '.join(RUN_SHAPE)} needs a run of its own (use fewer points for them)"
        )
    for changes, members in groups:
        group = replace(scenario, params=scenario.params.replace(**changes))
        varied = {k: v for k, v in cells.items() if k not in RUN_SHAPE}
        for chunk in _chunks(members, group):
            overrides = {k: v[chunk] for k, v in varied.items()}
            if overrides:
                hist = group.simulation(overrides=overrides).run()
            else:  # every cell of the group is the same run
                hist = group.simulation().run()
            out[chunk] = METRICS[metric][1](hist, level)
    return out.reshape(shape)


def _run_groups(
    scenario: Scenario, cells: dict[str, FloatArray]
) -> list[tuple[dict[str, float], IntArray]]:
    """Cells grouped by their values of the RUN_SHAPE parameters (one group if none vary)."""
    names = [k for k in cells if k in RUN_SHAPE]
    size = next(iter(cells.values())).size
    if not names:
        return [({}, np.arange(size))]
    keys = np.stack([cells[k] for k in names], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    return [
        ({k: float(v) for k, v in zip(names, row, strict=True)}, np.flatnonzero(inverse == i))
        for i, row in enumerate(unique)
    ]


def _chunks(members: IntArray, scenario: Scenario) -> list[IntArray]:
    """``members`` split so that each simulation's memory stays under CHUNK_BYTES."""
    per_member = run_bytes(scenario, 1)
    step = max(1, CHUNK_BYTES // per_member)
    return [members[i : i + step] for i in range(0, members.size, step)]


def run_bytes(scenario: Scenario, members: int) -> int:
    """Estimated peak memory of a run of ``members`` members with its derived columns.

    Measured with tracemalloc (ensembles of 1,000-3,000 members, 1 and 3 labs): 86 and 181
    bytes per member-month; the estimate (56 per lab + 40) stays just above both.
    """
    rows = scenario.params.n_months + 1
    return members * rows * (56 * len(scenario.labs) + 40)


def check_memory(scenario: Scenario, members: int, what: str) -> None:
    """Refuse, in one line, a run that would need more than MEMORY_LIMIT bytes."""
    need = run_bytes(scenario, members)
    if need > MEMORY_LIMIT:
        fits = MEMORY_LIMIT // run_bytes(scenario, 1)
        raise ParameterError(
            f"{what}: {members} members x {scenario.params.n_months} months x "
            f"{len(scenario.labs)} labs would need about {need / 2**30:.1f} GB, more than the "
            f"limit of {MEMORY_LIMIT / 2**30:.0f} GB (at most {fits} members here, or fewer years)"
        )
