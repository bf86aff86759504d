"""The METR time-horizon fit that calibrates the capability -> time-horizon conversion.

Data: METR (2025), Measuring AI Ability to Complete Long Tasks; time horizons TH1.1
(``resources/data/metr_time_horizons.csv``). An ordinary least-squares fit of log2(p50
horizon, minutes) on release date over the state-of-the-art rows from 2023 on.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rsiviz.core.model import FloatArray
from rsiviz.core.resources import ResourceError, resource_path

METR_CITATION = "METR (2025), Measuring AI Ability to Complete Long Tasks; time horizons TH1.1"
METR_FILE = ("data", "metr_time_horizons.csv")
# METR's published doubling times of the 50% horizon (TH1.1): state of the art from 2023 on,
# with its 95% CI, and over all state-of-the-art models (from GPT-2, 2019).
METR_DOUBLING_2023_DAYS = 128.7
METR_DOUBLING_2023_CI = (104.0, 158.0)
METR_DOUBLING_ALL_DAYS = 187.8
SINCE_2023 = 2023.0
ALL_TIME = -math.inf


@dataclass(frozen=True)
class MetrPoint:
    model: str
    year: float  # decimal release year
    p50_minutes: float
    ci_low: float
    ci_high: float
    state_of_the_art: bool


@dataclass(frozen=True)
class MetrFit:
    """log2(H / minute) = intercept + slope * (year - ref_year), with OLS uncertainty."""

    slope: float  # doublings per year
    intercept: float
    ref_year: float
    residual_sd: float
    n: int
    sxx: float
    t_crit: float

    @property
    def doubling_days(self) -> float:
        return 365.25 / self.slope

    def horizon_minutes(self, year: float) -> float:
        return float(2.0 ** (self.intercept + self.slope * (year - self.ref_year)))

    def band(self, year: float) -> tuple[float, float]:
        """95% confidence band of the fitted trend (minutes) at ``year``."""
        dx = year - self.ref_year
        se = self.residual_sd * math.sqrt(1.0 / self.n + dx * dx / self.sxx)
        mid = self.intercept + self.slope * dx
        return 2.0 ** (mid - self.t_crit * se), 2.0 ** (mid + self.t_crit * se)

    def curves(self, years: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Trend and 95% band (minutes) at each of ``years`` (T,): (mid, low, high)."""
        dx = np.asarray(years, dtype=float) - self.ref_year
        se = self.residual_sd * np.sqrt(1.0 / self.n + dx * dx / self.sxx)
        mid = self.intercept + self.slope * dx
        half = self.t_crit * se
        return 2.0**mid, 2.0 ** (mid - half), 2.0 ** (mid + half)


def decimal_year(date: dt.date) -> float:
    start = dt.date(date.year, 1, 1)
    length = (dt.date(date.year + 1, 1, 1) - start).days
    return date.year + (date - start).days / length


def load_metr(path: Path | None = None) -> list[MetrPoint]:
    """Read the shipped METR table; a missing or broken file raises ResourceError."""
    path = path or resource_path(*METR_FILE)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return [
                MetrPoint(
                    model=row["model"],
                    year=decimal_year(dt.date.fromisoformat(row["release_date"])),
                    p50_minutes=float(row["p50_minutes"]),
                    ci_low=float(row["p50_ci_low"]),
                    ci_high=float(row["p50_ci_high"]),
                    state_of_the_art=row["state_of_the_art"].strip() == "yes",
                )
                for row in csv.DictReader(fh)
            ]
    except (OSError, KeyError, ValueError) as exc:
        raise ResourceError(f"cannot read METR data {path}: {exc}") from exc


# Two-sided 95% Student t quantiles for small samples (df -> t); beyond 30, 1.96 is used.
_T95 = {
    1: 12.71,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    25: 2.060,
    30: 2.042,
}


def _t95(df: int) -> float:
    if df in _T95:
        return _T95[df]
    if df > 30:
        return 1.96
    return _T95[min(k for k in _T95 if k >= df)]


def fit_metr(points: list[MetrPoint], since: float = SINCE_2023) -> MetrFit:
    """OLS fit of log2(p50) on release year over state-of-the-art points from ``since``."""
    sel = [pt for pt in points if pt.state_of_the_art and pt.year >= since]
    if len(sel) < 3:
        raise ValueError(f"need at least 3 state-of-the-art points since {since}, got {len(sel)}")
    x = np.array([pt.year for pt in sel])
    y = np.log2([pt.p50_minutes for pt in sel])
    ref = float(x.mean())
    dx = x - ref
    sxx = float(dx @ dx)
    slope = float(dx @ (y - y.mean()) / sxx)
    intercept = float(y.mean())
    resid = y - (intercept + slope * dx)
    n = len(sel)
    sd = float(math.sqrt(resid @ resid / (n - 2)))
    return MetrFit(slope, intercept, ref, sd, n, sxx, _t95(n - 2))


@lru_cache(maxsize=1)
def default_fit() -> MetrFit:
    """The fit the app uses (shipped data, state-of-the-art rows from 2023 on)."""
    return fit_metr(load_metr())


@lru_cache(maxsize=1)
def all_time_fit() -> MetrFit:
    """The same fit over every state-of-the-art row (from GPT-2, 2019): METR's 187.8 days."""
    return fit_metr(load_metr(), since=ALL_TIME)


def metr_horizon_at_start(start_year: float) -> float:
    """H0: the fitted p50 horizon (minutes) at the start of a run."""
    return default_fit().horizon_minutes(start_year)


def implied_metr_exponent(effective_compute_growth: float) -> float:
    """e_H that makes ``effective_compute_growth`` (OOM/yr) reproduce the fitted doubling."""
    return default_fit().slope * math.log10(2.0) / effective_compute_growth
