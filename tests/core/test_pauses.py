"""Development pauses: triggers, durations, release modes, defection, race mode, forks."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Lab, ParameterError, Params, Simulation
from rsiviz.core.pauses import PauseBook
from rsiviz.core.scenario import load_preset

from .budget import examples
from .test_fast_path import labs, pauses
from .test_lanes import _plain

P = Params(years=8.0)


ONE_LAB = (Lab(),)


def _run(*pauses: DevelopmentPause, params: Params = P, labs=ONE_LAB) -> Simulation:
    sim = Simulation(params, labs, pauses)
    sim.run()
    return sim


def test_fixed_pause_freezes_capability_then_instant_release_jumps_to_potential() -> None:
    sim = _run(DevelopmentPause.at(2028.0, months=24, release="instant"))
    h = sim.history
    c, q = h.c[:, 0, 0], h.h[:, 0, 0] + h.s[:, 0, 0]
    assert h.paused[24:48, 0, 0].all() and not h.paused[48, 0, 0] and not h.paused[23, 0, 0]
    assert (c[24:48] == c[24]).all()  # frozen
    assert q[47] > c[47] + 0.5  # overhang built up
    assert c[48] == pytest.approx(q[48])  # released at once
    # research went on at half speed during the development pause
    free = _run()
    assert h.s[47, 0, 0] < free.history.s[47, 0, 0]


def test_gradual_release_rises_at_most_rate_faster_than_potential() -> None:
    sim = _run(
        DevelopmentPause.at(2028.0, months=24, release="gradual"),
        params=P.replace(release_rate=1.0),
    )
    h = sim.history
    c, q = h.c[:, 0, 0], h.h[:, 0, 0] + h.s[:, 0, 0]
    dc, dq = np.diff(c)[48:60], np.diff(q)[48:60]
    assert (dc <= dq + 1.0 / 12 + 1e-9).all()
    assert (c[49:60] < q[49:60]).all()  # the overhang is let out slowly


def test_no_catch_up_keeps_the_overhang() -> None:
    sim = _run(DevelopmentPause.at(2028.0, months=12, release="no_catch_up"))
    h = sim.history
    over = (h.h + h.s - h.c)[:, 0, 0]
    assert over[40] == pytest.approx(over[36], abs=1e-9)  # a pure delay: gap to q stays
    assert over[-1] > 0.1


def test_condition_trigger_and_until_oversight() -> None:
    pause = DevelopmentPause(
        trigger="condition",
        metric="gap",
        threshold=1.0,
        until_oversight=True,
        margin=0.0,
        max_months=36,
    )
    sim = _run(pause)
    h = sim.history
    paused = h.paused[:, 0, 0]
    first = int(np.argmax(paused))
    assert h.gap()[first, 0] >= 1.0 and h.gap()[first - 1, 0] < 1.0
    end = first + int(np.argmin(paused[first:]))
    # oversight caught up with the frozen frontier (the record at `end` is after release)
    assert h.c[end - 1, 0, 0] - h.v[end, 0] <= 1e-9 < h.c[end - 2, 0, 0] - h.v[end - 1, 0]
    assert end - first <= 36


@pytest.mark.parametrize(
    "metric,threshold",
    [
        ("progress_multiplier", 3.0),
        ("automation", 0.5),
        ("capability", 2.0),
        ("doubling_time_months", 1.5),
    ],
)
def test_other_conditions(metric: str, threshold: float) -> None:
    sim = _run(DevelopmentPause(trigger="condition", metric=metric, threshold=threshold, months=6))
    first = int(np.argmax(sim.history.paused[:, 0, 0]))
    assert first > 0
    h = Simulation(P).run()  # identical up to `first`; shows the metric before the freeze
    values = {
        "progress_multiplier": h.progress_multiplier(),
        "automation": h.automation(),
        "capability": h.capability(),
        "doubling_time_months": h.doubling_time_months(),
    }
    v = values[metric][:, 0]
    if metric == "doubling_time_months":
        assert v[first - 1] > threshold and v[first] <= threshold
    else:
        assert v[first - 1] < threshold <= v[first]


def test_max_months_caps_until_oversight() -> None:
    pause = DevelopmentPause.at(2027.0, until_oversight=True, margin=-10.0, max_months=10)
    sim = _run(pause)
    assert sim.history.paused[:, 0, 0].sum() == 10


def test_race_defection_and_diffusion() -> None:
    sc = load_preset("race_one_lab_defects")
    sim = sc.simulation()
    sim.run()
    h = sim.history
    paused = h.paused[:, 0, :]
    assert not paused[:, 2].any()  # lab C never complies
    a_paused = paused[:, 0]
    assert a_paused.any()
    end = int(np.argmax(a_paused)) + int(np.argmin(a_paused[np.argmax(a_paused) :]))
    assert end < 24 + 36  # defected before the 36 months were up
    # lab A (frozen at its month end-1 level) was overtaken by more than theta = 1 OOM
    assert h.c[end, 0, 2] - h.c[end - 1, 0, 0] > 1.0
    assert h.c[end - 1, 0, 2] - h.c[end - 1, 0, 0] <= 1.0
    # diffusion: a follower's software gap to the leader shrinks without pauses
    free = Simulation(sc.params, sc.labs).run()
    gap0 = free.s[0, 0, 0] - free.s[0, 0, 1]
    assert free.s[12, 0, 0] - free.s[12, 0, 1] < gap0


def test_fork_counterfactual_is_the_same_run_without_the_pause() -> None:
    sim = Simulation(P)
    sim.step(20)
    ghost = sim.fork()
    sim.schedule(DevelopmentPause.at(sim.time, months=12))
    assert sim.history.paused[20, 0, 0]  # starts at the current month
    sim.run()
    ghost.run()
    plain = Simulation(P).run()
    np.testing.assert_array_equal(ghost.history.c, plain.c)
    assert not np.array_equal(sim.history.c, plain.c)
    np.testing.assert_array_equal(sim.history.c[:21], plain.c[:21])


def test_bad_pause_values_are_rejected() -> None:
    with pytest.raises(ParameterError, match="months"):
        DevelopmentPause.at(2028, months=-1)
    with pytest.raises(ParameterError, match="release"):
        DevelopmentPause.at(2028, release="slowly")
    with pytest.raises(ParameterError, match="metric"):
        DevelopmentPause(trigger="condition", metric="vibes")
    with pytest.raises(ParameterError, match="unknown lab"):
        Simulation(P, pauses=[DevelopmentPause.at(2028, compliance=("Nobody",))])


def _book_state(sim: Simulation) -> list[np.ndarray]:
    """Per member (N, k): everything an update may change."""
    book = sim.book
    parts = [np.stack(book.status, axis=1)] if book.pauses else []
    if book.pauses:
        started = np.stack(book.started, axis=1)
        parts.append(np.where(np.isnan(started), -1.0, started))  # nan == nan
        parts.extend(book.defected)
    return [*parts, sim.modes, sim.c]


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_changes_tells_exactly_where_an_update_changes_something(data: st.DataObject) -> None:
    """:meth:`PauseBook.changes` is what lets rolling lanes skip a member's boundary: it
    must be True wherever :meth:`PauseBook.update` changes a member's pause status, start
    time, defection, mode or capability; and (but for triggers on a rate, always True) it is
    False wherever nothing changes, so members do not wait in vain. Checked at every
    boundary of month-by-month runs: dated and conditional pauses, fixed or until oversight,
    defection, every release, race labs, per-member defection thresholds."""
    p = Params(
        years=data.draw(st.sampled_from([3.0, 6.0])),
        release_mode=data.draw(st.sampled_from(["instant", "gradual", "no_catch_up"])),
    )
    ps = data.draw(pauses(p))
    n = 16
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    overrides = {
        "software_returns": rng.uniform(0.2, 5.0, n),
        "defection_threshold": rng.uniform(0.0, 2.0, n),
        "diffusion_rate": rng.uniform(0.0, 3.0, n),
    }
    sim = Simulation(p, data.draw(labs()), ps, overrides=overrides)
    on_rate = any(x.trigger == "condition" and x.metric not in ("capability", "gap") for x in ps)
    real = PauseBook.update
    counted = [0, 0]

    def update(book: PauseBook, s: Simulation) -> bool:
        said = book.changes(
            np.arange(s.n_members),
            np.full(s.n_members, s.time),
            (s.h.copy(), s.s.copy(), s.c.copy(), s.v.copy()),
            s.k.theta,
            s.modes.copy(),
        )
        before = [x.copy() for x in _book_state(s)]
        out = real(book, s)
        changed = np.zeros(s.n_members, dtype=bool)
        for old, new in zip(before, _book_state(s), strict=True):
            changed |= (old != new).reshape(s.n_members, -1).any(axis=1)
        assert not (changed & ~said).any(), (s.month, changed, said)
        if not on_rate:
            np.testing.assert_array_equal(said, changed, err_msg=f"month {s.month}")
        counted[0] += int(said.sum())
        counted[1] += int(changed.sum())
        return out

    with mock.patch.object(PauseBook, "update", update), _plain():
        sim.run()
    assert counted[0] >= counted[1]


@pytest.mark.parametrize(
    "start_year,held",
    [(2026.0, (24, 47)), (2029.0, (0, 11)), (2029.5, (0, 5)), (2030.0, None), (2031.0, None)],
)
def test_a_pause_dated_before_the_run_counts_its_months_from_its_date(start_year, held) -> None:
    """A dated pause (2028, 24 months) in a run whose start year moved past its date holds
    the labs only for what is left of it by the calendar, and none once it is over: before,
    it ran its full 24 months from the run's start, while the window still said 2028. The
    single run (floats) and an ensemble (arrays, in lanes) agree."""
    scenario = load_preset("pause_2028_instant")
    assert scenario.pauses[0].start == 2028.0 and scenario.pauses[0].months == 24.0
    params = scenario.params.replace(start_year=start_year)
    for members in (1, 3):
        sim = Simulation(params, scenario.labs, scenario.pauses, members=members)
        h = sim.run()
        for m in range(members):
            months = np.flatnonzero(h.paused[:, m].any(axis=-1))
            assert (None if months.size == 0 else (months[0], months[-1])) == held
            if held is not None:  # held without a gap
                assert months.size == held[1] - held[0] + 1


def test_a_pause_dated_before_the_run_says_what_is_left_of_it() -> None:
    """The pause panel's line for a dated pause agrees with what the run does (the test
    above): the months left of it when the run starts, or that it has no effect."""
    pause = DevelopmentPause.at(2028.0, months=24)
    assert pause.describe_in_run(2026.0) == pause.describe()
    assert pause.describe_in_run(2028.0) == pause.describe()
    assert "in force for its last 12 months" in pause.describe_in_run(2029.0)
    assert "no effect" in pause.describe_in_run(2030.0)
    oversight = DevelopmentPause(trigger="date", start=2028.0, until_oversight=True, max_months=36)
    assert "at most 24 more months" in oversight.describe_in_run(2029.0)
    assert "no effect" in oversight.describe_in_run(2031.0)
