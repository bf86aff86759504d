"""The equations of MODEL.md, vectorised over ensemble members and labs.

Shapes: ``N`` ensemble members, ``L`` labs. Lab levels ``h, s, c`` are ``(N, L)``; the
field-wide oversight level ``v`` is ``(N,)``. Every constant is either a Python float
(the same for all members) or an ``(N, 1)`` array (varied across an ensemble or sweep).
Levels are log10 ("OOM") relative to the leading lab at the start year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from rsiviz.core.params import PARAM_NAMES, Params

FloatArray = NDArray[np.float64]
Value = float | FloatArray

LN10 = math.log(10.0)
LOG10_2 = math.log10(2.0)
# logit(0.95) - logit(0.2): automation_span is the effective compute for 20% -> 95%.
_LOGIT_SPAN = math.log(0.95 / 0.05) - math.log(0.2 / 0.8)
# 10**EXP_MAX OOM/yr is far beyond anything meaningful; the cap only keeps floats finite.
EXP_MAX = 40.0
# How close (as a fraction of s_max) software may come to its ceiling, where returns reach 0.
CEILING_EPS = 1e-9
# Compute within this many OOM of its ceiling has reached it.
CEILING_TOL = 1e-9

# Lab modes, set at month boundaries by the development-pause logic.
FREE, FROZEN, GRADUAL, LAG = 0, 1, 2, 3


class ArrayMath:
    """The numpy functions the equations and the integrator use, for ``(N, L)`` arrays."""

    exp = staticmethod(np.exp)
    log1p = staticmethod(np.log1p)
    expm1 = staticmethod(np.expm1)
    tanh = staticmethod(np.tanh)
    minimum = staticmethod(np.minimum)
    maximum = staticmethod(np.maximum)
    where = staticmethod(np.where)
    abs = staticmethod(np.abs)


@dataclass
class Constants:
    """Parameters turned into the numbers the equations use (floats or (N, 1) arrays)."""

    t0: float
    g_c: Value
    h_max: Value
    g_s: Value
    p: Value
    s_max: Value
    k_human: Value  # slope of rho_H, g_S0 / r
    k_b: Value  # p * s_max / r, so that B(x) = -k_b ln(1 - x / s_max)
    l0: Value  # log10(f) / p
    c50: Value
    inv_w: Value
    g_v: Value
    sigma: Value
    boost: Value
    pi_s: Value
    pi_h: Value
    release_rate: Value
    e_h: Value
    diffusion: Value
    theta: Value
    v_max: Value
    a_fixed: float | None = None

    def automation(self, c: Value) -> Any:
        """Share ``a`` of AI R&D done by AI at capability ``c`` (logistic in c)."""
        if self.a_fixed is not None:
            return np.full_like(np.asarray(c, dtype=float), self.a_fixed)
        return logistic(ArrayMath, self, c)


def build_constants(
    params: Params,
    overrides: dict[str, FloatArray] | None = None,
    *,
    a_fixed: float | None = None,
) -> Constants:
    """Constants from ``params``; each override is an ``(N,)`` array of values for members."""
    vals: dict[str, Any] = params.to_dict()
    for name, arr in (overrides or {}).items():
        if name not in PARAM_NAMES:
            raise KeyError(name)
        vals[name] = np.asarray(arr, dtype=float).reshape(-1, 1)
    r, p, s_max = vals["software_returns"], vals["parallel_returns"], vals["software_ceiling"]
    a0 = vals["automation_now"]
    inv_w = _LOGIT_SPAN / vals["automation_span"]
    return Constants(
        t0=float(params.start_year),
        g_c=vals["compute_growth"],
        h_max=vals["compute_ceiling"],
        g_s=vals["software_pace"],
        p=p,
        s_max=s_max,
        k_human=vals["software_pace"] / r,
        k_b=p * s_max / r,
        l0=np.log10(vals["full_automation_speedup"]) / p,
        c50=np.log(1.0 / a0 - 1.0) / inv_w,  # a(c=0) = a0
        inv_w=inv_w,
        g_v=vals["oversight_pace"],
        sigma=vals["oversight_share"],
        boost=vals["pause_oversight_boost"],
        pi_s=vals["pause_research_fraction"],
        pi_h=vals["pause_compute_fraction"],
        release_rate=vals["release_rate"],
        e_h=vals["metr_exponent"],
        diffusion=vals["diffusion_rate"],
        theta=vals["defection_threshold"],
        # Lab offsets are <= 0, so no lab can exceed h_max + s_max: oversight stops 2 above.
        v_max=_flat(vals["compute_ceiling"] + s_max + 2.0),
        a_fixed=a_fixed,
    )


@dataclass
class LabControls:
    """Per-lab factors set by the development-pause logic at month boundaries, (N, L)."""

    research: FloatArray  # 1, or pi_S for a paused lab
    compute: FloatArray  # 1, or pi_H for a paused lab
    follow: FloatArray  # 1 if c moves with potential, 0 if frozen
    extra: FloatArray  # extra OOM/yr of capability (gradual release)
    boost: FloatArray  # (N,) oversight boost: b_pause while any lab is paused, else 1
    # Link cuts (rsiviz.core.cuts): each ``*_free`` is 1 while its link works and 0 once
    # cut; the held values are 0 until then, so a run without cuts computes exactly the
    # same numbers as the equations without these terms (x * 1.0 + 0.0 == x).
    a_free: Value = 1.0
    a_held: Value = 0.0  # automation held
    labour_free: Value = 1.0
    labour_held: Value = 0.0  # h + s of AI research labour held
    returns_free: Value = 1.0
    returns_const: Value = 0.0  # with returns held, -B(s) = returns_const - returns_slope * s
    returns_slope: Value = 0.0
    s_stop: Value = math.inf  # software stops here (returns held no longer fall to zero)
    uplift_free: Value = 1.0  # (N,) oversight's sigma (M - 1) term
    uplift_held: Value = 0.0


@dataclass
class Rates:
    """Time derivatives (OOM/yr) and the quantities computed on the way.

    ``kappa`` and ``tau`` are the sensitivities of log10(ds/dt) to ``s`` (along the path on
    which a lab's capability follows its software) and to time at fixed ``s``: the
    integrator uses them to follow the software explosion, and the stiff approach to the
    software ceiling, exactly when log10(ds/dt) is locally linear.
    """

    dh: FloatArray  # (N, L)
    ds: FloatArray  # (N, L) total, including diffusion
    dc: FloatArray  # (N, L)
    dv: FloatArray  # (N,)
    a: FloatArray  # (N, L) automation
    lead: NDArray[np.intp] | None  # (N,) index of the frontier lab, None with one lab
    ds_own: FloatArray  # (N, L) the lab's own research, without diffusion
    kappa: FloatArray  # (N, L) d log10(ds_own/dt) / ds
    tau: FloatArray  # (N, L) d log10(ds_own/dt) / dt at fixed s


def logistic(xp: Any, k: Constants, c: Any) -> Any:
    """Equation 2: the share of AI R&D done by AI, logistic in capability ``c``."""
    return 0.5 + 0.5 * xp.tanh((0.5 * k.inv_w) * (c - k.c50))


def own_rates(xp: Any, k: Constants, t: Any, h: Any, s: Any, c: Any, ctl: Any) -> tuple[Any, ...]:
    """Equations 1-4 of MODEL.md for each lab, on arrays (``xp=ArrayMath``) or floats.

    Returns ``(a, dh, ds_own, kappa, tau)``: automation, compute growth, the lab's own
    software progress (OOM/yr), and the sensitivities of log10(ds_own) to ``s`` and to time.
    """
    if k.a_fixed is None:
        a = logistic(xp, k, c) * ctl.a_free + ctl.a_held
        da = a * (1.0 - a) * k.inv_w * ctl.a_free  # d a / d c of the logistic
    else:
        a, da = k.a_fixed, 0.0
    rho_h = k.k_human * (t - k.t0)
    free = ctl.labour_free
    spread = k.l0 + h * free + s * free + ctl.labour_held - rho_h  # rho_AI - rho_H
    exponent = k.p * (rho_h + a * spread) + (
        k.k_b * xp.log1p(-s / k.s_max) * ctl.returns_free
        + ctl.returns_const
        - ctl.returns_slope * s
    )
    ds_own = (k.g_s * xp.exp(LN10 * xp.minimum(exponent, EXP_MAX))) * ctl.research
    ds_own = ds_own * (s < ctl.s_stop)
    # within CEILING_TOL of its ceiling compute has arrived: the floats and the array path
    # may round the sum of a year's steps either side of the ceiling itself
    dh = (k.g_c * ctl.compute) * (h < k.h_max - CEILING_TOL)
    # how automation moves with c, times how c moves: with s (follow) and with time.
    pull = spread * da
    kappa = (
        k.p * (a * free + pull * ctl.follow)
        - k.k_b / (k.s_max - s) * ctl.returns_free
        - ctl.returns_slope
    )
    tau = k.p * ((1.0 - a) * k.k_human + a * dh * free + pull * (ctl.follow * dh + ctl.extra))
    return a, dh, ds_own, kappa, tau


def oversight_rate(k: Constants, excess: Any, ctl: Any) -> Any:
    """Equation 6: dv/dt when the frontier's progress multiplier is ``M = 1 + excess``.

    ``(N,)`` arrays or floats. The one spelling of the oversight rate: :func:`rates` and the
    float path evaluate it, the step rule bounds it (passing ``M`` as the excess), and
    :func:`rsiviz.core.steps.move_oversight` integrates it exactly over a sub-step.
    """
    uplift = _flat(k.sigma) * excess * ctl.uplift_free + ctl.uplift_held
    return _flat(k.g_v) * (1.0 + uplift) * ctl.boost


def rates(
    k: Constants, t: Value, h: FloatArray, s: FloatArray, c: FloatArray, ctl: LabControls
) -> Rates:
    """All derivatives at time ``t`` (a float, or ``(N, 1)`` when members sub-step apart)."""
    a, dh, ds_own, kappa, tau = own_rates(ArrayMath, k, t, h, s, c, ctl)
    if k.a_fixed is not None:
        a = np.full_like(c, k.a_fixed)
    ds = ds_own
    lead = None
    if h.shape[-1] > 1:
        lead = np.argmax(c, axis=-1)
        s_lead = pick(s, lead)[..., None]
        ds = ds + k.diffusion * np.maximum(s_lead - s, 0.0)
        m = pick(ds, lead) / _flat(k.g_s)
    else:
        m = ds[..., 0] / _flat(k.g_s)
    dc = ctl.follow * (dh + ds) + ctl.extra
    dv = oversight_rate(k, m - 1.0, ctl)
    return Rates(dh=dh, ds=ds, dc=dc, dv=dv, a=a, lead=lead, ds_own=ds_own, kappa=kappa, tau=tau)


def pick(x: FloatArray, lead: NDArray[np.intp]) -> FloatArray:
    """Each row's value at its ``lead`` lab: ``x[..., lead]`` row by row, as
    ``np.take_along_axis(x, lead[..., None], axis=-1)[..., 0]`` gives it (the same values),
    for (N, L) without that function's index building (a third of a race sub-step's
    selections)."""
    if x.ndim == 2 and x.flags.c_contiguous:
        return x.reshape(-1).take(lead + np.arange(0, x.size, x.shape[1]))
    return np.take_along_axis(x, lead[..., None], axis=-1)[..., 0]


def most(x: FloatArray) -> FloatArray:
    """Each row's largest value of (N, L) ``x``: the values of ``x.max(axis=1)``, NaN
    included, in L - 1 calls of ``np.maximum`` on columns, where numpy's reduction along
    so short an axis takes ~45 us for 1,000 x 3, these ~6 us. Where a row's largest value
    is both 0.0 and -0.0 the sign may differ from the reduction's (numpy pairs its operands
    in its own order): use it where that sign does not matter."""
    return _by_column(np.maximum, x)


def least(x: FloatArray) -> FloatArray:
    """Each row's smallest value of (N, L) ``x``: ``x.min(axis=1)``, as :func:`most`."""
    return _by_column(np.minimum, x)


