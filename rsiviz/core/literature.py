"""Literature checks of MODEL.md: the Forethought replication and the METR calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rsiviz.core.calibration import default_fit
from rsiviz.core.ensemble import YEAR_OF_PROGRESS_OOM, Distribution, sample_overrides
from rsiviz.core.interventions import DEFAULT_LABS
from rsiviz.core.model import LN10, FloatArray
from rsiviz.core.params import Params
from rsiviz.core.simulation import Simulation

FORETHOUGHT_CITATION = (
    'Davidson and Houlden (2025), "How quick and big would a software intelligence '
    'explosion be?", Forethought'
)
# The paper's headline figures (its own Monte Carlo).
FORETHOUGHT_PAPER = {"p_3_years_in_12_months": 0.60, "p_10_years_in_12_months": 0.20}

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
# Points per simulated month at which the within-month trajectory is evaluated.
DENSE_PER_MONTH = 8
DENSE_CHUNK = 10_000  # draws whose dense curves are held at once (~30 MB each array)


@dataclass(frozen=True)
class ForethoughtResult:
    draws: int
    seed: int
    years_of_progress: FloatArray  # (draws,) most progress in any 12-month window
    p_3_years: float
    p_10_years: float

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
            "median_years_of_progress_in_12_months": float(np.median(self.years_of_progress)),
            "method": (
                f"{FORETHOUGHT_MONTHS}-month runs; years of progress = most software progress "
                f"in any {WINDOW_YEARS * 12:g}-month window / 8 doublings"
            ),
        }


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


def replicate_forethought(draws: int = 5000, seed: int = 0) -> ForethoughtResult:
    """Configure the model like the paper and count explosions within any 12 months."""
    rng_seed = seed
    overrides = sample_overrides(FORETHOUGHT_DISTRIBUTIONS, draws, rng_seed)
    # Ceiling 2^(8Y): Y uniform on 6-16 years of progress, drawn after the other three.
    y = np.random.default_rng([rng_seed, 1]).uniform(6.0, 16.0, draws)
    overrides["software_ceiling"] = y * YEAR_OF_PROGRESS_OOM
    sim = Simulation(forethought_params(), DEFAULT_LABS, (), overrides=overrides, a_fixed=1.0)
    hist = sim.run()
    s, ds = hist.s[: hist.length, :, 0], hist.ds[: hist.length, :, 0]
    window = round(WINDOW_YEARS * 12 * DENSE_PER_MONTH)
    progress = np.empty(draws)
    for lo in range(0, draws, DENSE_CHUNK):  # the dense curves of all draws at once are big
        part = slice(lo, lo + DENSE_CHUNK)
        levels = dense_levels(s[:, part], ds[:, part])
        progress[part] = max_window_gain(levels, window) / YEAR_OF_PROGRESS_OOM
    return ForethoughtResult(
        draws=draws,
        seed=seed,
        years_of_progress=progress,
        p_3_years=float(np.mean(progress >= 3.0)),
        p_10_years=float(np.mean(progress >= 10.0)),
    )


@dataclass(frozen=True)
class CalibrationCheck:
    start_year: float
    model_horizon_minutes: float
    band_low: float
    band_high: float
    fit_doubling_days: float
    model_doubling_days: float

    @property
    def inside_band(self) -> bool:
        return self.band_low <= self.model_horizon_minutes <= self.band_high


def check_calibration(params: Params | None = None) -> CalibrationCheck:
    """The default model's METR horizon at t0 vs the fit, and its back-cast doubling time."""
    params = params or Params()
    sim = Simulation(params)
    hist = sim.history
    fit = default_fit()
    lo, hi = fit.band(params.start_year)
    dc = float(hist.dc[0, 0, 0])  # OOM/yr of effective compute at t0
    horizon_oom_per_year = params.metr_exponent * dc
    return CalibrationCheck(
        start_year=params.start_year,
        model_horizon_minutes=float(hist.metr_horizon_minutes()[0, 0]),
        band_low=lo,
        band_high=hi,
        fit_doubling_days=fit.doubling_days,
        model_doubling_days=365.25 * math.log10(2.0) / horizon_oom_per_year,
    )
