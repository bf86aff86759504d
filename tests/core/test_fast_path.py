"""Shortcuts that make a single run fast give the same runs as the plain code.

The float path (one member, one lab) against the array path, and the development-pause
book's skip of quiet month boundaries against the full update.

:class:`~rsiviz.core.simulation.Simulation` integrates a single-lab run of one member on
Python floats because numpy's per-call overhead on 1-element arrays dominates a single run.
Both paths evaluate the same equation functions with the same step rule, so they must agree
to rounding everywhere in the parameter ranges, with every kind of development pause.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.interventions import CONDITION_METRICS
from rsiviz.core.model import FloatRates, Rates
from rsiviz.core.pauses import PauseBook

from .test_properties import params

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pauses(draw: st.DrawFn, p: Params) -> list[DevelopmentPause]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        release = draw(st.sampled_from([None, "instant", "gradual", "no_catch_up"]))
        until = draw(st.booleans())
        length = {"months": draw(st.floats(1.0, 36.0)), "max_months": draw(st.floats(1.0, 60.0))}
        if draw(st.booleans()):
            start = p.start_year + draw(st.floats(0.0, p.years))
            out.append(
                DevelopmentPause(
                    start=start, until_oversight=until, release=release, margin=0.1, **length
                )
            )
        else:
            metric = draw(st.sampled_from(sorted(CONDITION_METRICS)))
            threshold = {
                "capability": 2.0,
                "gap": 0.5,
                "progress_multiplier": 3.0,
                "doubling_time_months": 4.0,
                "automation": 0.5,
            }[metric]
            out.append(
                DevelopmentPause(
                    trigger="condition",
                    metric=metric,
                    threshold=threshold,
                    until_oversight=until,
                    release=release,
                    **length,
                )
            )
    return out


def _pair(p: Params, ps: list[DevelopmentPause]) -> tuple[Simulation, Simulation]:
    fast = Simulation(p, pauses=ps)
    slow = Simulation(p, pauses=ps, float_path=False)
    assert isinstance(fast._rates, FloatRates) and isinstance(slow._rates, Rates)
    return fast, slow


@SETTINGS
@given(st.data())
def test_float_path_matches_array_path(data: st.DataObject) -> None:
    p = data.draw(params())
    ps = data.draw(pauses(p))
    fast, slow = _pair(p, ps)
    a, b = fast.run(), slow.run()
    np.testing.assert_array_equal(a.paused, b.paused)
    for name in ("h", "s", "c", "v", "a", "ds", "dc"):
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-9, err_msg=name)


def test_float_path_forks_and_schedules_like_the_array_path() -> None:
    p = Params(years=6.0)
    fast, slow = _pair(p, [])
    for sim in (fast, slow):
        sim.step(20)
    fast_fork, slow_fork = fast.fork(), slow.fork()
    for sim in (fast, slow):
        sim.schedule(DevelopmentPause.at(sim.time, months=12, release="gradual"))
        sim.run()
    for sim in (fast_fork, slow_fork):
        sim.run()
    np.testing.assert_allclose(fast.history.c, slow.history.c, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast_fork.history.c, slow_fork.history.c, rtol=1e-12, atol=1e-12)
    # the fork did not see the pause scheduled on the original
    assert not fast_fork.history.paused.any() and fast.history.paused.any()


def test_float_path_only_for_one_member_and_one_lab() -> None:
    assert isinstance(Simulation(members=2)._rates, Rates)
    assert isinstance(Simulation()._rates, FloatRates)


@SETTINGS
@given(st.data())
def test_skipping_quiet_boundaries_changes_nothing(data: st.DataObject) -> None:
    p = data.draw(params())
    ps = data.draw(pauses(p))
    quick = Simulation(p, pauses=ps).run()
    with mock.patch.object(PauseBook, "_quiet", return_value=False):
        full = Simulation(p, pauses=ps).run()
    np.testing.assert_array_equal(quick.paused, full.paused)
    np.testing.assert_array_equal(quick.c, full.c)
    np.testing.assert_array_equal(quick.v, full.v)
