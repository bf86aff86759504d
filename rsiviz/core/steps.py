"""The integrator: how far one sub-step may go, and how the levels move in it.

Software is integrated with :func:`rsiviz.core.model.increment`, exact while log10 of its
rate is linear along the step, so the step size bounds how far that assumption is
stretched (MAX_LOG_RATE_CHANGE) and how far any level moves (MAX_MOVE). The rule is shared
by the array path (ensembles, sweeps, several labs) and the float path (a single run), and
so are :func:`move_lab` and :func:`move_oversight`, elementwise on arrays or on one lab's
floats.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rsiviz.core.model import (
    LN10,
    ArrayMath,
    Constants,
    _flat,
    ceilings,
    increment,
    least,
    most,
    oversight_rate,
)

# Largest move of any level (OOM) in one sub-step. MODEL.md asks for ~0.02 OOM *or* a
# method that stays accurate: software is integrated exactly along its log-linear rate,
# so accuracy is set by MAX_LOG_RATE_CHANGE (tests/core/test_reference.py checks it
# against a fine forward-Euler reference).
MAX_MOVE = 0.25
# Largest change of log10(software rate) within one step (the integrator's accuracy knob).
# Long hypothesis runs found months that accelerate by 1.6-2.9 OOM ending 0.05-0.06 OOM
# short of a fine reference at 0.1 (a development pause then froze that value); at 0.02 the
# worst of them is 0.014 OOM, for ~15% more time on a single run and ~1.7x on ensembles.
MAX_LOG_RATE_CHANGE = 0.02
# Near the software ceiling, a step covers at most this share of the remaining distance,
# unless that distance is below CEILING_ABS OOM.
CEILING_FRACTION = 0.3
CEILING_ABS = 0.002
# A month never takes more sub-steps than this, so the window can never hang; at the
# MAX_MOVE above the bound is reached only after 400 OOM of movement in one month.
MAX_SUBSTEPS = 20_000
MONTH = 1.0 / 12.0


def lab_limits(xp: Any, k: Constants, ctl: Any, r: Any, s: Any) -> tuple[Any, Any, Any, Any]:
    """Per-lab parts of the step rule, elementwise (arrays, or one lab's floats).

    Returns ``(ds, speed, drift, near_ceiling)``: the software rate capped by the distance
    to the ceiling, the fastest level's speed (OOM/yr), the growth of log10 of the software
    rate per year (through s and through time), and the step that moves s at most
    CEILING_FRACTION of its distance to the ceiling (inf where returns are not falling).
    """
    # Software cannot move further than its ceiling, however fast its rate: within
    # MAX_MOVE of the ceiling, the remaining distance bounds the move.
    room = ceilings(k)[1] - s
    ds = xp.where(room > MAX_MOVE, r.ds, xp.minimum(r.ds, room * 12.0))
    dc = ctl.follow * (r.dh + ds) + ctl.extra
    speed = xp.maximum(xp.maximum(r.dh, ds), dc)
    drift = xp.maximum(r.kappa, 0.0) * r.ds_own + xp.abs(r.tau)
    # Near the ceiling kappa ~ -k_b / (s_max - s) changes fast, so the log-linear step
    # (which holds kappa fixed) is accurate only over a fraction of that distance. Within
    # CEILING_ABS OOM of the ceiling no limit applies: nothing visible can change there.
    neg = xp.maximum(-r.kappa, 1e-12)
    near = xp.maximum(CEILING_FRACTION * room, CEILING_ABS)
    # inverse of the increment for kappa < 0 and tau = 0 (it may overflow to inf: no limit)
    dt = xp.expm1(xp.minimum(neg * near, 300.0) * LN10) / (neg * LN10 * r.ds_own + 1e-300)
    return ds, speed, drift, xp.where(r.kappa < 0, dt, math.inf)


def combine(xp: Any, k: Constants, ctl: Any, v: Any, ds_max: Any, speed: Any, drift: Any) -> Any:
    """The step from the largest per-lab terms and oversight's speed (``v``: its level).

    Oversight's speed is bounded by :func:`~rsiviz.core.model.oversight_rate` with M as
    the excess (the rate at M + 1).
    """
    m = ds_max / _flat(k.g_s)
    dv = xp.where(v < k.v_max, oversight_rate(k, m, ctl), 0.0)
    speed = xp.maximum(speed, dv)
    return xp.minimum(MAX_MOVE / (speed + 1e-12), MAX_LOG_RATE_CHANGE / (drift + 1e-12))


def step_limit(k: Constants, ctl: Any, r: Any, s: Any, v: Any) -> Any:
    """(N,) largest safe step of each member, array path."""
    with np.errstate(over="ignore"):
        ds, speed, drift, near = lab_limits(ArrayMath, k, ctl, r, s)
    # the sign of a zero among the labs' terms does not matter: each is added to or
    # compared with a positive number (near is > 0)
    limit = combine(ArrayMath, k, ctl, v, most(ds), most(speed), most(drift))
    return np.minimum(limit, least(near))


def move_lab(xp: Any, k: Constants, ctl: Any, r: Any, level: tuple[Any, Any, Any], dt: Any) -> Any:
    """One sub-step of a lab's ``(h, s, c)`` (arrays of every lab, or one lab's floats).

    Compute grows linearly to its ceiling; software along its log-linear rate (own research,
    exactly) plus diffusion, to its ceiling; capability follows potential where the lab
    trains, plus the extra pace of a gradual release. Returns ``(h, s, c, ds)``.
    """
    h, s, c = level
    h_cap, s_cap = ceilings(k)
    dh = xp.minimum(h + r.dh * dt, h_cap) - h
    grow = increment(xp, r.ds_own, r.kappa, r.tau, dt) + (r.ds - r.ds_own) * dt
    ds = xp.minimum(s + grow, s_cap) - s
    h, s = h + dh, s + ds
    c = xp.minimum(c + ctl.follow * (dh + ds) + ctl.extra * dt, h + s)
    return h, s, c, ds


def move_oversight(xp: Any, k: Constants, ctl: Any, v: Any, dt: Any, ds_front: Any) -> Any:
    """One sub-step of oversight, exact given the frontier lab's software move ``ds_front``.

    Its rate :func:`~rsiviz.core.model.oversight_rate`, g_V (1 + sigma (M - 1)) b, is linear
    in M = (ds/dt) / g_S0, so its integral over the step is g_V b (dt + sigma (ds / g_S0 -
    dt)); with the uplift link cut, the sigma (M - 1) term is the held constant instead.
    """
    g_v, sigma, g_s = _flat(k.g_v), _flat(k.sigma), _flat(k.g_s)
    uplift = sigma * (ds_front / g_s - dt) * ctl.uplift_free + ctl.uplift_held * dt
    return xp.minimum(v + g_v * ctl.boost * (dt + uplift), k.v_max)
