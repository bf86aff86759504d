"""Several quiet months of an ensemble at once, each member at its own pace.

Month by month, every month costs as many numpy sub-steps as its slowest member needs: an
exploding member takes hundreds while the rest wait, so a 1,000-member fan spends most of
its time on sub-steps of a handful of members, each paying numpy's fixed cost per call.
Over months whose boundaries cannot change anything (no development pause or link cut can
start, end or release there: :meth:`Simulation.quiet_months`), members need not wait for
each other: here each one crosses month boundaries on its own, so one sub-step of the
array serves members in different months, and a month boundary only records the member's
row of the history.

Each member takes exactly the sub-steps it takes month by month (the same step rule, the
same clock ``t0 + month * MONTH + elapsed``, the same operations elementwise), so the
results equal the month-by-month path's (tests/core/test_lanes.py holds them equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rsiviz.core.model import (
    FROZEN,
    ArrayMath,
    Constants,
    FloatArray,
    LabControls,
    Rates,
    rates,
    take_members,
)
from rsiviz.core.steps import MAX_SUBSTEPS, MONTH, move_lab, move_oversight, step_limit

if TYPE_CHECKING:
    from rsiviz.core.simulation import Simulation

State = tuple[FloatArray, FloatArray, FloatArray, FloatArray]


def move(k: Constants, ctl: LabControls, r: Rates, state: State, dt: FloatArray) -> State:
    """Every member of ``state`` = (h, s, c, v) moved by its own step ``dt`` (N, 1)."""
    h, s, c, v = state
    h, s, c, ds = move_lab(ArrayMath, k, ctl, r, (h, s, c), dt)
    ds_front = ds[:, 0] if r.lead is None else np.take_along_axis(ds, r.lead[:, None], axis=1)[:, 0]
    v = move_oversight(ArrayMath, k, ctl, v, dt[:, 0], ds_front)
    return h, s, c, v


class Lanes:
    """The members of ``sim`` advancing from its month to ``end`` (array path only).

    ``rows`` are the members still in the arrays (full indices), ``live`` those of them
    not yet at ``end``; finished members are written to the simulation's arrays at once
    and dropped from the arrays when half of them have finished.
    """

    def __init__(self, sim: Simulation, end: int) -> None:
        assert isinstance(sim._rates, Rates)
        self.sim, self.end = sim, end
        self.k, self.ctl, self.r = sim.k, sim._ctl, sim._rates
        self.state: State = (sim.h.copy(), sim.s.copy(), sim.c.copy(), sim.v.copy())
        n = sim.n_members
        self.rows = np.arange(n)
        self.month = np.full(n, sim.month)
        self.elapsed = np.zeros((n, 1))
        # A member's sub-steps in its month are ``calls - begun``: the count costs an
        # operation only when members cross a boundary.
        self.calls = 0
        self.begun = np.zeros(n, dtype=np.intp)
        self.live = np.ones(n, dtype=bool)
        self.n_live, self.low = n, sim.month
        self._clock()
        hist = sim.history
        # the development-pause modes are constant over quiet months: their rows at once
        hist.paused[sim.month + 1 : end] = sim.modes == FROZEN

    def lowest(self) -> int:
        """The month every member has reached."""
        return self.low if self.n_live else self.end

    def _clock(self) -> None:
        """Each member's month boundary on the clock of the month-by-month path."""
        self.base = (self.k.t0 + self.month * MONTH)[:, None]

    def step(self) -> None:
        """One sub-step of every live member; record the months some of them finished."""
        left = MONTH - self.elapsed
        if self.n_live < self.live.size:
            left[~self.live] = 0.0  # a finished member stands still (a zero step is exact)
        limit = step_limit(self.k, self.ctl, self.r, self.state[1], self.state[3])[:, None]
        dt = np.minimum(left, limit)
        if self.calls >= MAX_SUBSTEPS - 1:
            # like the month-by-month path, a month's last allowed sub-step finishes it
            last = (self.calls - self.begun == MAX_SUBSTEPS - 1)[:, None]
            dt = np.where(last, left, dt)
        self.state = move(self.k, self.ctl, self.r, self.state, dt)
        self.elapsed += dt
        self.calls += 1
        crossed = self.elapsed[:, 0] >= MONTH * (1 - 1e-12)
        fresh = None
        if crossed.any():
            fresh = self._cross(crossed & self.live)
        if self.n_live:
            self.r = rates(self.k, self.base + self.elapsed, *self.state[:3], self.ctl)
            if fresh is not None:
                self._record(fresh)

    def _cross(self, crossed: np.ndarray) -> np.ndarray:
        """Move ``crossed`` members to their next month; returns those to be recorded
        (at a boundary inside the span), a mask of the arrays' rows after compaction."""
        self.month[crossed] += 1
        self.elapsed[crossed] = 0.0
        self.begun[crossed] = self.calls
        finished = crossed & (self.month == self.end)
        fresh = crossed & ~finished
        if finished.any():
            self._write(finished)
            self.live &= ~finished
            self.n_live = int(np.count_nonzero(self.live))
            if 2 * self.n_live <= self.live.size:
                fresh = fresh[self.live]
                self._compact()
        if self.n_live:
            self.low = int(self.month[self.live].min())
            self._clock()
        return fresh

    def _write(self, members: np.ndarray) -> None:
        """Copy the state of ``members`` (a mask of the arrays' rows) to the simulation."""
        full = self.rows[members]
        for whole, part in zip((self.sim.h, self.sim.s, self.sim.c), self.state[:3], strict=True):
            whole[full] = part[members]
        self.sim.v[full] = self.state[3][members]

    def _compact(self) -> None:
        """Drop the finished members from the arrays (already written)."""
        keep = np.flatnonzero(self.live)
        self.rows = self.rows[keep]
        self.k, self.ctl = take_members(self.k, keep), take_members(self.ctl, keep)
        self.state = tuple(x[keep] for x in self.state)  # type: ignore[assignment]
        self.month, self.elapsed = self.month[keep], self.elapsed[keep]
        self.begun, self.live = self.begun[keep], self.live[keep]

    def _record(self, members: np.ndarray) -> None:
        """History rows at the boundary each of ``members`` has just reached, as
        :meth:`History.record` writes them for every member at once (``paused`` is
        written for the whole span by :meth:`__init__`)."""
        if not members.any():
            return
        hist, pick = self.sim.history, np.flatnonzero(members)
        # (month, member) as one flat index: much cheaper than indexing two axes
        at = self.month[pick] * self.sim.n_members + self.rows[pick]
        labs = self.sim.n_labs
        h, s, c, v = self.state
        r = self.r
        for whole, part in (
            (hist.h, h),
            (hist.s, s),
            (hist.c, c),
            (hist.a, r.a),
            (hist.ds, r.ds),
            (hist.dc, r.dc),
        ):
            whole.reshape(-1, labs)[at] = part.take(pick, axis=0)
        hist.v.reshape(-1)[at] = v.take(pick)
