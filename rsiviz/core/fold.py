"""The sub-step of :class:`~rsiviz.core.lanes.Lanes` without link cuts, in fewer numpy
calls.

A sub-step of a few members costs numpy's fixed price per call, ~1 us, some 200 times on
the general path: the member-wise arithmetic hardly counts. Most fans and ensembles have no
link cut, and there many of those calls do nothing: ``x * 1.0`` and ``x + 0.0`` for the
link factors, diffusion from a lone lab to itself, products of constants that stay the same
for a whole quiet stretch. :class:`Fold` folds the constants once per stretch, skips those
operations, skips branches of ``where`` that no member takes, and otherwise evaluates
:func:`~rsiviz.core.model.rates`, :func:`~rsiviz.core.steps.step_limit` and
:func:`~rsiviz.core.lanes.move` operation for operation, in the same order (a product or
sum with its operands swapped is the same float). With several labs (a race) it adds what
one lab does not have, each member's frontier lab and the diffusion from it, as
:func:`~rsiviz.core.model.rates` does. The result is the same bits: tests/core/test_fold.py
holds the two bit for bit. Skipping ``x + 0.0`` is exact unless ``x`` is -0.0; the
comments say why it is not, or why the sign does not matter there.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, TypeVar

import numpy as np

from rsiviz.core.model import (
    CEILING_TOL,
    EXP_MAX,
    LN10,
    Constants,
    FloatArray,
    LabControls,
    Rates,
    _flat,
    ceilings,
    least,
    most,
    pick,
)
from rsiviz.core.steps import (
    CEILING_ABS,
    CEILING_FRACTION,
    MAX_LOG_RATE_CHANGE,
    MAX_MOVE,
)

State = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
T = TypeVar("T", Constants, LabControls)


# numpy takes a 0-d array as an operand ~0.6 us faster than a Python float, with the same
# result (a float64 operation either way): the constants of the equations as 0-d arrays
def _constants(*values: float) -> tuple[FloatArray, ...]:
    out = tuple(np.array(x) for x in values)
    for x in out:
        x.flags.writeable = False  # shared by every Fold
    return out


ZERO, HALF, ONE, TWELVE, LN10_, EXP_MAX_ = _constants(0.0, 0.5, 1.0, 12.0, LN10, EXP_MAX)
MOVE, LOG_RATE, TINY, SMALL, W_MAX = _constants(MAX_MOVE, MAX_LOG_RATE_CHANGE, 1e-12, 1e-6, 0.999)
FRACTION, ABS, MAX_POWER, NO_ZERO, INF = _constants(
    CEILING_FRACTION, CEILING_ABS, 300.0, 1e-300, math.inf
)
# LabControls fields that are 1.0 or 0.0 (their defaults) while no link is cut
_LINKS = tuple(f for f in fields(LabControls) if isinstance(f.default, float))


def fits(k: Constants, ctl: LabControls) -> bool:
    """Whether :class:`Fold` applies: automation from capability, no link cut, and
    ``l0 >= +0`` (then ``l0 + h + s`` is never -0.0)."""
    return (
        k.a_fixed is None
        and all(type(v := getattr(ctl, f.name)) is float and v == f.default for f in _LINKS)
        and not np.signbit(k.l0).any()
    )


class Fold:
    """Rates, step limits and moves of one stretch's members (``k``, ``ctl`` fixed)."""

    def __init__(self, k: Constants, ctl: LabControls) -> None:
        self.labs = labs = np.shape(ctl.research)[-1]
        # with several labs, the members' (N, 1) constants spread to (N, L): numpy's loop
        # over an (N, L) operand with an (N, 1) one runs row by row (~6 us for 1,000 x 3
        # against ~2 us for two (N, L)); the values are the same
        self.k = _spread(_arrays(k), labs)
        self.half_inv_w = _spread_one(np.asarray(0.5 * k.inv_w), labs)
        self.h_top = np.asarray(k.h_max - CEILING_TOL)
        self.s_cap = _spread_one(np.asarray(ceilings(k)[1]), labs)
        self.g_s, self.sigma = np.asarray(_flat(k.g_s)), np.asarray(_flat(k.sigma))
        self.g_v = np.asarray(_flat(k.g_v))
        self._controls(k, ctl)

    def with_controls(self, k: Constants, ctl: LabControls) -> Fold:
        """This fold with new controls ``ctl`` (the same members and constants ``k``, as
        given to the constructor): what ``Fold(k, ctl)`` gives, for less."""
        out = copy.copy(self)
        out._controls(k, ctl)
        return out

    def _controls(self, k: Constants, ctl: LabControls) -> None:
        """The parts of the fold that depend on the controls."""
        self.ctl = _arrays(ctl)
        self.dh_free = np.asarray(k.g_c * ctl.compute)
        self.g_v_boost = np.asarray(_flat(k.g_v) * ctl.boost)
        # No lab paused or releasing: the factors 1.0 (research, follow, boost) and terms
        # 0.0 (extra) change nothing, as dh, to which 0.0 is added, is never -0.0; nor is
        # ds (with g_S0 >= +0.0).
        ones = (np.asarray(x) == 1.0 for x in (ctl.research, ctl.follow, ctl.boost))
        self.free = (
            all(x.all() for x in ones)
            and not np.asarray(ctl.extra).any()
            and not np.signbit(self.dh_free).any()
            and not np.signbit(k.g_s).any()
        )

    def rates(self, t: FloatArray, h: FloatArray, s: FloatArray, c: FloatArray) -> Rates:
        """:func:`~rsiviz.core.model.rates` at times ``t`` (N, 1)."""
        k, ctl = self.k, self.ctl
        a = c - k.c50  # logistic(): 0.5 + 0.5 tanh((0.5 inv_w) (c - c50))
        a *= self.half_inv_w
        np.tanh(a, out=a)
        a *= HALF
        a += HALF  # never -0.0, so the `+ a_held` (0.0) it skips changes nothing
        rest = ONE - a
        da = a * rest
        da *= k.inv_w
        rho_h = np.multiply(t - k.t0, k.k_human)  # (N, 1) t, (N, L) k_human with labs
        spread = k.l0 + h
        spread += s  # `+ labour_held` (0.0) skipped: l0 + h + s is never -0.0 (fits())
        spread -= rho_h
        exponent = a * spread
        exponent += rho_h
        exponent *= k.p
        # the returns term without `+ returns_const - returns_slope * s` (0.0, 0.0 * s):
        # this can flip only the sign of a zero exponent, and exp(+-0) is 1 either way
        returns = -s
        returns /= k.s_max
        np.log1p(returns, out=returns)
        returns *= k.k_b
        exponent += returns
        np.minimum(exponent, EXP_MAX_, out=exponent)
        exponent *= LN10_
        ds = np.exp(exponent, out=exponent)
        ds *= k.g_s
        if not self.free:
            ds *= ctl.research
        # `* (s < s_stop)` skipped: s_stop is inf and s finite
        dh = self.dh_free * (h < self.h_top)
        pull = spread * da
        if self.free:
            kappa = pull + a
        else:
            kappa = pull * ctl.follow
            kappa += a
        kappa *= k.p
        kappa -= k.k_b / (k.s_max - s)
        own, lead = ds, None
        if self.labs == 1:  # no diffusion
            m = ds[:, 0] / self.g_s
        else:  # diffusion from each member's frontier lab
            lead = np.argmax(c, axis=-1)
            behind = pick(s, lead)[:, None] - s
            np.maximum(behind, ZERO, out=behind)
            behind *= k.diffusion
            ds = own + behind
            m = pick(ds, lead) / self.g_s
        m -= ONE
        return Rates(
            dh=dh,
            ds=ds,
            dc=self._dc(dh, ds),
            dv=self._dv(m),
            a=a,
            lead=lead,
            ds_own=own,
            kappa=kappa,
            tau=self._tau(a, rest, dh, pull),
        )

    def _tau(self, a: FloatArray, rest: FloatArray, dh: FloatArray, pull: FloatArray) -> Any:
        """tau of :func:`~rsiviz.core.model.own_rates` (``rest``: 1 - a)."""
        ctl = self.ctl
        tau = rest * self.k.k_human
        tau += a * dh
        if self.free:
            front = pull * dh
        else:
            front = ctl.follow * dh
            front += ctl.extra
            front *= pull
        tau += front
        tau *= self.k.p
        return tau

    def _dc(self, dh: FloatArray, ds: FloatArray) -> Any:
        dc = dh + ds
        if not self.free:
            dc *= self.ctl.follow
            dc += self.ctl.extra
        return dc

    def _dv(self, excess: FloatArray) -> Any:
        """:func:`~rsiviz.core.model.oversight_rate` (g_V (1 + sigma excess) b): without
        the uplift link's ``* 1.0 + 0.0``, which 1.0 + x would absorb anyway."""
        dv = excess * self.sigma
        dv += ONE
        dv *= self.g_v
        if not self.free:
            dv *= self.ctl.boost
        return dv

    def limit(self, r: Rates, s: FloatArray, v: FloatArray) -> Any:
        """(N,) :func:`~rsiviz.core.steps.step_limit`."""
        room = self.s_cap - s
        far = room > MOVE
        if far.all():
            ds, dc = r.ds, r.dc
        else:
            ds = np.where(far, r.ds, np.minimum(r.ds, room * TWELVE))
            dc = self._dc(r.dh, ds)
        if self.free and ds is r.ds:
            top = dc  # dh, ds >= +0.0 and dc = dh + ds: the largest of the three
        else:
            top = np.maximum(np.maximum(r.dh, ds), dc)
        drift = np.maximum(r.kappa, ZERO)
        drift *= r.ds_own
        drift += np.abs(r.tau)
        # combine(): the largest of the labs' terms, and oversight's speed at M = ds /
        # g_S0, where oversight is below its top
        ds, top, drift = (self._across(x, most) for x in (ds, top, drift))
        dv = self._dv(ds / self.g_s)
        below = v < self.k.v_max
        speed = np.maximum(top, dv if below.all() else np.where(below, dv, ZERO))
        speed += TINY
        limit = np.divide(MOVE, speed, out=speed)
        drift += TINY
        np.minimum(limit, LOG_RATE / drift, out=limit)
        falling = r.kappa < ZERO
        if falling.any():
            np.minimum(limit, self._across(self._near(r, room, falling), least), out=limit)
        return limit

    def _across(self, x: FloatArray, over_labs: Callable[[FloatArray], FloatArray]) -> Any:
        """(N, L) -> (N,): ``over_labs`` (:func:`most` or :func:`least`) of each member's
        labs; with one lab, its only column (a view)."""
        return x[:, 0] if self.labs == 1 else over_labs(x)

    def _near(self, r: Rates, room: FloatArray, falling: np.ndarray) -> Any:
        """The step that moves s CEILING_FRACTION of its way to the ceiling (inf where
        returns are not falling: then the minimum with it changes nothing)."""
        neg = np.maximum(-r.kappa, TINY)
        near = np.maximum(room * FRACTION, ABS)
        with np.errstate(over="ignore"):  # as step_limit(): an overflow to inf is no limit
            near *= neg
            np.minimum(near, MAX_POWER, out=near)
            near *= LN10_
            dt = np.expm1(near, out=near)
            scale = neg * LN10_
            scale *= r.ds_own
            scale += NO_ZERO
            dt /= scale
        return np.where(falling, dt, INF)

    def move(self, r: Rates, state: State, dt: FloatArray) -> State:
        """:func:`~rsiviz.core.lanes.move`: every member moved by its own step ``dt`` (N, 1)."""
        k, ctl = self.k, self.ctl
        h, s, c, v = state
        dh = r.dh * dt  # move_lab()
        dh += h
        np.minimum(dh, k.h_max, out=dh)
        dh -= h
        grow = self._increment(r, dt)
        if self.labs > 1:  # diffusion; with one lab `+ (ds - ds_own) dt` is +0.0, added
            spread = r.ds - r.ds_own  # to an increment >= +0.0
            spread *= dt
            grow += spread
        ds = s + grow
        np.minimum(ds, self.s_cap, out=ds)
        ds -= s
        h, s = h + dh, s + ds
        lift = dh + ds
        if self.free:
            lift += c
        else:
            lift *= ctl.follow
            lift += c
            lift += ctl.extra * dt
        c = np.minimum(lift, h + s)
        # move_oversight() without the uplift link's `* 1.0 + 0.0 * dt`: its sum with dt
        # is the same either way
        front = ds[:, 0] if r.lead is None else pick(ds, r.lead)
        uplift = front / self.g_s
        uplift -= dt[:, 0]
        uplift *= self.sigma
        uplift += dt[:, 0]
        uplift *= self.g_v_boost
        uplift += v
        return h, s, c, np.minimum(uplift, k.v_max)

    @staticmethod
    def _increment(r: Rates, dt: FloatArray) -> Any:
        """:func:`~rsiviz.core.model.increment` of ``r.ds_own``; a ``where`` with one
        answer for every member computes only that one."""
        rate = r.ds_own
        beta = r.tau * LN10_
        z = beta * dt
        small = np.abs(z) < SMALL
        if small.all():
            e = z * HALF
            e += ONE
            e *= dt
        elif not small.any():
            e = np.expm1(z)
            e /= beta
        else:
            e = np.where(small, dt * (ONE + z * HALF), np.expm1(z) / np.where(small, ONE, beta))
        w = r.kappa * LN10_
        w *= rate
        w *= e
        tiny = np.abs(w) < SMALL
        if tiny.all():
            g = w * HALF
            g += ONE
        else:
            g = np.minimum(w, W_MAX)
            np.negative(g, out=g)
            np.log1p(g, out=g)
            np.negative(g, out=g)
            if tiny.any():
                g /= np.where(tiny, ONE, w)
                g = np.where(tiny, ONE + w * HALF, g)
            else:
                g /= w
        out = rate * e
        out *= g
        return out


def _spread_one(x: FloatArray, labs: int) -> FloatArray:
    """``x`` (N, 1) as a contiguous (N, labs); others as they are."""
    if labs == 1 or x.ndim != 2 or x.shape[1] != 1:
        return x
    return np.ascontiguousarray(np.broadcast_to(x, (x.shape[0], labs)))


def _spread(k: Constants, labs: int) -> Constants:
    """``k`` with its (N, 1) fields as contiguous (N, labs) (see :meth:`Fold.__init__`)."""
    if labs == 1:
        return k
    wide: dict[str, Any] = {
        f.name: _spread_one(v, labs)
        for f in fields(k)
        if isinstance(v := getattr(k, f.name), np.ndarray) and v.ndim == 2
    }
    return replace(k, **wide)


def _arrays(obj: T) -> T:
    """``obj`` with its float fields as 0-d arrays (see ZERO)."""
    # typed Any: t0 is a float field, and here a 0-d array like the rest
    floats: dict[str, Any] = {
        f.name: np.asarray(v) for f in fields(obj) if type(v := getattr(obj, f.name)) is float
    }
    return replace(obj, **floats)
