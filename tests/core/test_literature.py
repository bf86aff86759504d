"""MODEL.md's literature checks, the METR fit, ensembles and sweeps."""

from __future__ import annotations

import numpy as np
import pytest

from rsiviz.core.calibration import default_fit, implied_metr_exponent
from rsiviz.core.ensemble import (
    DEFAULT_DISTRIBUTIONS,
    grid_values,
    percentiles,
    run_ensemble,
    sample_overrides,
    sweep,
)
from rsiviz.core.literature import (
    FORETHOUGHT_DISTRIBUTIONS,
    FORETHOUGHT_PAPER,
    check_calibration,
    dense_levels,
    max_window_gain,
    replicate_forethought,
)
from rsiviz.core.model import LN10
from rsiviz.core.scenario import Scenario


def test_metr_fit_matches_published_doubling_time() -> None:
    fit = default_fit()
    assert fit.doubling_days == pytest.approx(128.7, abs=1.0)  # METR: 128.7 days since 2023
    assert implied_metr_exponent(0.663 + 0.45) == pytest.approx(0.77, abs=0.01)


def test_calibration_horizon_inside_band_and_backcast_matches_trend() -> None:
    chk = check_calibration()
    assert chk.inside_band
    # METR's 95% CI for the doubling time since 2023 is 104-158 days
    assert 104 <= chk.model_doubling_days <= 158


def test_forethought_replication() -> None:
    res = replicate_forethought(5000, seed=0)
    # MODEL.md: the paper's 60% / 20% within 5 points.
    assert abs(res.p_3_years - FORETHOUGHT_PAPER["p_3_years_in_12_months"]) <= 0.05
    assert abs(res.p_10_years - FORETHOUGHT_PAPER["p_10_years_in_12_months"]) <= 0.05
    again = replicate_forethought(5000, seed=0)
    np.testing.assert_array_equal(res.years_of_progress, again.years_of_progress)


def _paper_doubling_times(f: float, r0: float, p: float, years: float) -> np.ndarray:
    """The paper's discrete model, written independently of rsiviz: months of each doubling.

    Initial doubling time 3/f months (4 doublings/yr times f); after each doubling r falls
    by r0 / (8 Y) and the next doubling time is multiplied by 2^(p (1/r - 1)); 48 months,
    ceiling 8 Y doublings.
    """
    total = 8.0 * years
    dt, t, r, n = 3.0 / f, 0.0, r0, 0
    times = [0.0]
    while t < 48.0 and n < total and r > 0:
        t, n, r = t + dt, n + 1, r - r0 / total
        times.append(t)
        if r > 0:
            dt *= 2.0 ** min(p * (1.0 / r - 1.0), 60.0)
    return np.array(times)


def _paper_best_year(times: np.ndarray) -> float:
    """Most doublings inside any span shorter than 12 months, in years of progress."""
    best, j = 0, 0
    for i in range(len(times)):
        j = max(j, i)
        while j + 1 < len(times) and times[j + 1] - times[i] < 12.0:
            j += 1
        best = max(best, j - i)
    return best / 8.0


def test_forethought_matches_the_papers_discrete_model_member_by_member() -> None:
    n = 1000
    res = replicate_forethought(n, seed=3)
    draws = sample_overrides(FORETHOUGHT_DISTRIBUTIONS, n, 3)
    ceiling_years = np.random.default_rng([3, 1]).uniform(6.0, 16.0, n)
    paper = np.array(
        [
            _paper_best_year(
                _paper_doubling_times(
                    draws["full_automation_speedup"][i],
                    draws["software_returns"][i],
                    draws["parallel_returns"][i],
                    ceiling_years[i],
                )
            )
            for i in range(n)
        ]
    )
    for level in (3.0, 10.0):
        # the continuous model and the per-doubling one classify almost every draw alike
        assert np.mean((paper >= level) != (res.years_of_progress >= level)) <= 0.01
    assert np.median(np.abs(paper - res.years_of_progress)) < 0.15  # about one doubling


def test_dense_levels_meet_samples_and_follow_an_exponential_rate() -> None:
    # ds/dt = g 10^(kappa s) (log10 rate linear in s): s(t) = -log10(1 - kappa ln10 g t)/kappa
    g, kappa = 0.3, 0.5  # blows up at t = 1 / (kappa ln10 g) = 2.9 years
    t = np.arange(0, 13) / 12.0
    s = -np.log10(1 - kappa * LN10 * g * t) / kappa
    rate = g * 10 ** (kappa * s)
    dense = dense_levels(s, rate, per_month=4)
    assert dense.shape == (12 * 4 + 1,)
    np.testing.assert_allclose(dense[::4], s)
    fine_t = np.arange(0, 12 * 4 + 1) / 48.0
    exact = -np.log10(1 - kappa * LN10 * g * fine_t) / kappa
    np.testing.assert_allclose(dense, exact, rtol=1e-9, atol=1e-12)
    # a constant rate interpolates linearly; a zero rate falls back to linear too
    lin = dense_levels(np.array([0.0, 1.0]), np.array([3.0, 3.0]), per_month=4)
    np.testing.assert_allclose(lin, [0, 0.25, 0.5, 0.75, 1.0])
    flat = dense_levels(np.array([0.0, 1.0]), np.array([3.0, 0.0]), per_month=2)
    np.testing.assert_allclose(flat, [0, 0.5, 1.0])


def test_max_window_gain_finds_the_fastest_stretch_not_the_first() -> None:
    levels = np.array([0.0, 0.1, 0.2, 2.0, 4.0, 4.1, 4.2])
    assert max_window_gain(levels, 2) == pytest.approx(3.8)
    assert max_window_gain(levels, 10) == pytest.approx(4.2)  # shorter than the window


def test_ensemble_is_seeded_and_percentiles_ordered() -> None:
    sc = Scenario(params=Scenario().params.replace(years=3.0))
    a = run_ensemble(sc, 64, seed=7)
    b = run_ensemble(sc, 64, seed=7)
    c = run_ensemble(sc, 64, seed=8)
    np.testing.assert_array_equal(a.c, b.c)
    assert not np.array_equal(a.c, c.c)
    pct = percentiles(a.capability())
    assert (np.diff(pct, axis=0) >= -1e-12).all()
    draws = sample_overrides(DEFAULT_DISTRIBUTIONS, 1000, 1)
    for name, d in DEFAULT_DISTRIBUTIONS.items():
        assert draws[name].min() >= d.low and draws[name].max() <= d.high


def test_sweep_shapes_and_monotone_in_returns() -> None:
    sc = Scenario(params=Scenario().params.replace(years=4.0))
    xs = grid_values("software_returns", 0.5, 3.0, 6)
    grid1 = sweep(sc, ("software_returns", xs), "final_capability")
    assert grid1.shape == (6,)
    assert (np.diff(grid1) > 0).all()  # higher returns, more capability
    ys = grid_values("full_automation_speedup", 2, 32, 3)
    grid2 = sweep(sc, ("software_returns", xs), "peak_gap", ("full_automation_speedup", ys))
    assert grid2.shape == (3, 6)
    one = Scenario(
        params=sc.params.replace(
            software_returns=float(xs[2]), full_automation_speedup=float(ys[1])
        )
    )
    assert grid2[1, 2] == pytest.approx(one.simulation().run().gap().max(), abs=1e-9)
    never = sweep(sc, ("software_returns", xs), "year_capability_reaches", level=1e6)
    assert np.isnan(never).all()
