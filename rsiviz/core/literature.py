"""Literature checks of MODEL.md: the Forethought replication and the METR calibration."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from rsiviz.core.calibration import METR_DOUBLING_2023_CI, SINCE_2023, default_fit
from rsiviz.core.ensemble import YEAR_OF_PROGRESS_OOM, Distribution, sample_overrides
from rsiviz.core.history import History
from rsiviz.core.interventions import DEFAULT_LABS
from rsiviz.core.model import LN10, FloatArray
from rsiviz.core.params import Params
from rsiviz.core.simulation import MonthCounter, Simulation

# A long job's progress report: (done, total) between chunks of work; raising cancels it.
Progress = Callable[[int, int], None]

FORETHOUGHT_CITATION = (
    'Davidson and Houlden (2025), "How quick and big would a software intelligence '
    'explosion be?", Forethought'
)
FORETHOUGHT_URL = "https://www.forethought.org/research/how-quick-and-big-would-a-software-intelligence-explosion-be"
# The paper's headline figures (its summary, "to 1 sig fig"); MODEL.md's check is against these.
FORETHOUGHT_PAPER = {"p_3_years_in_12_months": 0.60, "p_10_years_in_12_months": 0.20}
# The paper's own Monte Carlo, section "Results" (main model, no retraining, no gradual boost):
# P(>= Y years of progress compressed into <= W months), keyed by (Y, W).
FORETHOUGHT_RESULTS: dict[tuple[float, int], float] = {
    (3.0, 12): 0.57,
    (10.0, 12): 0.18,
    (3.0, 4): 0.41,
    (10.0, 4): 0.12,
}
FORETHOUGHT_RESULTS_SOURCE = f"{FORETHOUGHT_CITATION}, section Results (table)"
REPLICATION_TOLERANCE = 0.05  # MODEL.md: within +-5 percentage points

FORETHOUGHT_DISTRIBUTIONS = {
    "full_automation_speedup": Distribution("loguniform", 2.0, 32.0),
    "software_returns": Distribution("loguniform", 0.4, 3.6),
    "parallel_returns": Distribution("loguniform", 0.15, 0.6),
}


# The paper simulates 48 months and asks whether *any* 12-month window holds N years of
# progress (its public model code slides the window over the doubling times); a run that
# accelerates does its fastest year after the first one.
FORETHOUGHT_MONTHS = 48
WINDOW_YEARS = 1.0
WINDOWS_MONTHS = (12, 4)  # the paper's two windows: "compressed into <= 1 year / 4 months"
# Points per simulated month at which the within-month trajectory is evaluated.
DENSE_PER_MONTH = 8
DENSE_CHUNK = 10_000  # draws whose dense curves are held at once (~30 MB each array)


@dataclass(frozen=True)
class ForethoughtResult:
    """The replication's draws: the most years of progress in any window of each length."""

    draws: int
    seed: int
    years_of_progress: FloatArray  # (draws,) most progress in any 12-month window
    p_3_years: float
    p_10_years: float
    # window length (months) -> (draws,) most years of progress in any window that long
    by_window: dict[int, FloatArray] = field(default_factory=dict)

    def probability(self, years: float, window_months: int = 12) -> float:
        """Share of draws with at least ``years`` of progress within ``window_months``."""
        return float(np.mean(self.by_window[window_months] >= years))

    def as_dict(self) -> dict[str, object]:
        return {
            "source": FORETHOUGHT_CITATION,
            "draws": self.draws,
            "seed": self.seed,
            "paper": FORETHOUGHT_PAPER,
            "model": {
                "p_3_years_in_12_months": self.p_3_years,
                "p_10_years_in_12_months": self.p_10_years,
            },
            "results_table": [
                {"figure": row.label, "paper": row.paper, "model": row.model, "pass": row.passed}
                for row in forethought_rows(self)
            ],
            "results_table_source": FORETHOUGHT_RESULTS_SOURCE,
            "median_years_of_progress_in_12_months": float(np.median(self.years_of_progress)),
            "method": (
                f"{FORETHOUGHT_MONTHS}-month runs; years of progress = most software progress "
                f"in any {WINDOW_YEARS * 12:g}-month window / 8 doublings"
            ),
        }


@dataclass(frozen=True)
class ReplicationRow:
    """One figure of a paper beside the model's, with its source and a pass/fail mark."""

    label: str
    paper: float
    source: str
    model: float
    tolerance: float = REPLICATION_TOLERANCE

    @property
    def passed(self) -> bool:
        return abs(self.model - self.paper) <= self.tolerance


