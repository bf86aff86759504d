"""Quiet months in lanes (each member at its own pace) give the month-by-month runs exactly.

:class:`~rsiviz.core.lanes.Lanes` lets the members of an ensemble cross month boundaries
without waiting for each other where no development pause or link cut can change anything;
each member must still take exactly the sub-steps it takes month by month.
"""

from __future__ import annotations

import contextlib
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.interventions import DEFAULT_LABS, Lab, LinkCut
from rsiviz.core.lanes import Lanes
from rsiviz.core.model import FROZEN

from .budget import examples
from .test_cuts import cuts
from .test_fast_path import labs, pauses
from .test_properties import params

FIELDS = ("h", "s", "c", "v", "a", "ds", "dc", "paused")


def _overrides(seed: int, n: int = 32) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "software_returns": rng.uniform(0.2, 5.0, n),  # explosions in some members only
        "full_automation_speedup": np.exp(rng.uniform(0.0, np.log(100.0), n)),
    }


def _plain() -> contextlib.AbstractContextManager[object]:
    """Month by month, the reference path: no Lanes at all (one would fail the test)."""
    stack = contextlib.ExitStack()
    stack.enter_context(mock.patch.object(Simulation, "quiet_months", return_value=1))
    stack.enter_context(mock.patch.object(Simulation, "lanes_for_one_month", False))
    stack.enter_context(
        mock.patch("rsiviz.core.simulation.Lanes", side_effect=AssertionError("lanes used"))
    )
    return stack


def _month_by_month(sim: Simulation) -> Simulation:
    with _plain():
        sim.run()
    return sim


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_lanes_equal_month_by_month_bit_for_bit(data: st.DataObject) -> None:
    p = data.draw(params())
    ps = data.draw(pauses(p))
    lab_set = data.draw(labs())
    cut_list = data.draw(cuts(p))
    overrides = _overrides(data.draw(st.integers(0, 2**32 - 1)))
    lanes = Simulation(p, lab_set, ps, overrides=overrides, cuts=cut_list).run()
    plain = _month_by_month(Simulation(p, lab_set, ps, overrides=overrides, cuts=cut_list))
    assert lanes.length == plain.history.length
    for name in FIELDS:
        np.testing.assert_array_equal(
            getattr(lanes, name), getattr(plain.history, name), err_msg=name
        )


@st.composite
def fixed_pauses(draw: st.DrawFn, p: Params) -> tuple[DevelopmentPause, ...]:
    """One to three pauses on dates (on a month boundary, between two, before the start
    or after the end), each for a fixed time, with any release: what rolling lanes cross."""
    months = st.integers(-2, p.n_months + 2)
    offsets = st.sampled_from([0.0, 0.0, 1e-7, 0.3])
    return tuple(
        DevelopmentPause(
            start=p.start_year + (draw(months) + draw(offsets)) / 12,
            months=draw(st.sampled_from([1.0, 6.0, 12.0])) + draw(st.sampled_from([0.0, 0.5])),
            # mostly at once: rolling lanes take only those (the others wait, as before)
            release=draw(st.sampled_from([None, None, "instant", "gradual", "no_catch_up"])),
        )
        for _ in range(draw(st.integers(1, 3)))
    )


