"""Uncertainty fans: bands, readouts, chunking, forking and cancelling."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, ParameterError, Params
from rsiviz.core.ensemble import Distribution, run_ensemble
from rsiviz.core.fan import (
    LEVELS,
    QUANTITIES,
    WITH_PAUSE,
    WITHOUT_PAUSE,
    Fan,
    Probability,
    assemble_fan,
    compute_fan,
    compute_fan_part,
    fan_variants,
    fork_month,
)
from rsiviz.core.scenario import Scenario

from .budget import examples
from .test_fast_path import labs

SHORT = Params(years=4.0)
PAUSED = Scenario(params=SHORT, pauses=(DevelopmentPause.at(2027.5, months=12),))


def _fan(scenario: Scenario = PAUSED, members: int = 40, seed: int = 3, **kw: object) -> Fan:
    return compute_fan(scenario, members=members, seed=seed, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fan() -> Fan:
    return _fan()


def test_one_member_without_spread_equals_the_single_run_exactly() -> None:
    single = PAUSED.simulation().run()
    free = Scenario(params=SHORT).simulation().run()
    fixed = {"software_returns": Distribution("uniform", 1.2, 1.2)}
    for dists in ({}, fixed):
        out = compute_fan(PAUSED, dists, members=1, seed=0)
        for variant, hist in ((WITH_PAUSE, single), (WITHOUT_PAUSE, free)):
            for q in QUANTITIES:
                expected = getattr(hist, q)()[:, 0]
                assert np.array_equal(out.series[variant][q][:, 0], expected)
                for level in LEVELS:
                    assert np.array_equal(out.bands[variant][q][level], expected)


def test_the_pause_variant_exists_only_when_the_scenario_has_development_pauses(fan: Fan) -> None:
    assert fan.variants == (WITH_PAUSE, WITHOUT_PAUSE)
    assert _fan(Scenario(params=SHORT), members=5).variants == (WITHOUT_PAUSE,)


def test_bands_have_one_row_per_month_and_the_pause_changes_them(fan: Fan) -> None:
    assert fan.years.shape == (SHORT.n_months + 1,)
    cap = fan.bands[WITH_PAUSE]["capability"][50]
    assert cap.shape == fan.years.shape
    assert not np.array_equal(cap, fan.bands[WITHOUT_PAUSE]["capability"][50])


def test_members_are_the_ensemble_of_the_core(fan: Fan) -> None:
    for variant, scenario in ((WITH_PAUSE, PAUSED), (WITHOUT_PAUSE, Scenario(params=SHORT))):
        hist = run_ensemble(scenario, 40, 3)
        assert np.array_equal(fan.series[variant]["capability"], hist.capability())
        assert np.array_equal(fan.series[variant]["gap"], hist.gap())
        assert np.array_equal(
            fan.series[variant]["progress_multiplier"], hist.progress_multiplier()
        )


def test_chunks_of_members_do_not_change_the_results(fan: Fan) -> None:
    chunked = _fan(chunk=7)
    for v in fan.variants:
        for q in QUANTITIES:
            assert np.array_equal(chunked.series[v][q], fan.series[v][q])


def test_chunks_without_uncertain_parameters_keep_the_ensemble_size() -> None:
    out = compute_fan(PAUSED, {}, members=5, seed=0, chunk=2)
    single = PAUSED.simulation().run().capability()[:, 0]
    for v in out.variants:
        assert out.series[v]["capability"].shape == (SHORT.n_months + 1, 5)
    # five identical members on the array path: the single run to integrator precision
    assert np.allclose(out.series[WITH_PAUSE]["capability"], single[:, None], atol=1e-9)


def test_the_same_seed_gives_the_same_bands_and_another_seed_differs(fan: Fan) -> None:
    again, other = _fan(), _fan(seed=4)
    for q in QUANTITIES:
        for level in LEVELS:
            assert np.array_equal(
                again.bands[WITH_PAUSE][q][level], fan.bands[WITH_PAUSE][q][level]
            )
    assert not np.array_equal(
        other.series[WITHOUT_PAUSE]["capability"], fan.series[WITHOUT_PAUSE]["capability"]
    )


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    members=st.integers(1, 30),
    seed=st.integers(0, 2**32),
    returns=st.floats(0.3, 4.0),
)
def test_percentiles_are_ordered_at_every_month(members: int, seed: int, returns: float) -> None:
    scenario = dataclasses.replace(PAUSED, params=SHORT.replace(software_returns=returns))
    dists = {"full_automation_speedup": Distribution("loguniform", 2.0, 32.0)}
    out = compute_fan(scenario, dists, members=members, seed=seed)
    for v in out.variants:
        for q in QUANTITIES:
            stack = np.array([out.bands[v][q][level] for level in LEVELS])
            assert np.isfinite(stack).all()
            assert (np.diff(stack, axis=0) >= 0).all()


def test_probabilities_match_a_direct_count(fan: Fan) -> None:
    cap = fan.series[WITH_PAUSE]["capability"]
    rows = fan.years <= 2028.0 + 1e-9
    expected = int((cap[rows].max(axis=0) >= 3.0).sum())
    p = fan.p_capability_reaches(3.0, 2028.0, WITH_PAUSE)
    assert (p.hits, p.members, p.seed) == (expected, 40, 3)
    assert 0 < p.hits < 40  # the example is informative
    m = fan.series[WITHOUT_PAUSE]["progress_multiplier"]
    assert fan.p_multiplier_reaches(2.0, WITHOUT_PAUSE).hits == int((m.max(axis=0) >= 2.0).sum())


def test_oversight_catching_up_means_the_gap_returns_to_zero_after_being_positive(
    fan: Fan,
) -> None:
    gap = fan.series[WITH_PAUSE]["gap"]
    expected = 0
    for j in range(gap.shape[1]):
        positive = np.flatnonzero(gap[:, j] > 0)
        expected += bool(positive.size and (gap[positive[0] + 1 :, j] <= 0).any())
    caught = fan.p_oversight_catches_up(WITH_PAUSE)
    assert caught.hits == expected > 0  # the development pause lets oversight catch up
    assert fan.p_oversight_catches_up(WITHOUT_PAUSE).hits == 0


def test_a_member_never_behind_does_not_count_as_catching_up() -> None:
    ahead = Scenario(params=Params(years=2.0, oversight_start=5.0, oversight_pace=3.0))
    out = compute_fan(ahead, {}, members=2, seed=0)
    assert out.p_oversight_never_behind(WITHOUT_PAUSE).hits == 2
    assert out.p_oversight_catches_up(WITHOUT_PAUSE).hits == 0


def test_probability_text_quotes_n_seed_and_standard_error() -> None:
    p = Probability("x", 576, 1000, 0)
    assert p.stderr == pytest.approx((0.576 * 0.424 / 1000) ** 0.5)
    assert p.text() == "57.6% \u00b1 1.6% (576 of 1,000 runs, seed 0)"
    assert Probability("x", 0, 1000, 2).text() == "0% (<0.3%) (0 of 1,000 runs, seed 2)"
    assert Probability("x", 50, 50, 1).short_text() == "100% (>94%)"


def test_progress_reports_every_month_and_an_exception_cancels() -> None:
    seen: list[tuple[int, int]] = []
    _fan(members=4, progress=lambda d, t: seen.append((d, t)), chunk=2)
    per_chunk = SHORT.n_months + SHORT.n_months - fork_month(PAUSED)
    assert seen[-1] == (2 * per_chunk, 2 * per_chunk)
    assert [d for d, _ in seen] == list(range(1, 2 * per_chunk + 1))

    class StopError(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done == 5:
            raise StopError

    with pytest.raises(StopError):
        _fan(members=4, progress=stop)


def test_the_fork_is_the_month_the_first_dated_pause_starts() -> None:
    assert fork_month(PAUSED) == 18  # 2027.5 is month 18
    between = dataclasses.replace(PAUSED, pauses=(DevelopmentPause.at(2027.53, months=6),))
    assert fork_month(between) == 19
    cond = DevelopmentPause(trigger="condition", metric="capability", threshold=2.0)
    assert fork_month(dataclasses.replace(PAUSED, pauses=(cond,))) == 0
    late = dataclasses.replace(PAUSED, pauses=(DevelopmentPause.at(2035.0, months=6),))
    assert fork_month(late) == SHORT.n_months
    out = compute_fan(late, {}, members=1, seed=0)  # a pause after the end changes nothing
    assert np.array_equal(out.series[WITH_PAUSE]["gap"], out.series[WITHOUT_PAUSE]["gap"])


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_forked_pause_variant_equals_a_run_with_the_pauses_from_the_start(
    data: st.DataObject,
) -> None:
    """Forking at the boundary where the first dated pause starts changes no bit: dated
    pauses anywhere (on a month boundary or between two), any release, race labs that
    comply or not and defect."""
    p = Params(years=data.draw(st.sampled_from([1.0, 3.0])))
    months = st.integers(0, p.n_months + 2)
    offsets = st.sampled_from([0.0, 0.0, 1e-7, 0.3, 0.5])
    ps = tuple(
        DevelopmentPause(
            start=p.start_year + (data.draw(months) + data.draw(offsets)) / 12,
            months=data.draw(st.floats(1.0, 18.0)),
            release=data.draw(st.sampled_from([None, "instant", "gradual", "no_catch_up"])),
            until_oversight=data.draw(st.booleans()),
            margin=0.1,
            defection=data.draw(st.booleans()),
        )
        for _ in range(data.draw(st.integers(1, 2)))
    )
    scenario = Scenario(params=p, labs=data.draw(labs()), pauses=ps)
    forked = compute_fan(scenario, None, 12, 4).series[WITH_PAUSE]  # forks at fork_month()
    hist = run_ensemble(scenario, 12, 4)
    for q in QUANTITIES:
        np.testing.assert_array_equal(forked[q], getattr(hist, q)(), err_msg=q)


def test_a_conditional_pause_runs_without_a_fork_and_matches_the_core() -> None:
    cond = DevelopmentPause(trigger="condition", metric="capability", threshold=2.0, months=6)
    scenario = dataclasses.replace(PAUSED, pauses=(cond,))
    out = compute_fan(scenario, members=6, seed=1)
    hist = run_ensemble(scenario, 6, 1)
    assert np.array_equal(out.series[WITH_PAUSE]["capability"], hist.capability())


COND = DevelopmentPause(trigger="condition", metric="capability", threshold=2.0, months=6)


@pytest.mark.parametrize(
    "scenario",
    [PAUSED, Scenario(params=SHORT), dataclasses.replace(PAUSED, pauses=(COND,))],
    ids=["dated pause", "no pause", "conditional pause"],
)
@pytest.mark.parametrize("members", [1, 17])
def test_a_fan_assembled_from_variants_computed_apart_equals_the_fan(
    scenario: Scenario, members: int
) -> None:
    """The window computes each variant in its own process; the fan must not change."""
    whole = compute_fan(scenario, members=members, seed=5)
    parts = [compute_fan_part(scenario, None, members, 5, v) for v in fan_variants(scenario)]
    assembled = assemble_fan(scenario, None, members, 5, parts[::-1])  # any order
    assert assembled.variants == whole.variants == fan_variants(scenario)
    assert (assembled.seed, assembled.members, assembled.dists) == (5, members, whole.dists)
    for variant in whole.variants:
        for q in QUANTITIES:
            np.testing.assert_array_equal(assembled.series[variant][q], whole.series[variant][q])
            for level in LEVELS:
                np.testing.assert_array_equal(
                    assembled.bands[variant][q][level], whole.bands[variant][q][level]
                )


def test_fan_parts_refuse_a_missing_variant_and_bad_inputs() -> None:
    with pytest.raises(ParameterError, match="no variant"):
        compute_fan_part(Scenario(params=SHORT), None, 4, 1, WITH_PAUSE)
    with pytest.raises(ParameterError, match="members = 0"):
        compute_fan_part(PAUSED, None, 0, 1, WITHOUT_PAUSE)
    part = compute_fan_part(PAUSED, None, 4, 1, WITHOUT_PAUSE)
    with pytest.raises(ValueError, match="needs the parts"):
        assemble_fan(PAUSED, None, 4, 1, [part])


def test_bad_requests_name_what_is_wrong() -> None:
    with pytest.raises(ParameterError, match="oversight_start"):
        compute_fan(PAUSED, {"oversight_start": Distribution("uniform", 0.0, 1.0)}, members=2)
    with pytest.raises(ParameterError, match="members = 0"):
        compute_fan(PAUSED, members=0)
    bad = {"software_returns": Distribution("uniform", 0.01, 1.0)}
    with pytest.raises(ParameterError, match="software_returns"):
        compute_fan(PAUSED, bad, members=2)


@settings(max_examples=examples(30), deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 60),
    st.integers(0, 2**32 - 1),
    st.sampled_from([None, np.nan, np.inf, -np.inf]),
)
def test_percentiles_equal_numpys_nanpercentile_exactly(
    months: int, members: int, seed: int, bad: float | None
) -> None:
    """All finite values take numpy's vectorised percentile; the same numbers bit for bit."""
    from rsiviz.core.ensemble import percentiles

    rng = np.random.default_rng(seed)
    values = rng.standard_normal((months, members)) * rng.uniform(0.0, 100.0)
    if bad is not None:
        values[rng.random(values.shape) < 0.2] = bad
    expected = np.full((len(LEVELS), months), np.nan)
    finite = np.where(np.isfinite(values), values, np.nan)
    rows = np.isfinite(finite).any(axis=1)
    if rows.any():
        expected[:, rows] = np.nanpercentile(finite[rows], LEVELS, axis=1)
    np.testing.assert_array_equal(percentiles(values, LEVELS), expected)
