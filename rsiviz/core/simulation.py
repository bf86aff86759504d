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
    Constants,
    FloatArray,
    LabControls,
    Rates,
    build_constants,
    ceilings,
    rates,
)
from rsiviz.core.params import Params
from rsiviz.core.pauses import PauseBook

# Largest move of any level (OOM) in one sub-step; MODEL.md asks for ~0.02.
MAX_MOVE = 0.25
# Local error allowed per step (OOM), estimated from Heun minus Euler.
STEP_TOL = 1e-3
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
            self.params, overrides,
            max_software_offset=0.0, a_fixed=a_fixed,
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
        self._dt_next = np.full((n, 1), MONTH)
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
        self.book.update(self)
        self._ctl = self.book.controls(self.k, self.modes)
        self._rates = rates(self.k, self.time, self.h, self.s, self.c, self._ctl)
        self.history.record(self.month, self)

    def _advance_month(self) -> None:
        """Integrate one month with Heun's method, each member at its own step size.

        Step sizes follow the embedded Euler/Heun error estimate (kept under STEP_TOL OOM
        per step), and no level moves more than MAX_MOVE OOM in one step.
        """
        k, ctl = self.k, self._ctl
        h_cap, s_cap = ceilings(k)
        t_start = self.time
        elapsed = np.zeros((self.n_members, 1))
        r = self._rates
        assert r is not None
        h, s, c, v = self.h, self.s, self.c, self.v
        dt_next = self._dt_next
        for i in range(MAX_SUBSTEPS):
            left = MONTH - elapsed
            # Oversight held at its ceiling no longer limits the step.
            dv = np.where(v < k.v_max, r.dv, 0.0)
            speed = np.maximum(np.max(np.maximum(r.dh + r.ds, r.dc), axis=1), dv)
            dt = np.minimum(np.minimum(left, dt_next), (MAX_MOVE / (speed + 1e-12))[:, None])
            if i == MAX_SUBSTEPS - 1:  # never hang: finish the month in one (clamped) move
                dt = left
            hp = np.minimum(h + r.dh * dt, h_cap)
            sp = np.minimum(s + r.ds * dt, s_cap)
            cp = np.minimum(c + r.dc * dt, hp + sp)
            r2 = rates(k, t_start + elapsed + dt, hp, sp, cp, ctl)
            half = 0.5 * dt
            h = np.minimum(h + (r.dh + r2.dh) * half, h_cap)
            s = np.minimum(s + (r.ds + r2.ds) * half, s_cap)
            c = np.minimum(c + (r.dc + r2.dc) * half, h + s)
            v_old = v
            v = np.minimum(v + (dv + r2.dv) * half[:, 0], k.v_max)
            # |Heun - Euler| estimates the local error; size the next step from it.
            vp = np.minimum(v_old + dv * dt[:, 0], k.v_max)
            err = np.maximum(np.max(np.abs(s - sp) + np.abs(c - cp), axis=1, keepdims=True),
                             np.abs(v - vp)[:, None])
            dt_next = dt * np.clip(0.9 * np.sqrt(STEP_TOL / (err + 1e-15)), 0.3, 4.0)
            elapsed = elapsed + dt
            if np.all(elapsed >= MONTH * (1 - 1e-12)):
                break
            r = rates(k, t_start + elapsed, h, s, c, ctl)
        self.h, self.s, self.c, self.v = h, s, c, v
        self._dt_next = np.maximum(dt_next, np.minimum(dt, left))


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