def forethought_rows(result: ForethoughtResult) -> list[ReplicationRow]:
    """Every figure of the paper's results table beside this model's (same draws)."""
    rows = []
    for (years, months), paper in FORETHOUGHT_RESULTS.items():
        window = "1 year" if months == 12 else f"{months} months"
        rows.append(
            ReplicationRow(
                label=f"P(>= {years:g} years of progress within {window})",
                paper=paper,
                source=FORETHOUGHT_RESULTS_SOURCE,
                model=result.probability(years, months),
            )
        )
    return rows


def forethought_params() -> Params:
    """No compute growth; initial pace 4 doublings/yr (times f at full automation); 48 months."""
    return Params(
        compute_growth=0.0,
        software_pace=4 * math.log10(2.0),
        years=FORETHOUGHT_MONTHS / 12,
    )


def dense_levels(s: FloatArray, rate: FloatArray, per_month: int = DENSE_PER_MONTH) -> FloatArray:
    """(T-1) * per_month + 1 points of a level between its monthly samples.

    ``s`` and ``rate`` are (T, ...) month-boundary values of a non-decreasing level and its
    growth rate (per year). Within a month log10 of the rate is taken as linear in the
    level (the integrator's own assumption, :func:`log_linear_increment`), with the slope
    that joins the two boundary rates; the curve is then scaled to meet both samples
    exactly. Where a rate is zero or the slope is not finite, the level is interpolated
    linearly. Monthly samples alone understate how much an explosion does inside a month.
    """
    s0, s1 = s[:-1], s[1:]
    g0, g1 = rate[:-1], rate[1:]
    gain = s1 - s0
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.log10(g1 / g0) / gain
    curved = np.isfinite(kappa) & (np.abs(kappa * gain) > 1e-9) & (g0 > 0) & (g1 > 0)
    kl = np.where(curved, kappa, 1.0) * LN10
    u = (np.arange(per_month) / per_month).reshape((-1,) + (1,) * s0.ndim)
    # Time from s0 grows like 1 - 10^(-kappa x); invert the share u of the month's time.
    span = -np.expm1(-kl * np.where(curved, gain, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        x = -np.log1p(-u * span) / kl
    x = np.where(curved, np.clip(x, 0.0, gain), u * gain)
    inner = s0 + x  # (per_month, T-1, ...)
    inner = np.moveaxis(inner, 0, 1).reshape((-1,) + s0.shape[1:])
    return np.concatenate([inner, s[-1:]], axis=0)


def max_window_gain(levels: FloatArray, window: int) -> FloatArray:
    """Largest rise of ``levels`` (T, ...) over ``window`` consecutive samples."""
    if levels.shape[0] <= window:
        return np.asarray(levels[-1] - levels[0])
    return np.asarray((levels[window:] - levels[:-window]).max(axis=0))


def replicate_forethought(
    draws: int = 5000, seed: int = 0, progress: Progress | None = None
) -> ForethoughtResult:
    """Configure the model like the paper and count explosions within 12 and 4 months.

    ``progress(done, total)`` is called between chunks of work (each simulated month, then
    each block of dense curves); it may raise to cancel the run.
    """
    overrides = sample_overrides(FORETHOUGHT_DISTRIBUTIONS, draws, seed)
    # Ceiling 2^(8Y): Y uniform on 6-16 years of progress, drawn after the other three.
    y = np.random.default_rng([seed, 1]).uniform(6.0, 16.0, draws)
    overrides["software_ceiling"] = y * YEAR_OF_PROGRESS_OOM
    sim = Simulation(forethought_params(), DEFAULT_LABS, (), overrides=overrides, a_fixed=1.0)
    chunks = range(0, draws, DENSE_CHUNK)
    total = sim.n_months + len(chunks)
    counter = MonthCounter(progress, total)
    counter.run(sim, sim.n_months)
    hist = sim.history
    s, ds = hist.s[: hist.length, :, 0], hist.ds[: hist.length, :, 0]
    by_window = {months: np.empty(draws) for months in WINDOWS_MONTHS}
    for lo in chunks:  # the dense curves of all draws at once are big
        part = slice(lo, lo + DENSE_CHUNK)
        levels = dense_levels(s[:, part], ds[:, part])
        for months, out in by_window.items():
            out[part] = max_window_gain(levels, months * DENSE_PER_MONTH) / YEAR_OF_PROGRESS_OOM
        counter.tick()
    year = by_window[12]
    return ForethoughtResult(
        draws=draws,
        seed=seed,
        years_of_progress=year,
        p_3_years=float(np.mean(year >= 3.0)),
        p_10_years=float(np.mean(year >= 10.0)),
        by_window=by_window,
    )


@dataclass(frozen=True)
class CalibrationCheck:
    """Does a parameter set fit METR's time horizons? (MODEL.md "Calibration".)

    The model's horizon at t0 is anchored to the fit (H0 = the fitted trend at t0), so it
    lies inside the band by construction while t0 is near the data; what a setting
    changes is the speed: the back-cast doubling time, ``log10(2) / (e_H dc/dt)`` at t0,
    must lie inside METR's 95% CI for the doubling time since 2023.
    """

    start_year: float
    model_horizon_minutes: float
    band_low: float
    band_high: float
    fit_doubling_days: float
    model_doubling_days: float  # inf while capability does not grow at t0
    ci_days: tuple[float, float] = METR_DOUBLING_2023_CI

    @property
    def inside_band(self) -> bool:
        return self.band_low <= self.model_horizon_minutes <= self.band_high

    @property
    def doubling_inside_ci(self) -> bool:
        return self.ci_days[0] <= self.model_doubling_days <= self.ci_days[1]

    @property
    def fits(self) -> bool:
        return self.inside_band and self.doubling_inside_ci

    def criterion(self) -> str:
        """The rule in words, with this check's numbers."""
        lo, hi = self.ci_days
        return (
            f"Fits when the model's horizon at {self.start_year:g} "
            f"({self.model_horizon_minutes:,.0f} min) lies inside the fit's 95% band "
            f"({self.band_low:,.0f}-{self.band_high:,.0f} min) and its back-cast doubling time "
            f"({days_text(self.model_doubling_days)}) lies inside METR's 95% CI ({lo:g}-{hi:g} days)."
        )

    def verdict(self) -> str:
        if self.fits:
            return "Fits the METR data"
        why = [] if self.inside_band else ["horizon at the start outside the band"]
        if not self.doubling_inside_ci:
            fast = self.model_doubling_days < self.ci_days[0]
            why.append(
                f"doubling time {days_text(self.model_doubling_days)}: too {'fast' if fast else 'slow'}"
            )
        return "Does not fit the METR data (" + "; ".join(why) + ")"


def days_text(days: float) -> str:
    """A doubling time in days for people; no growth has none."""
    return f"{days:.0f} days" if math.isfinite(days) else "none (no growth)"


def check_calibration(params: Params | None = None) -> CalibrationCheck:
    """A parameter set's METR horizon at t0 vs the fit, and its back-cast doubling time."""
    params = params or Params()
    hist = Simulation(params.replace(years=1.0)).history
    fit = default_fit()
    lo, hi = fit.band(params.start_year)
    horizon_oom_per_year = params.metr_exponent * float(hist.dc[0, 0, 0])  # dc: OOM/yr at t0
    doubling = (
        365.25 * math.log10(2.0) / horizon_oom_per_year if horizon_oom_per_year > 1e-9 else math.inf
    )
    return CalibrationCheck(
        start_year=params.start_year,
        model_horizon_minutes=float(hist.metr_horizon_minutes()[0, 0]),
        band_low=lo,
        band_high=hi,
        fit_doubling_days=fit.doubling_days,
        model_doubling_days=doubling,
    )


@dataclass(frozen=True)
class HorizonTrack:
    """The model's METR horizon in minutes: back-cast before t0 and run forward from it."""

    backcast_years: FloatArray  # (B,) from ``since`` to t0
    backcast_minutes: FloatArray  # (B,)
    forecast_years: FloatArray  # (T,) month boundaries from t0
    forecast_minutes: FloatArray  # (T,)


def horizon_track(
    params: Params, since: float = SINCE_2023, forecast_years: float = 6.0
) -> HorizonTrack:
    """Back-cast at the model's doubling time at t0; forecast by running it (no pauses)."""
    chk = check_calibration(params)
    t0 = params.start_year
    back = np.linspace(min(since, t0), t0, 25)
    if math.isfinite(chk.model_doubling_days):
        doublings = (back - t0) * 365.25 / chk.model_doubling_days
    else:
        doublings = np.zeros_like(back)
    hist = Simulation(params.replace(years=min(params.years, forecast_years))).run()
    return HorizonTrack(
        back,
        chk.model_horizon_minutes * 2.0**doublings,
        hist.time.copy(),
        hist.metr_horizon_minutes()[:, 0],
    )


# AI 2027's takeoff milestones as AI R&D progress multipliers (MODEL.md "Outputs").
AI2027_CITATION = "Kokotajlo et al. (2025), AI 2027, takeoff forecast"
AI2027_MILESTONES: tuple[tuple[float, str], ...] = (
    (5.0, "superhuman coder"),
    (25.0, "superhuman AI researcher"),
    (250.0, "superintelligent AI researcher"),
    (2000.0, "ASI"),
)


def milestone_years(history: History, member: int = 0) -> list[tuple[float, str, float | None]]:
    """(multiplier, name, first year the run's progress multiplier reaches it or None)."""
    m = history.progress_multiplier()[:, member]
    out: list[tuple[float, str, float | None]] = []
    for level, name in AI2027_MILESTONES:
        hit = np.flatnonzero(m >= level)
        out.append((level, name, float(history.time[hit[0]]) if hit.size else None))
    return out
