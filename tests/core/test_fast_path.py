"""Shortcuts that make a single run fast give the same runs as the plain code.

The float path (one member, any number of labs) against the array path, and the
development-pause book's skip of quiet month boundaries against the full update.

:class:`~rsiviz.core.simulation.Simulation` integrates a single-lab run of one member on
Python floats because numpy's per-call overhead on 1-element arrays dominates a single run.
Both paths evaluate the same equation functions with the same step rule, so they must agree
to rounding everywhere in the parameter ranges, with every kind of development pause and
any combination of link cuts.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.floats import FloatRates
from rsiviz.core.interventions import CONDITION_METRICS, DEFAULT_LABS, Lab, LinkCut
from rsiviz.core.model import Rates
from rsiviz.core.pauses import PauseBook
from rsiviz.core.scenario import load_preset

from .budget import examples
from .test_cuts import cuts
from .test_properties import params

SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def labs(draw: st.DrawFn) -> tuple[Lab, ...]:
    """One lab, or a race of two or three with random offsets and compliance."""
    n = draw(st.sampled_from([1, 1, 2, 3]))
    if n == 1:
        return DEFAULT_LABS
    offset = st.floats(-2.0, 0.0)
    return tuple(
        Lab(f"Lab {i}", draw(offset), draw(offset), complies=draw(st.booleans())) for i in range(n)
    )


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
                    start=start,
                    until_oversight=until,
                    release=release,
                    margin=0.1,
                    defection=draw(st.booleans()),
                    **length,
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


def _pair(
    p: Params,
    ps: list[DevelopmentPause],
    lab_set: tuple[Lab, ...] = DEFAULT_LABS,
    cut_list: tuple[LinkCut, ...] | list[LinkCut] = (),
) -> tuple[Simulation, Simulation]:
    fast = Simulation(p, lab_set, ps, cuts=cut_list)
    slow = Simulation(p, lab_set, ps, float_path=False, cuts=cut_list)
    assert isinstance(fast._rates, FloatRates) and isinstance(slow._rates, Rates)
    return fast, slow


@SETTINGS
@given(st.data())
def test_float_path_matches_array_path(data: st.DataObject) -> None:
    p = data.draw(params())
    ps = data.draw(pauses(p))
    fast, slow = _pair(p, ps, data.draw(labs()), data.draw(cuts(p)))
    a, b = fast.run(), slow.run()
    np.testing.assert_array_equal(a.paused, b.paused)
    for name in ("h", "s", "c", "v", "a", "ds", "dc"):
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-9, err_msg=name)


@SETTINGS
@given(st.data())
def test_float_stretches_equal_month_by_month_bit_for_bit(data: st.DataObject) -> None:
    """A single run's quiet months in one float loop (:meth:`Simulation._float_stretch`)
    give the very bits of the month-by-month float path, history rows and all, also when
    the run is advanced in pieces (as the window's re-run does)."""
    p = data.draw(params())
    ps, lab_set, cut_list = data.draw(pauses(p)), data.draw(labs()), data.draw(cuts(p))
    pieces = data.draw(st.lists(st.integers(1, 30), max_size=4))
    stretched = Simulation(p, lab_set, ps, cuts=cut_list)
    months: list[int] = []
    for piece in pieces:
        stretched.step(piece, on_month=lambda: months.append(stretched.month))
    stretched.run()
    with (
        mock.patch.object(Simulation, "float_stretches", False),
        mock.patch.object(Simulation, "_float_stretch", side_effect=AssertionError("used")),
    ):
        plain = Simulation(p, lab_set, ps, cuts=cut_list)
        plain.run()
    assert stretched.history.length == plain.history.length
    for name in ("h", "s", "c", "v", "a", "ds", "dc", "paused"):
        np.testing.assert_array_equal(
            getattr(stretched.history, name), getattr(plain.history, name), err_msg=name
        )
    assert len(months) == min(sum(pieces), p.n_months)  # one call per month finished


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


def test_float_path_only_for_one_member() -> None:
    assert isinstance(Simulation(members=2)._rates, Rates)
    assert isinstance(Simulation()._rates, FloatRates)
    race = load_preset("race_one_lab_defects")
    assert isinstance(race.simulation()._rates, FloatRates)
    sim = Simulation(Params(full_automation_speedup=20.0))
    sim.step(3)
    r = sim._rates
    assert isinstance(r, FloatRates)
    # Python floats throughout: a numpy scalar would be slow and warn where floats give inf
    assert all(type(x) is float for x in vars(r.labs[0]).values())
    assert type(r.dv) is float


def test_race_preset_same_on_both_paths() -> None:
    race = load_preset("race_one_lab_defects")
    fast, slow = _pair(race.params, list(race.pauses), race.labs)
    a, b = fast.run(), slow.run()
    assert a.paused.any()  # the preset's development pause happens, and a lab defects
    np.testing.assert_array_equal(a.paused, b.paused)
    np.testing.assert_allclose(a.c, b.c, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(a.v, b.v, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(st.data())
def test_skipping_quiet_boundaries_changes_nothing(data: st.DataObject) -> None:
    p = data.draw(params())
    ps = data.draw(pauses(p))
    lab_set = data.draw(labs())
    cut_list = data.draw(cuts(p))
    quick = Simulation(p, lab_set, ps, cuts=cut_list).run()
    with mock.patch.object(PauseBook, "_quiet", return_value=False):
        full = Simulation(p, lab_set, ps, cuts=cut_list).run()
    np.testing.assert_array_equal(quick.paused, full.paused)
    np.testing.assert_array_equal(quick.c, full.c)
    np.testing.assert_array_equal(quick.v, full.v)


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_setting_finished_members_aside_changes_nothing(data: st.DataObject) -> None:
    """Ensembles step the members still inside a month alone once most have finished it."""
    p = data.draw(params())
    ps = data.draw(pauses(p))
    lab_set = data.draw(labs())
    cut_list = data.draw(cuts(p))
    n = 64
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    overrides = {
        "software_returns": rng.uniform(0.2, 5.0, n),  # explosions in some members only
        "full_automation_speedup": np.exp(rng.uniform(0.0, np.log(100.0), n)),
    }
    compact = Simulation(p, lab_set, ps, overrides=overrides, cuts=cut_list).run()
    with mock.patch("rsiviz.core.simulation.COMPACT_MIN", 10**9):
        plain = Simulation(p, lab_set, ps, overrides=overrides, cuts=cut_list).run()
    np.testing.assert_array_equal(compact.paused, plain.paused)
    for name in ("h", "s", "c", "v", "ds"):
        # members are independent and a finished member stands still: bit for bit the same
        np.testing.assert_array_equal(getattr(compact, name), getattr(plain, name), err_msg=name)


def test_compute_reaching_its_ceiling_at_a_month_boundary() -> None:
    """Regression (found by a long hypothesis run): compute growing 1 OOM/yr to a 1-OOM
    ceiling arrives at month 12; one path summed its steps to 1.0 and stopped, the other to
    0.999... and went on growing (dc differed by 1 OOM/yr at that month)."""
    p = Params(
        start_year=2020.0,
        years=1.0,
        compute_growth=1.0,
        compute_ceiling=1.0,
        software_pace=0.25,
        software_returns=1.0,
        parallel_returns=1.0,
        full_automation_speedup=4.0,
        software_ceiling=3.0,
        automation_now=0.5,
        automation_span=3.0,
    )
    fast, slow = _pair(p, [])
    a, b = fast.run(), slow.run()
    np.testing.assert_allclose(a.dc, b.dc, rtol=1e-9, atol=1e-9)
    assert a.h[-1, 0, 0] == pytest.approx(1.0) and a.dc[-1, 0, 0] == pytest.approx(a.ds[-1, 0, 0])


def test_race_with_cuts_same_on_both_paths() -> None:
    """Held values are per lab (automation, labour, returns) and field-wide (oversight)."""
    race = load_preset("race_one_lab_defects")
    cut_list = [LinkCut(name, 2028.0) for name in ("automation", "ai_labour", "returns")]
    cut_list.append(LinkCut("oversight_uplift", 2029.0))
    fast, slow = _pair(race.params, list(race.pauses), race.labs, cut_list)
    a, b = fast.run(), slow.run()
    np.testing.assert_array_equal(a.paused, b.paused)
    for name in ("c", "v", "a", "ds"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-9)
    # each lab holds its own automation
    held = a.a[30:, 0, :]
    assert (held == held[0]).all() and len(set(held[0])) == 3
