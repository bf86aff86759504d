"""Sensitivity tornado: sweeps, sorting, never-reached outcomes, agreement with single runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rsiviz.core import DevelopmentPause, ParameterError, Params
from rsiviz.core.ensemble import METRICS, grid_values
from rsiviz.core.scenario import Scenario
from rsiviz.core.sensitivity import (
    Tornado,
    TornadoBar,
    compute_tornado,
    sweep_range,
    tornado_params,
)

SHORT = Scenario(params=Params(years=4.0))


@pytest.fixture(scope="module")
def peak_gap() -> Tornado:
    return compute_tornado(SHORT, "peak_gap", points=3)


def _single(scenario: Scenario, name: str, value: float, metric: str, level: float) -> float:
    params = scenario.params.replace(**{name: value})
    hist = dataclasses.replace(scenario, params=params).simulation().run()
    return float(METRICS[metric][1](hist, level)[0])


def test_bars_are_sorted_by_effect_and_cover_every_member_axis_parameter(
    peak_gap: Tornado,
) -> None:
    effects = [b.effect for b in peak_gap.bars]
    assert effects == sorted(effects, reverse=True)
    assert effects[0] > 0.1
    assert {b.name for b in peak_gap.bars} == set(tornado_params())
    assert "oversight_start" not in tornado_params() and "years" not in tornado_params()
    assert peak_gap.members == 1 + 3 * len(tornado_params())


def test_a_parameter_that_cannot_matter_has_zero_width(peak_gap: Tornado) -> None:
    bars = {b.name: b for b in peak_gap.bars}
    # one lab and no development pause: diffusion, defection and pause settings do nothing
    for name in ("diffusion_rate", "defection_threshold", "pause_oversight_boost"):
        assert bars[name].effect == 0.0
        assert np.all(bars[name].outcomes == peak_gap.baseline)
    assert bars["metr_exponent"].effect == 0.0  # a display unit, not a dynamic


def test_each_point_agrees_with_a_single_run_at_the_swept_value(peak_gap: Tornado) -> None:
    for bar in peak_gap.bars[:3]:
        for value, outcome in zip(bar.values, bar.outcomes, strict=True):
            expected = _single(SHORT, bar.name, float(value), "peak_gap", 0.0)
            assert outcome == pytest.approx(expected, rel=1e-7, abs=1e-9)
    assert peak_gap.baseline == pytest.approx(
        float(METRICS["peak_gap"][1](SHORT.simulation().run(), 0.0)[0]), rel=1e-7
    )


def test_the_sweep_spans_the_sourced_range_or_the_allowed_one(peak_gap: Tornado) -> None:
    bars = {b.name: b for b in peak_gap.bars}
    low, high, source = sweep_range("software_returns")
    assert (low, high) == (0.4, 3.6) and "Davidson" in source
    assert np.allclose(
        bars["software_returns"].values, grid_values("software_returns", 0.4, 3.6, 3)
    )
    assert bars["oversight_pace"].range_source == "allowed range"
    assert (bars["oversight_pace"].values[0], bars["oversight_pace"].values[-1]) == (0.0, 3.0)


def test_never_reached_is_kept_ranked_at_the_end_of_the_run_and_flagged() -> None:
    out = compute_tornado(
        SHORT, "year_capability_reaches", level=8.0, names=("software_returns", "oversight_pace")
    )
    returns = next(b for b in out.bars if b.name == "software_returns")
    assert returns.never.any() and not returns.never.all()  # low returns: not within 4 years
    assert returns.is_lower_bound
    end = 2030.0
    finite = returns.outcomes[~returns.never]
    assert returns.effect == pytest.approx(end - finite.min())
    assert out.bars[0].name == "software_returns"
    flat = next(b for b in out.bars if b.name == "oversight_pace")
    assert flat.effect == 0.0 and not flat.is_lower_bound


def test_a_bar_never_reached_anywhere_has_no_span() -> None:
    bar = TornadoBar("x", np.array([1.0, 2.0]), np.array([np.nan, np.nan]), 1.0, "s", None)
    assert bar.span is None and bar.effect == 0.0 and not bar.is_lower_bound


def test_ties_put_more_never_reached_points_first_then_names() -> None:
    out = compute_tornado(
        SHORT, "year_multiplier_reaches", level=1e6, names=("oversight_pace", "diffusion_rate")
    )
    assert np.isnan(out.baseline)
    assert [b.name for b in out.bars] == ["diffusion_rate", "oversight_pace"]
    assert all(b.never.all() for b in out.bars)


def test_a_development_pause_setting_matters_once_there_is_a_development_pause() -> None:
    paused = dataclasses.replace(SHORT, pauses=(DevelopmentPause.at(2027.0, months=12),))
    out = compute_tornado(paused, "final_gap", names=("pause_oversight_boost",), points=3)
    assert out.bars[0].effect > 0.1
    expected = _single(paused, "pause_oversight_boost", 10.0, "final_gap", 0.0)
    assert out.bars[0].outcomes[-1] == pytest.approx(expected, rel=1e-7)


def test_progress_counts_months_and_bad_requests_name_the_problem() -> None:
    seen: list[tuple[int, int]] = []
    compute_tornado(
        SHORT,
        "final_gap",
        names=("compute_growth",),
        points=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(month, 48) for month in range(1, 49)]  # every month, once, in order
    with pytest.raises(ParameterError, match="unknown metric 'nope'"):
        compute_tornado(SHORT, "nope")
    with pytest.raises(ParameterError, match="cannot sweep 'years'"):
        compute_tornado(SHORT, "final_gap", names=("years",))
    with pytest.raises(ParameterError, match="points = 1"):
        compute_tornado(SHORT, "final_gap", points=1)
