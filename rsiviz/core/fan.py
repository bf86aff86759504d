"""Uncertainty fans: percentile bands over time from one seeded ensemble.

An ensemble of ``members`` runs (drawn from per-parameter distributions, the others held at
the scenario's values) is run twice, with and without the scenario's development pauses, as
one :class:`~rsiviz.core.simulation.Simulation` each (a member axis, not a loop over runs).
The result holds the 5th, 25th, 50th, 75th and 95th percentiles over time of capability,
gap and progress multiplier, and the probabilities a student can quote, each with its
ensemble size, seed and binomial standard error. The bands are conditional on the chosen
distributions and the model: they are not a forecast.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from rsiviz.core.ensemble import (
    DEFAULT_DISTRIBUTIONS,
    RUN_SHAPE,
    Distribution,
    percentiles,
    sample_overrides,
)
from rsiviz.core.history import History
from rsiviz.core.model import FloatArray
from rsiviz.core.params import ParameterError
from rsiviz.core.scenario import Scenario
from rsiviz.core.simulation import MonthCounter
from rsiviz.core.steps import MONTH

LEVELS: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0)
QUANTITIES: tuple[str, ...] = ("capability", "gap", "progress_multiplier")
WITH_PAUSE = "with_development_pause"
WITHOUT_PAUSE = "without_development_pause"
VARIANT_LABELS = {
    WITH_PAUSE: "with the development pause",
    WITHOUT_PAUSE: "without a development pause",
}
DEFAULT_MEMBERS = 1000
MAX_MEMBERS = 20000
# Parameters a Simulation takes as one value per run (the time axis, the oversight start):
# an ensemble cannot vary them per member, so neither a fan nor a tornado offers them.
ONE_VALUE_PER_RUN: tuple[str, ...] = RUN_SHAPE

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Probability:
    """A share of ensemble members, with what it counts and how sure it is.

    ``stderr`` is the binomial standard error sqrt(p (1 - p) / N). It is 0 when no member
    or every member counts; :meth:`text` then quotes the rule of three instead (with no
    hit in N runs, the true share is below 3 / N at 95% confidence).
    """

    what: str
    hits: int
    members: int
    seed: int

    @property
    def p(self) -> float:
        return self.hits / self.members

    @property
    def stderr(self) -> float:
        return math.sqrt(self.p * (1.0 - self.p) / self.members)

    def short_text(self) -> str:
        """The share and its error, e.g. ``"57.6% +- 1.6%"``, ``"0% (<0.3%)"``."""
        bound = 300.0 / self.members  # rule of three: 95% bound when none (or all) count
        if self.hits == 0:
            return f"0% (<{bound:.2g}%)"
        if self.hits == self.members:
            return f"100% (>{100 - bound:.4g}%)"
        return f"{100 * self.p:.1f}% \u00b1 {100 * self.stderr:.1f}%"

    def text(self) -> str:
        """E.g. ``"57.6% +- 1.6% (576 of 1,000 runs, seed 0)"``."""
        return f"{self.short_text()} ({self.hits:,} of {self.members:,} runs, seed {self.seed})"


@dataclass(frozen=True)
class Fan:
    """Percentile bands and member series of one ensemble, by variant and quantity.

    ``series[variant][quantity]`` is ``(T, N)`` (months x members); ``bands[variant]
    [quantity]`` maps each percentile of :data:`LEVELS` to a ``(T,)`` array. Variants are
    :data:`WITHOUT_PAUSE` always and :data:`WITH_PAUSE` when the scenario has development
    pauses.
    """

    scenario: Scenario
    dists: Mapping[str, Distribution]
    members: int
    seed: int
    years: FloatArray
    series: dict[str, dict[str, FloatArray]]
    bands: dict[str, dict[str, dict[float, FloatArray]]]

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(self.series)

    def _count(self, what: str, hits: np.ndarray) -> Probability:
        return Probability(what, int(np.count_nonzero(hits)), self.members, self.seed)

    def _until(self, year: float | None) -> np.ndarray:
        """(T,) rows at or before ``year`` (all rows when None)."""
        if year is None:
            return np.ones(self.years.size, dtype=bool)
        return self.years <= year + 1e-9

    def p_capability_reaches(self, level: float, year: float, variant: str) -> Probability:
        """P(frontier capability >= ``level`` OOM at some month up to ``year``)."""
        cap = self.series[variant]["capability"][self._until(year)]
        what = f"capability reaches +{level:g} OOM by {min(year, self.years[-1]):.1f}"
        return self._count(what, (cap >= level).any(axis=0))

    def p_multiplier_reaches(
        self, level: float, variant: str, year: float | None = None
    ) -> Probability:
        """P(progress multiplier >= ``level`` at some month up to ``year`` or the end)."""
        m = self.series[variant]["progress_multiplier"][self._until(year)]
        when = "within the run" if year is None else f"by {min(year, self.years[-1]):.1f}"
        return self._count(f"progress multiplier reaches {level:g}x {when}", (m >= level).any(0))

    def p_oversight_catches_up(self, variant: str) -> Probability:
        """P(oversight catches up before the end of the run).

        A member counts when its gap C - v is positive at some month (capability ahead
        of what oversight can oversee) and falls back to <= 0 at a later month of the run.
        A member whose gap never becomes positive (oversight never behind) does not count;
        :meth:`p_oversight_never_behind` counts those.
        """
        gap = self.series[variant]["gap"]
        behind = np.maximum.accumulate(gap > 0.0, axis=0)  # has been behind by this month
        caught = (behind[:-1] & (gap[1:] <= 0.0)).any(axis=0)
        return self._count("oversight catches up before the end", caught)

    def p_oversight_never_behind(self, variant: str) -> Probability:
        """P(the gap C - v never becomes positive during the run)."""
        never = ~(self.series[variant]["gap"] > 0.0).any(axis=0)
        return self._count("oversight never falls behind", never)


def check_fan_dists(dists: Mapping[str, Distribution]) -> None:
    """Reject distributions the member axis cannot carry (one value per run)."""
    fixed = sorted(set(dists) & set(ONE_VALUE_PER_RUN))
    if fixed:
        raise ParameterError(
            f"cannot vary {fixed[0]!r} across an ensemble (one value per run: "
            f"{', '.join(ONE_VALUE_PER_RUN)})"
        )


def compute_fan(
    scenario: Scenario,
    dists: Mapping[str, Distribution] | None = None,
    members: int = DEFAULT_MEMBERS,
    seed: int | None = None,
    progress: Progress | None = None,
    chunk: int | None = None,
) -> Fan:
    """Run the ensemble with and without the scenario's development pauses; band it.

    Parameters
    ----------
    scenario : the run's parameters, labs and development pauses; parameters without a
        distribution keep the scenario's values.
    dists : parameter name -> distribution (default :data:`DEFAULT_DISTRIBUTIONS`).
    members : ensemble size N; seed : draws' seed (default: the scenario's).
    progress : called as ``progress(done, total)`` after every simulated month of every
        chunk; it may raise to cancel (the exception propagates).
    chunk : members per Simulation (default: all at once, the fastest: a month's cost is
        set by its slowest member, so smaller chunks pay it again). Chunks never change the
        results: every member has its own sub-steps and its draws are made up front.
    """
    dists = DEFAULT_DISTRIBUTIONS if dists is None else dists
    if not 1 <= members <= MAX_MEMBERS:
        raise ParameterError(f"members = {members} is out of range (allowed: 1 to {MAX_MEMBERS})")
    check_fan_dists(dists)
    seed = scenario.seed if seed is None else seed
    overrides = sample_overrides(dists, members, seed)
    size = members if chunk is None else max(1, chunk)
    starts = range(0, members, size)
    counter = MonthCounter(progress, len(starts) * _months_per_chunk(scenario))
    parts = [
        _run_chunk(
            scenario,
            {k: v[lo : lo + size] for k, v in overrides.items()},
            min(size, members - lo),
            members == 1,
            counter,
        )
        for lo in starts
    ]
    series = {
        variant: {q: np.concatenate([p[variant][q] for p in parts], axis=1) for q in QUANTITIES}
        for variant in parts[0]
    }
    return assemble_fan(
        scenario,
        dists,
        members,
        seed,
        [FanPart(variant, qs, _bands(qs)) for variant, qs in series.items()],
    )


@dataclass(frozen=True)
class FanPart:
    """One variant of a fan: its member series and bands (see :class:`Fan`)."""

    variant: str
    series: dict[str, FloatArray]
    bands: dict[str, dict[float, FloatArray]]


def fan_variants(scenario: Scenario) -> tuple[str, ...]:
    """The variants a fan of ``scenario`` has, in :attr:`Fan.variants` order."""
    return (WITH_PAUSE, WITHOUT_PAUSE) if scenario.pauses else (WITHOUT_PAUSE,)


def compute_fan_part(
    scenario: Scenario,
    dists: Mapping[str, Distribution] | None,
    members: int,
    seed: int | None,
    variant: str,
    progress: Progress | None = None,
) -> FanPart:
    """One variant of :func:`compute_fan`, on its own (two processes can share a fan).

    The variant with the development pauses runs with them from the start: the same
    numbers as :func:`compute_fan`'s fork at :func:`fork_month` (tests/core/test_fan.py),
    so :func:`assemble_fan` of the parts equals :func:`compute_fan` exactly, and its members
    need not all wait at the fork (see :attr:`Simulation.rolling`).
    """
    dists = DEFAULT_DISTRIBUTIONS if dists is None else dists
    if not 1 <= members <= MAX_MEMBERS:
        raise ParameterError(f"members = {members} is out of range (allowed: 1 to {MAX_MEMBERS})")
    if variant not in fan_variants(scenario):
        raise ParameterError(f"this scenario's fan has no variant {variant!r}")
    check_fan_dists(dists)
    overrides = sample_overrides(dists, members, scenario.seed if seed is None else seed)
    kwargs = {"overrides": overrides or None, "members": members, "float_path": members == 1}
    sim = scenario if variant == WITH_PAUSE else dataclasses.replace(scenario, pauses=())
    run = sim.simulation(**kwargs)
    MonthCounter(progress, run.n_months).run(run, run.n_months)
    series = _series(run.history)
    return FanPart(variant, series, _bands(series))


def assemble_fan(
    scenario: Scenario,
    dists: Mapping[str, Distribution] | None,
    members: int,
    seed: int | None,
    parts: list[FanPart],
) -> Fan:
    """The :class:`Fan` of ``parts`` (every variant of :func:`fan_variants`, any order)."""
    dists = DEFAULT_DISTRIBUTIONS if dists is None else dists
    by_variant = {part.variant: part for part in parts}
    order = fan_variants(scenario)
    if sorted(by_variant) != sorted(order):
        raise ValueError(f"a fan needs the parts {order}, not {tuple(by_variant)}")
    series = {v: by_variant[v].series for v in order}
    bands = {v: by_variant[v].bands for v in order}
    years = scenario.simulation().history.years
    seed = scenario.seed if seed is None else seed
    return Fan(scenario, dict(dists), members, seed, years, series, bands)


def _bands(series: Mapping[str, FloatArray]) -> dict[str, dict[float, FloatArray]]:
    return {
        q: dict(zip(LEVELS, percentiles(arr, LEVELS), strict=True)) for q, arr in series.items()
    }


def fork_month(scenario: Scenario) -> int:
    """The month at whose boundary the scenario's first dated development pause can start.

    Until then the runs with and without the pauses are the same, so the fan runs that
    stretch once, boundary included (in one quiet stretch, as the run with the pauses does
    too), and forks there: scheduling the pauses at that boundary starts the due one at
    once, as in a run that had them from the start. 0: nothing to share (a condition can
    fire at any month).
    """
    p = scenario.params
    if not scenario.pauses or any(pause.trigger != "date" for pause in scenario.pauses):
        return 0
    start = min(pause.start for pause in scenario.pauses)
    month = min(p.n_months, max(0, math.floor((start - p.start_year) * 12)))
    # the same clock and test as the simulation's date trigger (t >= start - 1e-6)
    while month > 0 and p.start_year + (month - 1) * MONTH >= start - 1e-6:
        month -= 1
    while month < p.n_months and p.start_year + month * MONTH < start - 1e-6:
        month += 1
    return month


def _months_per_chunk(scenario: Scenario) -> int:
    n = scenario.params.n_months
    return n + (n - fork_month(scenario) if scenario.pauses else 0)


def _run_chunk(
    scenario: Scenario,
    overrides: dict[str, FloatArray],
    n: int,
    alone: bool,
    counter: MonthCounter,
) -> dict[str, dict[str, FloatArray]]:
    """The series of a chunk of ``n`` members, by variant: the run without pauses, forked
    to add them. ``alone``: the ensemble has one member."""
    # One member alone takes the float path, like the window's single run (so a fan of one
    # equals it exactly); a chunk of a larger ensemble takes the array path like the rest.
    kwargs = {"overrides": overrides or None, "members": n, "float_path": alone}
    free = dataclasses.replace(scenario, pauses=()).simulation(**kwargs)
    split = fork_month(scenario)
    paused = scenario.simulation(**kwargs) if scenario.pauses and split == 0 else None
    if scenario.pauses and paused is None:
        counter.run(free, split)  # before any pause is due: the shared months run once
        paused = free.fork()
        for pause in scenario.pauses:
            paused.schedule(pause)
    counter.run(free, free.n_months - free.month)
    if paused is not None:
        counter.run(paused, paused.n_months - paused.month)
    out = {WITHOUT_PAUSE: _series(free.history)}
    if paused is not None:
        out = {WITH_PAUSE: _series(paused.history), **out}
    return out


def _series(h: History) -> dict[str, FloatArray]:
    return {
        "capability": h.capability(),
        "gap": h.gap(),
        "progress_multiplier": h.progress_multiplier(),
    }
