"""Ensembles over parameter distributions and 1-D/2-D sweeps, as array broadcasts.

Every member of an ensemble or every cell of a sweep is one row of the member axis of a
single :class:`Simulation`; nothing here loops over runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from rsiviz.core.history import History
from rsiviz.core.model import FloatArray
from rsiviz.core.params import SPEC_BY_NAME, ParameterError
from rsiviz.core.scenario import Scenario

YEAR_OF_PROGRESS_OOM = 8 * math.log10(2.0)  # Forethought: one year = 8 software doublings


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
        if spec is None or spec.is_choice:
            raise ParameterError(f"cannot vary {name!r}: not a numeric parameter")
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
    overrides = sample_overrides(dists, draws, scenario.seed if seed is None else seed)
    return scenario.simulation(overrides=overrides, members=draws).run()


def percentiles(values: FloatArray, qs: Sequence[float] = (5, 25, 50, 75, 95)) -> FloatArray:
    """Percentiles over members (axis 1) of a ``(T, N)`` array, ignoring non-finite values.

    Returns ``(len(qs), T)``; NaN where no member has a finite value.
    """
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
    if not 1 <= n <= 2000:
        raise ParameterError(f"{name}: {n} grid points (allowed: 1 to 2000)")
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
    """``metric`` on a grid: shape ``(nx,)`` for 1-D, ``(ny, nx)`` for 2-D. NaN = never."""
    if metric not in METRICS:
        raise ParameterError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    xs = np.asarray(x[1], dtype=float)
    if y is None:
        overrides = {x[0]: xs}
        shape: tuple[int, ...] = (xs.size,)
    else:
        if y[0] == x[0]:
            raise ParameterError("--x and --y must name different parameters")
        ys = np.asarray(y[1], dtype=float)
        gx, gy = np.meshgrid(xs, ys)
        overrides = {x[0]: gx.ravel(), y[0]: gy.ravel()}
        shape = (ys.size, xs.size)
    hist = scenario.simulation(overrides=overrides).run()
    return np.asarray(METRICS[metric][1](hist, level)).reshape(shape)
