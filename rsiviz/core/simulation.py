"""A simulation that advances month by month, can be forked, and records its history.

One run is an ensemble of one: every array has a leading member axis ``N``; ensembles and
sweeps pass ``(N,)`` arrays of parameter values as ``overrides``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from rsiviz.core.history import History
from rsiviz.core.interventions import DEFAULT_LABS, DevelopmentPause, Lab
from rsiviz.core.model import (
    LN10,
    Constants,
    FloatArray,
    Rates,
    _flat,
    build_constants,
    ceilings,
    log_linear_increment,
    rates,
)
from rsiviz.core.params import Params
from rsiviz.core.pauses import PauseBook

# Largest move of any level (OOM) in one sub-step. MODEL.md asks for ~0.02 OOM *or* a
# method that stays accurate: software is integrated exactly along its log-linear rate,
# so accuracy is set by MAX_LOG_RATE_CHANGE (see tests/core/test_numerics.py).
MAX_MOVE = 0.25
# Largest change of log10(software rate) within one step (the integrator's accuracy knob).
MAX_LOG_RATE_CHANGE = 0.1
# Near the software ceiling, a step covers at most this share of the remaining distance,
# unless that distance is below CEILING_ABS OOM.
CEILING_FRACTION = 0.3
CEILING_ABS = 0.002
# A month never takes more sub-steps than this, so the window can never hang; at the
# MAX_MOVE above the bound is reached only after 400 OOM of movement in one month.
MAX_SUBSTEPS = 20_000
MONTH = 1.0 / 12.0


class Simulation:
    """The model advancing one simulated month per :meth:`step`.

    Parameters
    ----------
    params : the parameter set (validated).
    labs : the labs (one for a single-developer run; several for race mode).
    pauses : development pauses to schedule from the start.
    overrides : parameter name -> ``(N,)`` values, for ensembles and sweeps.
    members : ensemble size when there are no overrides (default 1).
    a_fixed : hold automation at this share (the Forethought replication uses 1).
    """

    def __init__(
        self,
        params: Params | None = None,
        labs: Sequence[Lab] = DEFAULT_LABS,
        pauses: Sequence[DevelopmentPause] = (),
        overrides: dict[str, FloatArray] | None = None,
        members: int | None = None,
        a_fixed: float | None = None,
    ) -> None:
        self.params = params or Params()
        self.labs = tuple(labs)
        if not self.labs:
            raise ValueError("a run needs at least one lab")
        n = _member_count(overrides, members)
        n_labs = len(self.labs)
        self.k: Constants = build_constants(
            self.params,
            overrides,
            a_fixed=a_fixed,
        )
        self.n_members, self.n_labs = n, n_labs
        self.n_months = self.params.n_months
        h0 = np.array([lab.compute_offset for lab in self.labs])
        s0 = np.array([lab.software_offset for lab in self.labs])
        self.h = np.tile(h0, (n, 1)).astype(float)
        self.s = np.tile(s0, (n, 1)).astype(float)
        self.c = self.h + self.s
        self.v = np.full(n, float(self.params.oversight_start))
        self.month = 0
        self.modes = np.zeros((n, n_labs), dtype=np.int8)
        self.book = PauseBook(self.labs, n)
        self.history = History(self.n_months, n, n_labs, self.params, self.k)
        self._rates: Rates | None = None
        self._ctl = self.book.controls(self.k, self.modes)
        for pause in pauses:
            self.book.add(pause)
        self._boundary()

    # -- public API ---------------------------------------------------------------------
    @property
    def time(self) -> float:
        """Calendar time of the current month boundary (years)."""
        return self.k.t0 + self.month * MONTH

    @property
    def done(self) -> bool:
        return self.month >= self.n_months

    @property
    def pauses(self) -> tuple[DevelopmentPause, ...]:
        return self.book.pauses

    def step(self, months: int = 1) -> None:
        """Advance ``months`` simulated months (stops at the end of the run)."""
        for _ in range(months):
            if self.done:
                return
            self._advance_month()
            self.month += 1
            self._boundary()

    def run(self) -> History:
        """Advance to the end of the run and return the history."""
        self.step(self.n_months - self.month)
        return self.history

    def run_until(self, year: float) -> None:
        """Advance until the calendar ``year`` (or the end of the run)."""
        target = round((year - self.k.t0) * 12)
        self.step(max(0, min(target, self.n_months) - self.month))

    def schedule(self, pause: DevelopmentPause) -> None:
        """Add a development pause; one that is due now starts at the current month."""
        self.book.add(pause)
        self._boundary()

    def fork(self) -> Simulation:
        """An independent copy from this moment (for the counterfactual without a pause)."""
        return copy.deepcopy(self)

    # -- internals ----------------------------------------------------------------------
    def _boundary(self) -> None:
        """Apply development-pause starts, ends and defections; record this month."""
        if self.book.update(self):  # controls change only when a lab's mode does
            self._ctl = self.book.controls(self.k, self.modes)
        self._rates = rates(self.k, self.time, self.h, self.s, self.c, self._ctl)
        self.history.record(self.month, self)

    def _advance_month(self) -> None:
        """Integrate one month; each member takes its own sub-steps.

        Software follows :func:`log_linear_increment` (exact while log10 of its rate is
        locally linear), compute is linear, capability follows potential, and oversight
        is integrated exactly from the software increment (its rate is linear in M).
        Step sizes keep every level's move under MAX_MOVE OOM and the change of log10
        of the software rate under MAX_LOG_RATE_CHANGE.
        """
        k, ctl = self.k, self._ctl
        h_cap, s_cap = ceilings(k)
        t_start = self.time
        elapsed = np.zeros((self.n_members, 1))
        r = self._rates
        assert r is not None
        h, s, c, v = self.h, self.s, self.c, self.v
        g_v, sigma, g_s = _flat(k.g_v), _flat(k.sigma), _flat(k.g_s)
        boost = ctl.boost
        for i in range(MAX_SUBSTEPS):
            left = MONTH - elapsed
            dt = np.minimum(left, self._step_limit(r, s, v))
            if i == MAX_SUBSTEPS - 1:  # never hang: finish the month in one (clamped) move
                dt = left
            dh = np.minimum(h + r.dh * dt, h_cap) - h
            grow = log_linear_increment(r.ds_own, r.kappa, r.tau, dt) + (r.ds - r.ds_own) * dt
            ds = np.minimum(s + grow, s_cap) - s
            h, s = h + dh, s + ds
            c = np.minimum(c + ctl.follow * (dh + ds) + ctl.extra * dt, h + s)
            ds_front = (
                ds[:, 0]
                if r.lead is None
                else np.take_along_axis(ds, r.lead[:, None], axis=1)[:, 0]
            )
            dt1 = dt[:, 0]
            v = np.minimum(v + g_v * boost * (dt1 + sigma * (ds_front / g_s - dt1)), k.v_max)
            elapsed = elapsed + dt
            if np.all(elapsed >= MONTH * (1 - 1e-12)):
                break
            r = rates(k, t_start + elapsed, h, s, c, ctl)
        self.h, self.s, self.c, self.v = h, s, c, v

    def _step_limit(self, r: Rates, s: FloatArray, v: FloatArray) -> FloatArray:
        """(N, 1) largest safe step: level moves and log-rate changes stay small."""
        k, ctl = self.k, self._ctl
        # Software cannot move further than its ceiling, however fast its rate: within
        # MAX_MOVE of the ceiling, the remaining distance bounds the move.
        room = ceilings(k)[1] - s
        ds = np.where(room > MAX_MOVE, r.ds, np.minimum(r.ds, room * 12.0))
        dc = ctl.follow * (r.dh + ds) + ctl.extra
        m = ds.max(axis=1) / _flat(k.g_s)
        dv = np.where(v < k.v_max, _flat(k.g_v) * (1.0 + _flat(k.sigma) * m) * ctl.boost, 0.0)
        speed = np.maximum(np.maximum(r.dh, ds).max(axis=1), np.maximum(dc.max(axis=1), dv))
        # Growth of log10(ds/dt) per year, through s (kappa ds) and through time (tau).
        drift = (np.maximum(r.kappa, 0.0) * r.ds_own + np.abs(r.tau)).max(axis=1)
        limit = np.minimum(MAX_MOVE / (speed + 1e-12), MAX_LOG_RATE_CHANGE / (drift + 1e-12))
        return np.asarray(np.minimum(limit, self._ceiling_limit(r, s)), dtype=float)[:, None]

    def _ceiling_limit(self, r: Rates, s: FloatArray) -> FloatArray:
        """(N,) step that moves s at most CEILING_FRACTION of its distance to the ceiling.

        Near the ceiling kappa ~ -k_b / (s_max - s) changes fast, so the log-linear step
        (which holds kappa fixed) is accurate only over a fraction of that distance. Within
        CEILING_ABS OOM of the ceiling no limit applies: nothing visible can change there.
        """
        neg = np.maximum(-r.kappa, 1e-12)
        room = np.maximum(CEILING_FRACTION * (ceilings(self.k)[1] - s), CEILING_ABS)
        # inverse of log_linear_increment for kappa < 0 and tau = 0
        with np.errstate(over="ignore"):  # an infinite limit is no limit
            dt = np.expm1(np.minimum(neg * room, 300.0) * LN10) / (neg * LN10 * r.ds_own + 1e-300)
        return np.asarray(np.where(r.kappa < 0, dt, np.inf).min(axis=1), dtype=float)


def _member_count(overrides: dict[str, FloatArray] | None, members: int | None) -> int:
    sizes = {np.asarray(a).size for a in (overrides or {}).values()}
    if len(sizes) > 1:
        raise ValueError(f"override arrays differ in length: {sorted(sizes)}")
    n = sizes.pop() if sizes else (members or 1)
    if members is not None and n != members:
        raise ValueError(f"members={members} but overrides have {n} values")
    if n < 1:
        raise ValueError("an ensemble needs at least one member")
    return n