@settings(max_examples=examples(24), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rolling_lanes_across_pauses_equal_month_by_month_bit_for_bit(
    data: st.DataObject,
) -> None:
    """Members that cross the boundaries of development pauses on their own (each applying
    a start, end, defection or catch-up when it gets there, and going on where nothing
    changes) give the month-by-month numbers: dated pauses on or between boundaries and
    conditional ones, fixed or until oversight catches up, with defection, released at
    once, gradually or without catch-up; race labs that comply or not; per-member
    defection thresholds; a run stepped in pieces."""
    p = Params(
        years=data.draw(st.sampled_from([2.0, 4.0])),
        release_mode=data.draw(st.sampled_from(["instant", "gradual", "no_catch_up"])),
    )
    ps = data.draw(st.one_of(fixed_pauses(p), pauses(p)))
    lab_set = data.draw(labs())
    overrides = _overrides(data.draw(st.integers(0, 2**32 - 1)), 24)
    if data.draw(st.booleans()):
        overrides["defection_threshold"] = np.linspace(0.0, 2.0, 24)
    rolling = Simulation(p, lab_set, ps, overrides=overrides)
    for piece in data.draw(st.lists(st.integers(1, p.n_months), min_size=1, max_size=3)):
        rolling.step(piece)
    rolling.run()
    plain = _month_by_month(Simulation(p, lab_set, ps, overrides=overrides))
    for name in FIELDS:
        np.testing.assert_array_equal(
            getattr(rolling.history, name), getattr(plain.history, name), err_msg=name
        )
    for name in ("h", "s", "c", "v", "modes"):
        np.testing.assert_array_equal(getattr(rolling, name), getattr(plain, name), err_msg=name)
    for name in ("status", "started", "defected"):
        for mine, theirs in zip(
            getattr(rolling.book, name), getattr(plain.book, name), strict=True
        ):
            np.testing.assert_array_equal(mine, theirs, err_msg=name)


def test_a_pause_triggered_by_a_rate_waits_at_each_boundary() -> None:
    """A trigger on automation, the progress multiplier or the doubling time needs the
    boundary's rates: those runs wait for every member at each boundary, as before."""
    p = Params(years=4.0)
    on_rate = DevelopmentPause(trigger="condition", metric="automation", threshold=0.5)
    on_gap = DevelopmentPause(trigger="condition", metric="gap", threshold=0.5)
    with mock.patch.object(Lanes, "_apply", autospec=True, side_effect=Lanes._apply) as own:
        Simulation(p, pauses=[on_rate], overrides=_overrides(4)).run()
        assert own.call_count == 0
        Simulation(p, pauses=[on_gap], overrides=_overrides(4)).run()
        assert own.call_count > 0


DEFECTING_RACE = (
    Lab("Lab A", 0.0, 0.0),
    Lab("Lab B", -0.3, -0.2),
    Lab("Lab C", -0.6, -0.4, complies=False),
)


@pytest.mark.parametrize(
    ("release_mode", "lab_set", "pause"),
    [
        ("instant", DEFAULT_LABS, DevelopmentPause.at(2027.0, months=12)),
        ("gradual", DEFAULT_LABS, DevelopmentPause.at(2027.0, months=12)),
        ("instant", DEFECTING_RACE, DevelopmentPause.at(2027.0, months=36, defection=True)),
        (
            "gradual",
            DEFAULT_LABS,
            DevelopmentPause(
                trigger="condition", metric="gap", threshold=1.0, until_oversight=True
            ),
        ),
    ],
    ids=["fixed", "gradual release", "defection", "condition until oversight"],
)
def test_rolling_lanes_do_not_wait_at_a_pause_for_the_slowest_member(
    release_mode: str, lab_set: tuple[Lab, ...], pause: DevelopmentPause
) -> None:
    """The members' sub-steps overlap across a pause's boundaries (a run takes about as
    many array sub-steps as its slowest member), while month by month each boundary waits
    for the slowest; without rolling the count is the sum. Where nothing changes at a
    member's boundary (no defection yet, oversight not caught up, the lab not caught up
    with its potential) it goes on: boundaries are applied to groups only where they
    change something, far fewer times than there are member-months."""
    p = Params(years=6.0, release_mode=release_mode)
    ov = _overrides(3, 64)
    counts, runs, events = {}, {}, 0
    for rolling in (True, False):
        with (
            mock.patch.object(Simulation, "rolling", rolling),
            mock.patch.object(Lanes, "step", autospec=True, side_effect=Lanes.step) as spy,
            mock.patch.object(Lanes, "_apply", autospec=True, side_effect=Lanes._apply) as own,
        ):
            runs[rolling] = Simulation(p, lab_set, [pause], overrides=ov).run()
        counts[rolling] = spy.call_count
        events = events or own.call_count
        assert (own.call_count > 0) == rolling  # the boundaries, member by member
    assert counts[True] < 0.9 * counts[False], counts
    assert events < 64 * 6, events  # not one per member and change, nor per month
    plain = _month_by_month(Simulation(p, lab_set, [pause], overrides=ov)).history
    for name in FIELDS:
        for run in runs.values():
            np.testing.assert_array_equal(getattr(run, name), getattr(plain, name), err_msg=name)


def test_a_fixed_automation_and_forks_in_lanes_equal_month_by_month() -> None:
    p = Params(years=6.0)
    ov = _overrides(7)
    lanes = Simulation(p, overrides=ov, a_fixed=1.0)
    lanes.step(20)
    fork = lanes.fork()
    fork.schedule(DevelopmentPause.at(2027.0, months=6))
    plain = Simulation(p, overrides=ov, a_fixed=1.0)
    with _plain():
        plain.step(20)
        plain_fork = plain.fork()
        plain_fork.schedule(DevelopmentPause.at(2027.0, months=6))
        plain.run()
        plain_fork.run()
    for a, b in ((lanes.run(), plain.history), (fork.run(), plain_fork.history)):
        for name in FIELDS:
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_quiet_stretches_end_where_a_pause_or_cut_can_start() -> None:
    p = Params(start_year=2026.0, years=6.0)
    ov = _overrides(1, 8)
    assert Simulation(p, overrides=ov).quiet_months(p.n_months) == p.n_months
    dated = Simulation(p, pauses=[DevelopmentPause.at(2027.0, months=6)], overrides=ov)
    assert dated.quiet_months(p.n_months) == 12  # lands on the month the pause starts
    dated.step(12)
    assert (
        dated.modes == FROZEN
    ).all()  # held from here for 6 months: nothing changes until the end
    assert dated.quiet_months(p.n_months) == 6
    dated.step(6)
    assert not (dated.modes == FROZEN).any()  # released
    defecting = DevelopmentPause.at(2027.0, months=6, defection=True)
    held = Simulation(p, pauses=[defecting], overrides=ov)
    held.step(12)
    assert held.quiet_months(p.n_months) == 1  # any month may bring a defection
    cut = Simulation(p, overrides=ov, cuts=[LinkCut("automation", 2028.5)])
    assert cut.quiet_months(p.n_months) == 30
    condition = DevelopmentPause(trigger="condition", metric="capability", threshold=2.0)
    assert Simulation(p, pauses=[condition], overrides=ov).quiet_months(p.n_months) == 1
    # one member, on floats: the same stretches (run in one float loop)
    assert Simulation(p).quiet_months(p.n_months) == p.n_months
    assert Simulation(p, pauses=[condition]).quiet_months(p.n_months) == 1
    with mock.patch.object(Simulation, "float_stretches", False):
        assert Simulation(p).quiet_months(p.n_months) == 1


def test_progress_is_called_once_per_month_and_can_cancel() -> None:
    p = Params(years=3.0)
    sim = Simulation(p, overrides=_overrides(2, 16))
    months: list[int] = []
    sim.step(p.n_months, on_month=lambda: months.append(sim.month))
    assert len(months) == p.n_months

    def stop() -> None:
        raise RuntimeError("cancelled")  # as a cancelled job's progress does

    again = Simulation(p, overrides=_overrides(2, 16))
    with pytest.raises(RuntimeError, match="cancelled"):
        again.step(p.n_months, on_month=stop)
    assert again.month < p.n_months
