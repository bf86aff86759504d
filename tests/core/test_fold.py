"""The folded sub-step (:mod:`rsiviz.core.fold`) gives the general path's results, bit for
bit (signs of zero included), with one lab or a race, and applies only where it may."""

from __future__ import annotations

from dataclasses import fields
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.fold import Fold, fits
from rsiviz.core.interventions import DEFAULT_LABS, Lab, LinkCut
from rsiviz.core.lanes import Lanes, move
from rsiviz.core.model import Rates, rates
from rsiviz.core.steps import MONTH, step_limit

from .budget import examples
from .test_cuts import cuts
from .test_fast_path import labs, pauses
from .test_properties import params

FIELDS = ("h", "s", "c", "v", "a", "ds", "dc")


def _overrides(seed: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "software_returns": rng.uniform(0.2, 5.0, n),  # explosions in some members only
        "full_automation_speedup": np.exp(rng.uniform(0.0, np.log(100.0), n)),
        "automation_span": rng.uniform(1.0, 8.0, n),
        "software_ceiling": rng.uniform(2.0, 12.0, n),  # some reach it within the run
    }


def _same_bits(a: np.ndarray, b: np.ndarray, name: str) -> None:
    """Equal to the last bit: -0.0 differs from 0.0 here, unlike assert_array_equal."""
    assert a.shape == b.shape, name
    np.testing.assert_array_equal(a.view(np.int64), b.view(np.int64), err_msg=name)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_folded_runs_equal_the_general_path_bit_for_bit(data: st.DataObject) -> None:
    p = data.draw(params())
    ps, cut_list, lab_set = data.draw(pauses(p)), data.draw(cuts(p)), data.draw(labs())
    ov = _overrides(data.draw(st.integers(0, 2**32 - 1)), data.draw(st.integers(2, 24)))
    fast = Simulation(p, pauses=ps, overrides=ov, cuts=cut_list, labs=lab_set).run()
    with mock.patch("rsiviz.core.lanes.fits", return_value=False):
        plain = Simulation(p, pauses=ps, overrides=ov, cuts=cut_list, labs=lab_set).run()
    for name in FIELDS:
        _same_bits(getattr(fast, name), getattr(plain, name), name)
    np.testing.assert_array_equal(fast.paused, plain.paused)


def _sim(seed: int, n: int = 200, **kwargs: object) -> Simulation:
    return Simulation(Params(years=4.0), overrides=_overrides(seed, n), **kwargs)  # type: ignore[arg-type]


