"""One-at-a-time sensitivity: a tornado of an outcome over every numeric parameter.

Each parameter is swept across its range (low end, high end and evenly spaced points
between, log-spaced for log-scale parameters) with every other parameter held at the
scenario's value. All sweeps and the current run are members of one
:class:`~rsiviz.core.simulation.Simulation`. The outcome is one of the sweep metrics of
:data:`rsiviz.core.ensemble.METRICS`; NaN there means "never reached within the run".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from rsiviz.core.ensemble import DEFAULT_DISTRIBUTIONS, METRICS, grid_values
from rsiviz.core.fan import ONE_VALUE_PER_RUN, Progress
from rsiviz.core.model import FloatArray
from rsiviz.core.params import SPEC_BY_NAME, ParameterError, param_specs
from rsiviz.core.scenario import Scenario
from rsiviz.core.simulation import MonthCounter

DEFAULT_POINTS = 5
# Levels the year metrics need (OOM of capability; x of the progress multiplier).
DEFAULT_LEVELS: dict[str, float] = {"year_capability_reaches": 8.0, "year_multiplier_reaches": 5.0}
# For these metrics "never within the run" means "after the run's last month": that year is
# a lower bound for such a point, so a bar's effect can still be ranked (marked as ">=").
CENSORED_AT_END: tuple[str, ...] = ("year_capability_reaches", "year_multiplier_reaches")


def tornado_params() -> tuple[str, ...]:
    """Numeric parameters a member axis can vary, in the parameter table's order."""
    return tuple(
        s.name for s in param_specs() if not s.is_choice and s.name not in ONE_VALUE_PER_RUN
    )


def sweep_range(name: str) -> tuple[float, float, str]:
    """(low, high, where the range comes from): the sourced distribution where there is one
    (:data:`DEFAULT_DISTRIBUTIONS`), else the parameter's whole allowed range."""
    dist = DEFAULT_DISTRIBUTIONS.get(name)
    if dist is not None:
        return dist.low, dist.high, dist.source
    spec = SPEC_BY_NAME[name]
    assert spec.low is not None and spec.high is not None
    return spec.low, spec.high, "allowed range"


@dataclass(frozen=True)
class TornadoBar:
    """One parameter's sweep: ``values`` (K,) from low to high and the outcome at each
    (K,), NaN where the outcome is never reached within the run.

    ``censor`` is the value that stands in for "never" when ranking (the run's last year
    for year metrics), or None when "never" has no place on the outcome's axis.
    """

    name: str
    values: FloatArray
    outcomes: FloatArray
    current: float
    range_source: str
    censor: float | None

    @property
    def never(self) -> np.ndarray:
        """(K,) True where the outcome is never reached within the run."""
        return ~np.isfinite(self.outcomes)

    def ranked(self) -> FloatArray:
        """Outcomes with "never" replaced by :attr:`censor` (dropped when there is none)."""
        if self.censor is None:
            return np.asarray(self.outcomes[~self.never], dtype=float)
        return np.asarray(np.where(self.never, self.censor, self.outcomes), dtype=float)

    @property
    def span(self) -> tuple[float, float] | None:
        """(min, max) of :meth:`ranked`, or None when no point has a value."""
        vals = self.ranked()
        return (float(np.min(vals)), float(np.max(vals))) if vals.size else None

    @property
    def effect(self) -> float:
        """max - min of the outcome over the sweep (>= |high end - low end|, so a response
        that rises and falls again is not hidden); a lower bound when some point is never
        reached (see :attr:`censor`); 0 for a parameter that cannot matter."""
        span = self.span
        return 0.0 if span is None else span[1] - span[0]

    @property
    def is_lower_bound(self) -> bool:
        return bool(self.never.any() and not self.never.all())


@dataclass(frozen=True)
class Tornado:
    """Bars sorted by effect, largest first; ``baseline`` is the outcome of the current
    run (NaN = never within the run)."""

    metric: str
    level: float
    baseline: float
    bars: tuple[TornadoBar, ...]
    members: int


def compute_tornado(
    scenario: Scenario,
    metric: str,
    level: float | None = None,
    names: Sequence[str] | None = None,
    points: int = DEFAULT_POINTS,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    progress: Progress | None = None,
) -> Tornado:
    """Sweep each parameter of ``names`` (default :func:`tornado_params`) at ``points``
    values over its range (``ranges`` or :func:`sweep_range`), the others held.

    ``progress(done, total)`` is called after every simulated month and may raise to
    cancel. Raises ParameterError for an unknown metric or parameter.
    """
    if metric not in METRICS:
        raise ParameterError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    if not 2 <= points <= 50:
        raise ParameterError(f"points = {points} is out of range (allowed: 2 to 50)")
    level = DEFAULT_LEVELS.get(metric, 0.0) if level is None else level
    names = tornado_params() if names is None else tuple(names)
    bad = [n for n in names if n not in tornado_params()]
    if bad:
        raise ParameterError(f"cannot sweep {bad[0]!r} (parameters: {', '.join(tornado_params())})")
    grids = {n: grid_values(n, *(ranges or {}).get(n, sweep_range(n)[:2]), points) for n in names}
    outcome = _run(scenario, grids, metric, level, progress)
    censor = float(scenario.simulation().history.years[-1]) if metric in CENSORED_AT_END else None
    params = scenario.params.to_dict()
    bars = [
        TornadoBar(
            name,
            grid,
            outcome[1 + i * points : 1 + (i + 1) * points],
            float(params[name]),
            "set by you" if ranges and name in ranges else sweep_range(name)[2],
            censor,
        )
        for i, (name, grid) in enumerate(grids.items())
    ]
    bars.sort(key=lambda b: (-b.effect, -int(b.never.sum()), b.name))
    return Tornado(metric, level, float(outcome[0]), tuple(bars), outcome.size)


def _run(
    scenario: Scenario,
    grids: Mapping[str, FloatArray],
    metric: str,
    level: float,
    progress: Progress | None,
) -> FloatArray:
    """Outcome of member 0 (the current run) then each grid, one block per parameter."""
    params = scenario.params.to_dict()
    blocks = [np.asarray(g, dtype=float) for g in grids.values()]
    members = 1 + sum(b.size for b in blocks)
    overrides: dict[str, FloatArray] = {}
    at = 1
    for name, block in zip(grids, blocks, strict=True):
        column = np.full(members, float(params[name]))
        column[at : at + block.size] = block
        overrides[name] = column
        at += block.size
    sim = scenario.simulation(overrides=overrides, members=members, float_path=False)
    MonthCounter(progress, sim.n_months).run(sim, sim.n_months)
    return np.asarray(METRICS[metric][1](sim.history, level), dtype=float)
