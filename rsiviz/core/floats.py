"""A run of one member on Python floats: the single run the window re-runs on every change.

On 1-element numpy arrays each call's fixed overhead dominates, and a single 12-year run
would take ~15 ms. Here the same equation functions (:func:`~rsiviz.core.model.own_rates`,
:func:`~rsiviz.core.model.increment`) and the same step rule
(:mod:`rsiviz.core.steps`) are evaluated on floats, lab by lab, with ``math`` in place of
numpy. tests/core/test_fast_path.py holds the two paths to agreement to rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from rsiviz.core.model import Constants, LabControls, oversight_rate, own_rates
from rsiviz.core.steps import (
    MAX_SUBSTEPS,
    MONTH,
    combine,
    lab_limits,
    move_lab,
    move_oversight,
)


def _fwhere(cond: bool, a: float, b: float) -> float:
    return a if cond else b


class FloatMath:
    """The functions of :class:`~rsiviz.core.model.ArrayMath`, for floats."""

    exp = staticmethod(math.exp)
    log1p = staticmethod(math.log1p)
    expm1 = staticmethod(math.expm1)
    tanh = staticmethod(math.tanh)
    minimum = staticmethod(min)  # no NaN reaches these (tests/core/test_properties.py)
    maximum = staticmethod(max)
    where = staticmethod(_fwhere)
    abs = staticmethod(abs)


@dataclass
class LabFloatControls:
    """One lab's development-pause and link-cut factors (:class:`~rsiviz.core.model.LabControls`)."""

    research: float
    compute: float
    follow: float
    extra: float
    a_free: float
    a_held: float
    labour_free: float
    labour_held: float
    returns_free: float
    returns_const: float
    returns_slope: float
    s_stop: float


@dataclass
class FloatControls:
    """Member 0's controls: per-lab factors, and the field-wide oversight factors."""

    labs: tuple[LabFloatControls, ...]
    boost: float
    uplift_free: float = 1.0
    uplift_held: float = 0.0

    @classmethod
    def of(cls, ctl: LabControls) -> FloatControls:
        """The controls of member 0."""
        cols = [
            np.broadcast_to(getattr(ctl, f.name), ctl.follow.shape)[0]
            for f in fields(LabFloatControls)
        ]
        labs = tuple(LabFloatControls(*map(float, row)) for row in zip(*cols, strict=True))
        wide = (float(np.asarray(x).flat[0]) for x in (ctl.boost, ctl.uplift_free, ctl.uplift_held))
        return cls(labs, *wide)


@dataclass
class LabFloatRates:
    dh: float
    ds: float  # including diffusion
    dc: float
    a: float
    ds_own: float
    kappa: float
    tau: float


@dataclass
class FloatRates:
    """:class:`~rsiviz.core.model.Rates` of one member: per-lab rates, oversight, frontier."""

    labs: list[LabFloatRates]
    dv: float
    lead: int

    # what History.record reads, as (L,) lists
    @property
    def a(self) -> list[float]:
        return [lab.a for lab in self.labs]

    @property
    def ds(self) -> list[float]:
        return [lab.ds for lab in self.labs]

    @property
    def dc(self) -> list[float]:
        return [lab.dc for lab in self.labs]


def float_constants(k: Constants) -> Constants:
    """``k`` with every (1, 1) array and numpy scalar turned into a Python float."""
    changes = {
        f.name: float(np.asarray(v).flat[0])
        for f in fields(k)
        if isinstance(v := getattr(k, f.name), (np.ndarray, np.generic))
    }
    return replace(k, **changes)


def float_rates(
    k: Constants, t: float, h: list[float], s: list[float], c: list[float], ctl: FloatControls
) -> FloatRates:
    """:func:`~rsiviz.core.model.rates` for one member; ``k`` from :func:`float_constants`."""
    # the first most capable lab, as np.argmax picks it
    lead = 0 if len(c) == 1 else max(range(len(c)), key=c.__getitem__)
    labs = []
    for i, lc in enumerate(ctl.labs):
        a, dh, ds_own, kappa, tau = own_rates(FloatMath, k, t, h[i], s[i], c[i], lc)
        ds = ds_own + k.diffusion * max(s[lead] - s[i], 0.0)
        labs.append(LabFloatRates(dh, ds, lc.follow * (dh + ds) + lc.extra, a, ds_own, kappa, tau))
    m = labs[lead].ds / float(k.g_s)
    return FloatRates(labs, oversight_rate(k, m - 1.0, ctl), lead)


def step_limit(k: Constants, ctl: FloatControls, r: FloatRates, s: list[float], v: float) -> float:
    """:func:`rsiviz.core.steps.step_limit` for one member."""
    if len(s) == 1:
        ds, speed, drift, near = lab_limits(FloatMath, k, ctl.labs[0], r.labs[0], s[0])
    else:
        terms = [lab_limits(FloatMath, k, *lab) for lab in zip(ctl.labs, r.labs, s, strict=True)]
        ds, speed, drift = (max(t[j] for t in terms) for j in range(3))
        near = min(t[3] for t in terms)
    return float(min(combine(FloatMath, k, ctl, v, ds, speed, drift), near))


def advance_month(
    k: Constants,
    ctl: FloatControls,
    r: FloatRates,
    t_start: float,
    state: tuple[list[float], list[float], list[float], float],
) -> tuple[list[float], list[float], list[float], float]:
    """One month of :meth:`Simulation._advance_month`, step for step, on floats.

    ``state`` is ``(h, s, c, v)``: per-lab lists and the oversight level.
    """
    h, s, c, v = (list(state[0]), list(state[1]), list(state[2]), state[3])
    elapsed = 0.0
    for i in range(MAX_SUBSTEPS):
        left = MONTH - elapsed
        dt = left if i == MAX_SUBSTEPS - 1 else min(left, step_limit(k, ctl, r, s, v))
        ds_front = 0.0
        for j, (lr, lc) in enumerate(zip(r.labs, ctl.labs, strict=True)):
            h[j], s[j], c[j], ds = move_lab(FloatMath, k, lc, lr, (h[j], s[j], c[j]), dt)
            if j == r.lead:
                ds_front = ds
        v = move_oversight(FloatMath, k, ctl, v, dt, ds_front)
        elapsed += dt
        if elapsed >= MONTH * (1 - 1e-12):
            break
        r = float_rates(k, t_start + elapsed, h, s, c, ctl)
    return h, s, c, v
