"""The sub-step of :class:`~rsiviz.core.lanes.Lanes` for one lab without link cuts, in
fewer numpy calls.

A sub-step of a few members costs numpy's fixed price per call, ~1 us, about 150 times:
the member-wise arithmetic hardly counts. Most fans and ensembles have one lab and no link
cut, and there many of those calls do nothing: ``x * 1.0`` and ``x + 0.0`` for the link
factors, diffusion from the lab to itself, products of constants that stay the same for a
whole quiet stretch. :class:`OneLab` folds the constants once per stretch, skips those
operations, skips branches of ``where`` that no member takes, and otherwise evaluates
:func:`~rsiviz.core.model.rates`, :func:`~rsiviz.core.steps.step_limit` and
:func:`~rsiviz.core.lanes.move` operation for operation, in the same order (a product or
sum with its operands swapped is the same float). The result is the same bits:
tests/core/test_onelab.py holds the two bit for bit. Skipping ``x + 0.0`` is exact unless
``x`` is -0.0; the comments say why it is not, or why the sign does not matter there.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

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
)
from rsiviz.core.steps import (
    CEILING_ABS,
    CEILING_FRACTION,
    MAX_LOG_RATE_CHANGE,
    MAX_MOVE,
)

State = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
# LabControls fields that are 1.0 or 0.0 (their defaults) while no link is cut
_LINKS = tuple(f for f in fields(LabControls) if isinstance(f.default, float))


def fits(k: Constants, ctl: LabControls, labs: int) -> bool:
    """Whether :class:`OneLab` applies: one lab, automation from capability, no link cut,
    and ``l0 >= +0`` (then ``l0 + h + s`` is never -0.0)."""
    return (
        labs == 1
        and k.a_fixed is None
        and all(type(v := getattr(ctl, f.name)) is float and v == f.default for f in _LINKS)
        and not np.signbit(k.l0).any()
    )


class OneLab:
    """Rates, step limits and moves of one stretch's members (``k``, ``ctl`` fixed)."""

    def __init__(self, k: Constants, ctl: LabControls) -> None:
        self.k, self.ctl = k, ctl
        self.half_inv_w = 0.5 * k.inv_w
        self.h_top = k.h_max - CEILING_TOL
        self.dh_free = k.g_c * ctl.compute
        self.s_cap = ceilings(k)[1]
        self.g_s, self.sigma = _flat(k.g_s), _flat(k.sigma)
        self.g_v_boost = _flat(k.g_v) * ctl.boost

    def rates(self, t: FloatArray, h: FloatArray, s: FloatArray, c: FloatArray) -> Rates:
        """:func:`~rsiviz.core.model.rates` at times ``t`` (N, 1)."""
        k, ctl = self.k, self.ctl
        a = c - k.c50  # logistic(): 0.5 + 0.5 tanh((0.5 inv_w) (c - c50))
        a *= self.half_inv_w
        np.tanh(a, out=a)
        a *= 0.5
        a += 0.5  # never -0.0, so the `+ a_held` (0.0) it skips changes nothing
        rest = 1.0 - a
        da = a * rest
        da *= k.inv_w
        rho_h = t - k.t0
        rho_h *= k.k_human
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
        np.minimum(exponent, EXP_MAX, out=exponent)
        exponent *= LN10
        ds = np.exp(exponent, out=exponent)
        ds *= k.g_s
        ds *= ctl.research  # `* (s < s_stop)` skipped: s_stop is inf and s finite
        dh = self.dh_free * (h < self.h_top)
        pull = spread * da
        kappa = pull * ctl.follow
        kappa += a
        kappa *= k.p
        kappa -= k.k_b / (k.s_max - s)
        return Rates(
            dh=dh,
            ds=ds,  # one lab: no diffusion
            dc=self._dc(dh, ds),
            dv=self._dv(ds[:, 0] / self.g_s - 1.0),
            a=a,
            lead=None,
            ds_own=ds,
            kappa=kappa,
            tau=self._tau(a, rest, dh, pull),
        )

    def _tau(self, a: FloatArray, rest: FloatArray, dh: FloatArray, pull: FloatArray) -> Any:
        """tau of :func:`~rsiviz.core.model.own_rates` (``rest``: 1 - a)."""
        ctl = self.ctl
        tau = rest * self.k.k_human
        tau += a * dh
        front = ctl.follow * dh
        front += ctl.extra
        front *= pull
        tau += front
        tau *= self.k.p
        return tau

    def _dc(self, dh: FloatArray, ds: FloatArray) -> Any:
        dc = dh + ds
        dc *= self.ctl.follow
        dc += self.ctl.extra
        return dc

    def _dv(self, excess: FloatArray) -> Any:
        """:func:`~rsiviz.core.model.oversight_rate` (g_V (1 + sigma excess) b): without
        the uplift link's ``* 1.0 + 0.0``, which 1.0 + x would absorb anyway."""
        dv = excess * self.sigma
        dv += 1.0
        dv *= _flat(self.k.g_v)
        dv *= self.ctl.boost
        return dv

    def limit(self, r: Rates, s: FloatArray, v: FloatArray) -> Any:
        """(N,) :func:`~rsiviz.core.steps.step_limit`."""
        room = self.s_cap - s
        far = room > MAX_MOVE
        if far.all():
            ds, dc = r.ds, r.dc
        else:
            ds = np.where(far, r.ds, np.minimum(r.ds, room * 12.0))
            dc = self._dc(r.dh, ds)
        speed = np.maximum(np.maximum(r.dh, ds), dc)[:, 0]
        drift = np.maximum(r.kappa, 0.0)
        drift *= r.ds_own
        drift += np.abs(r.tau)
        # combine(): oversight's speed at M = ds / g_S0, where oversight is below its top
        dv = self._dv(ds[:, 0] / self.g_s)
        below = v < self.k.v_max
        np.maximum(speed, dv if below.all() else np.where(below, dv, 0.0), out=speed)
        speed += 1e-12
        limit = np.divide(MAX_MOVE, speed, out=speed)
        drift += 1e-12
        np.minimum(limit, MAX_LOG_RATE_CHANGE / drift[:, 0], out=limit)
        falling = r.kappa < 0
        if falling.any():
            np.minimum(limit, self._near(r, room, falling)[:, 0], out=limit)
        return limit

    def _near(self, r: Rates, room: FloatArray, falling: np.ndarray) -> Any:
        """The step that moves s CEILING_FRACTION of its way to the ceiling (inf where
        returns are not falling: then the minimum with it changes nothing)."""
        neg = np.maximum(-r.kappa, 1e-12)
        near = np.maximum(CEILING_FRACTION * room, CEILING_ABS)
        with np.errstate(over="ignore"):  # as step_limit(): an overflow to inf is no limit
            near *= neg
            np.minimum(near, 300.0, out=near)
            near *= LN10
            dt = np.expm1(near, out=near)
            scale = neg * LN10
            scale *= r.ds_own
            scale += 1e-300
            dt /= scale
        return np.where(falling, dt, math.inf)

    def move(self, r: Rates, state: State, dt: FloatArray) -> State:
        """:func:`~rsiviz.core.lanes.move`: every member moved by its own step ``dt`` (N, 1)."""
        k, ctl = self.k, self.ctl
        h, s, c, v = state
        dh = r.dh * dt  # move_lab()
        dh += h
        np.minimum(dh, k.h_max, out=dh)
        dh -= h
        # `+ (ds - ds_own) dt` skipped: +0.0 with one lab, added to an increment >= +0.0
        ds = s + self._increment(r, dt)
        np.minimum(ds, self.s_cap, out=ds)
        ds -= s
        h, s = h + dh, s + ds
        lift = dh + ds
        lift *= ctl.follow
        lift += c
        lift += ctl.extra * dt
        c = np.minimum(lift, h + s)
        # move_oversight() without the uplift link's `* 1.0 + 0.0 * dt`: its sum with dt
        # is the same either way
        uplift = ds[:, 0] / self.g_s
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
        beta = r.tau * LN10
        z = beta * dt
        small = np.abs(z) < 1e-6
        if small.all():
            e = 0.5 * z
            e += 1.0
            e *= dt
        elif not small.any():
            e = np.expm1(z)
            e /= beta
        else:
            e = np.where(small, dt * (1.0 + 0.5 * z), np.expm1(z) / np.where(small, 1.0, beta))
        w = r.kappa * LN10
        w *= rate
        w *= e
        tiny = np.abs(w) < 1e-6
        if tiny.all():
            g = 0.5 * w
            g += 1.0
        else:
            g = np.minimum(w, 0.999)
            np.negative(g, out=g)
            np.log1p(g, out=g)
            np.negative(g, out=g)
            if tiny.any():
                g /= np.where(tiny, 1.0, w)
                g = np.where(tiny, 1.0 + 0.5 * w, g)
            else:
                g /= w
        out = rate * e
        out *= g
        return out