def any_lab(x: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether any of each row's (N, L) ``x`` is true: ``x.any(axis=1)``, as :func:`most`."""
    return _by_column(np.logical_or, x)


def _by_column(op: np.ufunc, x: NDArray[Any]) -> NDArray[Any]:
    """``op`` of the columns of (N, L) ``x``, left to right, into a new (N,) array."""
    out = x[:, 0].copy()
    for j in range(1, x.shape[1]):
        op(out, x[:, j], out=out)
    return out


def log_linear_increment(
    rate: FloatArray, kappa: FloatArray, tau: FloatArray, dt: FloatArray
) -> FloatArray:
    """Increment of s over ``dt`` when log10(ds/dt) = log10(rate) + kappa*ds + tau*t.

    Exact for that form: a hyperbolic explosion (kappa > 0; ``dt`` must keep
    ``w = kappa ln10 rate E < 1``) and a stiff, saturating approach to a ceiling
    (kappa < 0) are both followed without tiny steps.
    """
    return np.asarray(increment(ArrayMath, rate, kappa, tau, dt))


def increment(xp: Any, rate: Any, kappa: Any, tau: Any, dt: Any) -> Any:
    """:func:`log_linear_increment` on arrays (``xp=ArrayMath``) or floats (``FloatMath``)."""
    beta = tau * LN10
    z = beta * dt
    small = xp.abs(z) < 1e-6
    e = xp.where(small, dt * (1.0 + 0.5 * z), xp.expm1(z) / xp.where(small, 1.0, beta))
    w = (kappa * LN10) * rate * e
    tiny = xp.abs(w) < 1e-6
    g = xp.where(tiny, 1.0 + 0.5 * w, -xp.log1p(-xp.minimum(w, 0.999)) / xp.where(tiny, 1.0, w))
    return rate * e * g


T = TypeVar("T", Constants, LabControls)


def take_members(obj: T, rows: NDArray[np.intp]) -> T:
    """``obj`` for the members ``rows`` only: every per-member array is indexed by them."""
    picked: dict[str, Any] = {
        f.name: value[rows]
        for f in fields(obj)
        if isinstance(value := getattr(obj, f.name), np.ndarray) and value.ndim
    }
    return replace(obj, **picked)


def _flat(value: Value) -> Value:
    """(N, 1) -> (N,) for member-wise constants used with (N,) field-wide arrays."""
    return value[..., 0] if isinstance(value, np.ndarray) else value


def ceilings(k: Constants) -> tuple[Value, Value]:
    """Highest allowed h and s."""
    return k.h_max, k.s_max * (1.0 - CEILING_EPS)
