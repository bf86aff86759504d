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
from rsiviz.core.onelab import OneLab, fits
from rsiviz.core.steps import MAX_SUBSTEPS, MONTH, move_lab, move_oversight, step_limit

if TYPE_CHECKING:
    from rsiviz.core.simulation import Simulation

State = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
# history rows (one member's month) that lanes keep before writing them
KEPT_ROWS = 1 << 16
# a month, and the time that completes one, as 0-d arrays (numpy's faster operands)
_MONTH, _FULL = np.asarray(MONTH), np.asarray(MONTH * (1 - 1e-12))


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
        # each member's month boundary on the clock of the month-by-month path
        self.base = (self.k.t0 + self.month * MONTH)[:, None]
        self._fold()
        # history rows kept for one write per array (a few MB at most: then written)
        size, labs = min(max(0, end - sim.month - 1) * n, max(n, KEPT_ROWS)), sim.n_labs
        self.kept = 0
        self.at = np.empty(size, dtype=np.intp)
        self.buffers = tuple(np.empty((size, labs)) for _ in range(6)) + (np.empty(size),)
        hist = sim.history
        # the development-pause modes are constant over quiet months: their rows at once
        hist.paused[sim.month + 1 : end] = sim.modes == FROZEN

    def lowest(self) -> int:
        """The month every member has reached."""
        if not self.n_live:
            return self.end
        if self.low < 0:
            self.low = int(self.month[self.live].min())
        return self.low

    def _fold(self) -> None:
        """The cheaper sub-step of one lab without link cuts, where it applies."""
        fit = fits(self.k, self.ctl, self.state[0].shape[1])
        self.one = OneLab(self.k, self.ctl) if fit else None

    def step(self) -> None:
        """One sub-step of every live member; record the months some of them finished."""
        left = _MONTH - self.elapsed
        if self.n_live < self.live.size:
            left[~self.live] = 0.0  # a finished member stands still (a zero step is exact)
        one, state = self.one, self.state
        if one is not None:
            limit = one.limit(self.r, state[1], state[3])[:, None]
        else:
            limit = step_limit(self.k, self.ctl, self.r, state[1], state[3])[:, None]
        dt = np.minimum(left, limit)
        if self.calls >= MAX_SUBSTEPS - 1:
            # like the month-by-month path, a month's last allowed sub-step finishes it
            last = (self.calls - self.begun == MAX_SUBSTEPS - 1)[:, None]
            dt = np.where(last, left, dt)
        if one is not None:
            self.state = one.move(self.r, state, dt)
        else:
            self.state = move(self.k, self.ctl, self.r, state, dt)
        self.elapsed += dt
        self.calls += 1
        crossed = self.elapsed[:, 0] >= _FULL
        fresh = None
        if crossed.any():
            fresh = self._cross(crossed)
        if self.n_live:
            t = self.base + self.elapsed
            if self.one is not None:
                self.r = self.one.rates(t, *self.state[:3])
            else:
                self.r = rates(self.k, t, *self.state[:3], self.ctl)
            if fresh is not None:
                self._record(fresh)

    def _cross(self, crossed: np.ndarray) -> np.ndarray:
        """Move the ``crossed`` members to their next month; returns the rows of those
        to be recorded (at a boundary inside the span), in the arrays after compaction."""
        rows = np.flatnonzero(crossed)
        if self.n_live < self.live.size:
            rows = rows[self.live[rows]]
        month = self.month[rows] + 1
        self.month[rows] = month
        self.base[rows, 0] = self.k.t0 + month * MONTH
        self.elapsed[rows] = 0.0
        self.begun[rows] = self.calls
        done = month == self.end
        if done.any():
            self._write(rows[done])
            self.live[rows[done]] = False
            self.n_live -= int(np.count_nonzero(done))
            rows = rows[~done]
            if 2 * self.n_live <= self.live.size:
                keep = self._compact()
                rows = np.searchsorted(keep, rows)
        if self.n_live:
            self.low = -1  # found again when asked for
        else:
            self._flush()
        return rows

    def _write(self, rows: np.ndarray) -> None:
        """Copy the state of ``rows`` (of the arrays) to the simulation."""
        full = self.rows[rows]
        for whole, part in zip((self.sim.h, self.sim.s, self.sim.c), self.state[:3], strict=True):
            whole[full] = part[rows]
        self.sim.v[full] = self.state[3][rows]

    def _compact(self) -> np.ndarray:
        """Drop the finished members from the arrays (already written); returns the
        rows kept."""
        keep = np.flatnonzero(self.live)
        self.rows = self.rows[keep]
        self.k, self.ctl = take_members(self.k, keep), take_members(self.ctl, keep)
        self.state = tuple(x[keep] for x in self.state)  # type: ignore[assignment]
        self.month, self.elapsed, self.base = self.month[keep], self.elapsed[keep], self.base[keep]
        self.begun, self.live = self.begun[keep], self.live[keep]
        self._fold()
        return keep

    def _record(self, rows: np.ndarray) -> None:
        """Keep the history rows at the boundary each of ``rows`` has just reached, as
        :meth:`History.record` writes them for every member at once (``paused`` is
        written for the whole span by :meth:`__init__`). :meth:`_flush` writes them."""
        if not rows.size:
            return
        if self.kept + rows.size > self.at.size:
            self._flush()
        lo, hi = self.kept, self.kept + rows.size
        # (month, member) as one flat index: much cheaper than indexing two axes
        np.add(self.month[rows] * self.sim.n_members, self.rows[rows], out=self.at[lo:hi])
        h, s, c, v = self.state
        r = self.r
        for part, buffer in zip((h, s, c, r.a, r.ds, r.dc, v), self.buffers, strict=True):
            # mode="clip" (the rows are in range) writes to ``out`` without a copy
            np.take(part, rows, axis=0, out=buffer[lo:hi], mode="clip")
        self.kept = hi

    def _flush(self) -> None:
        """Write the kept history rows, all at once: one write per array, not per step."""
        hist, labs, at = self.sim.history, self.sim.n_labs, self.at[: self.kept]
        wholes = (hist.h, hist.s, hist.c, hist.a, hist.ds, hist.dc, hist.v)
        for whole, buffer in zip(wholes, self.buffers, strict=True):
            flat = whole.reshape(-1) if whole.ndim == 2 else whole.reshape(-1, labs)
            flat[at] = buffer[: self.kept]
        self.kept = 0