def _state(sim: Simulation, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Random levels: from far below the software ceiling to just under it, and zeros;
    with several labs, ties for the lead among them."""
    shape = (n := sim.n_members, sim.n_labs)
    s_max = np.asarray(sim.k.s_max)
    s = rng.choice([0.0, -0.0, 1.0], shape) * rng.uniform(-1.0, 1.0, shape)
    near = rng.random(shape) < 0.4
    s = np.where(near, s_max * (1.0 - rng.choice([1e-3, 1e-6, 1e-9], shape)), s)
    h = rng.uniform(-1.0, 6.0, shape)
    c = np.minimum(h + s, rng.uniform(-1.0, 8.0, shape))
    if shape[1] > 1:
        tied = rng.random(n) < 0.2
        c[tied] = c[tied, :1]
    v = rng.uniform(-2.0, 20.0, n)
    return h, s, c, v


RACE = (Lab("A", 0.0, 0.0), Lab("B", -0.5, -0.3), Lab("C", -1.0, 0.0, complies=False))


@pytest.mark.parametrize("lab_set", [DEFAULT_LABS, RACE[:2], RACE], ids=["one", "two", "three"])
def test_fold_equals_the_general_functions_on_random_states(lab_set: tuple[Lab, ...]) -> None:
    rng = np.random.default_rng(5)
    for seed, pause in ((1, None), (2, DevelopmentPause.at(2026.0, months=12, release="gradual"))):
        sim = _sim(seed, pauses=[pause] if pause else [], labs=lab_set)
        sim.step(1)
        assert fits(sim.k, sim._ctl)
        one = Fold(sim.k, sim._ctl)
        assert one.labs == len(lab_set) and one.free == (pause is None)
        for _ in range(20):
            h, s, c, v = _state(sim, rng)
            t = sim.time + rng.choice([0.0, MONTH / 2], (sim.n_members, 1))
            mine, theirs = one.rates(t, h, s, c), rates(sim.k, t, h, s, c, sim._ctl)
            for name in ("dh", "ds", "dc", "dv", "a", "ds_own", "kappa", "tau"):
                _same_bits(getattr(mine, name), getattr(theirs, name), name)
            if theirs.lead is None:
                assert mine.lead is None
            else:
                np.testing.assert_array_equal(mine.lead, theirs.lead)
            limit = step_limit(sim.k, sim._ctl, theirs, s, v)
            _same_bits(one.limit(mine, s, v), limit, "limit")
            dt = rng.choice([0.0, 1e-9, 1e-4, MONTH], (sim.n_members, 1))
            dt = np.minimum(dt, limit[:, None])
            moved = move(sim.k, sim._ctl, theirs, (h, s, c, v), dt)
            for name, a, b in zip("hscv", one.move(mine, (h, s, c, v), dt), moved, strict=True):
                _same_bits(a, b, name)


def test_a_fold_with_new_controls_equals_a_new_fold() -> None:
    """Rolling lanes refold only the controls after a pause's boundary
    (:meth:`Fold.with_controls`): the same fold as a new one, held and free alike."""
    free = _sim(3)
    held = _sim(3, pauses=[DevelopmentPause.at(2026.0, months=12, release="gradual")])
    held.step(1)
    for before, after in ((free._ctl, held._ctl), (held._ctl, free._ctl)):
        mine, theirs = Fold(free.k, before).with_controls(free.k, after), Fold(free.k, after)
        assert mine.free == theirs.free and mine.free == (after is free._ctl)
        for name, value in vars(theirs).items():
            parts = (
                [(f.name, getattr(value, f.name)) for f in fields(value)]
                if name
                in (
                    "k",
                    "ctl",
                )
                else [(name, value)]
            )
            for part, x in parts:
                y = (
                    getattr(getattr(mine, name), part)
                    if name in ("k", "ctl")
                    else getattr(mine, name)
                )
                if isinstance(x, np.ndarray) and x.dtype == np.float64:
                    _same_bits(np.asarray(y), x, f"{name}.{part}")
                else:
                    assert y is x or y == x, f"{name}.{part}"


def _increment_cases(rng: np.random.Generator, n: int) -> tuple[Rates, np.ndarray]:
    """Rates whose increments mix every branch: |tau dt| and |w| above and below 1e-6."""
    scale = rng.choice([0.0, 1e-9, 1e-3, 1.0, 30.0], (n, 1))
    zeros = np.zeros((n, 1))
    r = Rates(
        dh=zeros,
        ds=rng.uniform(0.0, 5.0, (n, 1)) * scale,
        dc=zeros,
        dv=zeros[:, 0],
        a=zeros,
        lead=None,
        ds_own=zeros,
        kappa=rng.uniform(-50.0, 3.0, (n, 1)) * rng.choice([0.0, 1e-8, 1.0], (n, 1)),
        tau=rng.uniform(-5.0, 5.0, (n, 1)) * rng.choice([0.0, 1e-8, 1.0], (n, 1)),
    )
    r.ds_own = r.ds
    return r, rng.uniform(0.0, 0.01, (n, 1)) * rng.choice([0.0, 1e-6, 1.0], (n, 1))


def test_folded_increment_equals_the_general_one_in_every_branch() -> None:
    from rsiviz.core.model import ArrayMath, increment

    rng = np.random.default_rng(11)
    for n in (1, 3, 50, 50, 50):  # few members: often one branch for all of them
        r, dt = _increment_cases(rng, n)
        plain = increment(ArrayMath, r.ds_own, r.kappa, r.tau, dt)
        _same_bits(Fold._increment(r, dt), plain, f"increment n={n}")
        same = np.full((n, 1), dt[0, 0])
        plain = increment(ArrayMath, r.ds_own, r.kappa, r.tau, same)
        _same_bits(Fold._increment(r, same), plain, f"increment n={n}, one dt")


def test_the_fold_applies_only_without_cuts_or_fixed_automation() -> None:
    assert _lanes(_sim(3)).fold is not None
    assert _lanes(_sim(3, labs=RACE)).fold is not None
    assert _lanes(_sim(3, cuts=[LinkCut("returns")])).fold is None
    assert _lanes(_sim(3, cuts=[LinkCut("oversight_uplift")])).fold is None
    assert _lanes(_sim(3, labs=RACE, cuts=[LinkCut("returns")])).fold is None
    assert _lanes(_sim(3, a_fixed=0.5)).fold is None


def _lanes(sim: Simulation) -> Lanes:
    return Lanes(sim, sim.month + 2)


def test_history_rows_kept_in_small_batches_are_the_same() -> None:
    """Lanes keep history rows and write them in batches (at most KEPT_ROWS at a time)."""
    p = Params(years=4.0)
    ps = [DevelopmentPause.at(2027.0, months=6, release="gradual")]
    whole = Simulation(p, pauses=ps, overrides=_overrides(4, 24)).run()
    with mock.patch("rsiviz.core.lanes.KEPT_ROWS", 5):
        batched = Simulation(p, pauses=ps, overrides=_overrides(4, 24)).run()
    for name in FIELDS:
        _same_bits(getattr(batched, name), getattr(whole, name), name)
    np.testing.assert_array_equal(batched.paused, whole.paused)


@pytest.mark.parametrize("labs", [1, 2, 3, 5])
def test_row_extremes_equal_numpys_reductions(labs: int) -> None:
    """``most``, ``least`` and ``any_lab`` give the values of ``max``, ``min`` and ``any``
    along axis 1, NaN and infinities included (a zero's sign may differ: documented)."""
    from rsiviz.core.model import any_lab, least, most

    rng = np.random.default_rng(labs)
    for _ in range(50):
        x = rng.choice([0.0, -0.0, 1.0, -1.0, 2.5, np.nan, np.inf, -np.inf], (40, labs))
        for mine, theirs in ((most(x), x.max(axis=1)), (least(x), x.min(axis=1))):
            np.testing.assert_array_equal(mine, theirs)  # NaN equals NaN here; 0.0 == -0.0
            assert mine.flags.c_contiguous and not np.shares_memory(mine, x)
        np.testing.assert_array_equal(any_lab(x > 0), (x > 0).any(axis=1))
