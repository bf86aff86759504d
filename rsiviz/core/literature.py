"""Literature checks of MODEL.md: the Forethought replication and the METR calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rsiviz.core.calibration import default_fit
from rsiviz.core.ensemble import YEAR_OF_PROGRESS_OOM, Distribution, sample_overrides
from rsiviz.core.interventions import DEFAULT_LABS
from rsiviz.core.model import FloatArray
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


@dataclass(frozen=True)
class ForethoughtResult:
    draws: int
    seed: int
    years_of_progress: FloatArray  # (draws,) within the first 12 months
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
        }


def forethought_params() -> Params:
    """No compute growth; initial pace 4 doublings/yr (times f at full automation); 48 months."""
    return Params(
        compute_growth=0.0,
        software_pace=4 * math.log10(2.0),
        years=4.0,
    )


def replicate_forethought(draws: int = 5000, seed: int = 0) -> ForethoughtResult:
    """Configure the model like the paper and count explosions within 12 months."""
    rng_seed = seed
    overrides = sample_overrides(FORETHOUGHT_DISTRIBUTIONS, draws, rng_seed)
    # Ceiling 2^(8Y): Y uniform on 6-16 years of progress, drawn after the other three.
    y = np.random.default_rng([rng_seed, 1]).uniform(6.0, 16.0, draws)
    overrides["software_ceiling"] = y * YEAR_OF_PROGRESS_OOM
    sim = Simulation(forethought_params(), DEFAULT_LABS, (), overrides=overrides, a_fixed=1.0)
    sim.step(12)
    progress = (sim.s[:, 0] - 0.0) / YEAR_OF_PROGRESS_OOM
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
