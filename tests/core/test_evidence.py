"""Evidence views' core: METR fits and the fit verdict, Forethought's windows, AI 2027."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rsiviz.core.calibration import (
    METR_DOUBLING_2023_DAYS,
    METR_DOUBLING_ALL_DAYS,
    all_time_fit,
    default_fit,
)
from rsiviz.core.literature import (
    AI2027_MILESTONES,
    FORETHOUGHT_RESULTS,
    check_calibration,
    forethought_rows,
    horizon_track,
    milestone_years,
    replicate_forethought,
)
from rsiviz.core.params import Params
from rsiviz.core.scenario import Scenario, load_preset


def test_fits_reproduce_metrs_published_doubling_times() -> None:
    assert default_fit().doubling_days == pytest.approx(METR_DOUBLING_2023_DAYS, abs=0.5)
    assert all_time_fit().doubling_days == pytest.approx(METR_DOUBLING_ALL_DAYS, abs=0.5)
    assert all_time_fit().n > default_fit().n


def test_fit_curves_agree_with_the_pointwise_band() -> None:
    fit = default_fit()
    years = np.array([2023.0, 2025.5, 2028.0])
    mid, lo, hi = fit.curves(years)
    for i, year in enumerate(years):
        assert mid[i] == pytest.approx(fit.horizon_minutes(float(year)))
        assert (lo[i], hi[i]) == pytest.approx(fit.band(float(year)))
    # the band is narrowest near the data's centre and widens away from it
    assert (hi / lo)[2] > (hi / lo)[1]


@pytest.mark.parametrize(
    ("changes", "fits", "word"),
    [
        ({}, True, ""),
        ({"compute_growth": 1.2}, False, "too fast"),
        ({"compute_growth": 0.2}, False, "too slow"),
        ({"metr_exponent": 1.5}, False, "too fast"),
    ],
)
def test_calibration_verdict_follows_the_sliders(changes: dict, fits: bool, word: str) -> None:
    chk = check_calibration(Params(**changes))
    assert chk.fits is fits
    assert chk.inside_band  # the horizon at t0 is anchored to the fit
    assert chk.verdict().startswith("Fits" if fits else "Does not fit")
    assert word in chk.verdict()
    assert "104-158 days" in chk.criterion()


def test_no_growth_at_the_start_does_not_fit_and_says_so() -> None:
    chk = check_calibration(Params(compute_growth=0.0, software_pace=0.1, metr_exponent=0.1))
    assert not chk.fits
    flat = check_calibration(Params(compute_growth=0.0, software_pace=0.1))
    assert math.isfinite(flat.model_doubling_days)  # software still grows
    assert "too slow" in flat.verdict()


def test_horizon_track_joins_backcast_and_forecast_at_the_start() -> None:
    p = Params()
    track = horizon_track(p)
    chk = check_calibration(p)
    assert track.backcast_years[-1] == track.forecast_years[0] == p.start_year
    assert track.backcast_minutes[-1] == pytest.approx(track.forecast_minutes[0])
    span = track.backcast_years[-1] - track.backcast_years[0]
    doublings = math.log2(track.backcast_minutes[-1] / track.backcast_minutes[0])
    assert span * 365.25 / doublings == pytest.approx(chk.model_doubling_days)
    assert np.all(np.diff(track.forecast_minutes) >= 0)


def test_forethought_all_four_figures_of_the_papers_table() -> None:
    res = replicate_forethought(5000, seed=0)
    rows = forethought_rows(res)
    assert [(r.paper) for r in rows] == list(FORETHOUGHT_RESULTS.values())
    for row in rows:
        assert row.passed, f"{row.label}: paper {row.paper:.0%}, model {row.model:.1%}"
    # a 4-month window never holds more progress than a 12-month one, draw by draw
    assert np.all(res.by_window[4] <= res.by_window[12] + 1e-12)
    assert res.probability(3.0, 12) == res.p_3_years


def test_forethought_reports_progress_and_can_be_cancelled() -> None:
    calls: list[tuple[int, int]] = []
    replicate_forethought(200, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == list(range(1, len(calls) + 1))

    class StopError(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done == 5:
            raise StopError

    with pytest.raises(StopError):
        replicate_forethought(200, seed=1, progress=stop)


def test_ai2027_preset_reaches_5x_25x_and_250x() -> None:
    hist = load_preset("ai2027_milestones").simulation().run()
    reached = {level: year for level, _, year in milestone_years(hist)}
    years = [reached[level] for level in (5.0, 25.0, 250.0)]
    assert all(y is not None for y in years), reached
    assert years == sorted(years)  # in order
    assert hist.progress_multiplier()[:, 0].max() >= 250.0
    # and it takes the preset's parameters: the defaults stop short of 25x
    default = {lv: y for lv, _, y in milestone_years(Scenario().simulation().run())}
    assert default[5.0] is not None and default[25.0] is None
    assert [lv for lv, _ in AI2027_MILESTONES[:3]] == [5.0, 25.0, 250.0]
