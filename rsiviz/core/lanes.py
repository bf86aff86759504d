"""Several quiet months of an ensemble at once, each member at its own pace.

Month by month, every month costs as many numpy sub-steps as its slowest member needs: an
exploding member takes hundreds while the rest wait, so a 1,000-member fan spends most of
its time on sub-steps of a handful of members, each paying numpy's fixed cost per call.
Over months whose boundaries cannot change anything (no development pause or link cut can
start, end or release there: :meth:`Simulation.quiet_months`), members need not wait for
each other: here each one crosses month boundaries on its own, so one sub-step of the
array serves members in different months, and a month boundary only records the member's
row of the history. Across a development pause's boundaries ("rolling", see
:class:`Lanes`), a member stops only where something changes for it.

Each member takes exactly the sub-steps it takes month by month (the same step rule, the
same clock ``t0 + month * MONTH + elapsed``, the same operations elementwise), so the
results equal the month-by-month path's (tests/core/test_lanes.py holds them equal).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, replace
from typing import TYPE_CHECKING

import numpy as np

from rsiviz.core.fold import Fold, fits
from rsiviz.core.model import (
    FROZEN,
    ArrayMath,
    Constants,
    FloatArray,
    LabControls,
    Rates,
    pick,
    rates,
    take_members,
)
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
    ds_front = ds[:, 0] if r.lead is None else pick(ds, r.lead)
    v = move_oversight(ArrayMath, k, ctl, v, dt[:, 0], ds_front)
    return h, s, c, v


class Lanes:
    """The members of ``sim`` advancing from its month to ``end`` (array path only).

    ``rows`` are the members still in the arrays (full indices), ``live`` those of them
    not yet at ``end``; finished members are written to the simulation's arrays at once
    and dropped from the arrays when half of them have finished.

    Rolling (``stop`` before ``end``): ``stop`` is the first boundary where a development
    pause may change something, and each member handles its boundaries on its own. At its
    stop, :meth:`PauseBook.changes` tells whether anything changes there for the member
    (a pause starts or ends, a lab defects or catches up); if not, it goes on with the next
    month as its stop. If so, it waits there (a zero step is exact) until at least as many
    wait at that month as are still behind it, or for :attr:`PATIENCE` sub-steps (not for
    fixed pauses, :meth:`PauseBook.fixed`: every member stops at the same months, and
    each stop changes something for each), or until no member moves: then the boundaries of every group that may go are applied to those
    members alone, each at its own month, as :meth:`Simulation._boundary` applies them to
    every member, and their next stops follow from their own state. The simulation has no
    link cuts and no pause triggered by a rate (:meth:`PauseBook.rolls`).
    """

    # Sub-steps a member waits at a boundary at most for others to join its group. Each
    # group costs about one sub-step of the arrays (the pause book's update for it, the
    # controls, rates); waiting delays a member that may be the slowest (an explosion
    # after a release): 32 keeps the sub-steps within ~7% of their least on the shipped
    # presets (race, if-then, gradual release) with 2-3 times fewer groups than 1 (counted
    # by hand: tests/core/test_lanes.py checks results, not this trade-off).
    PATIENCE = 32

    def __init__(self, sim: Simulation, end: int, stop: int | None = None) -> None:
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
        self.frozen = sim.modes == FROZEN
        self.events = 0  # boundaries applied to some members here (rolling only)
        self.rolling = stop is not None and stop < end
        if stop is not None and self.rolling:
            self.stop = np.full(n, stop)
            self.waiting = np.zeros(n, dtype=bool)
            # members waiting at each month (before end) for its boundary to be applied,
            # and the sub-step when the first of them arrived
            self.here: Counter[int] = Counter()
            self.since: dict[int, int] = {}
            # fixed pauses: every member's stop changes something for it, and the members
            # share their stops, so a group gathers whoever gets there (no patience)
            self.fixed = sim.book.fixed(sim.params.release_mode)
            self.patience = 1 << 62 if self.fixed else self.PATIENCE
            # the controls change member by member here: arrays of this run's own
            ctl = self.ctl
            self.ctl = replace(
                ctl,
                **{
                    f.name: np.array(v)
                    for f in fields(ctl)
                    if isinstance(v := getattr(ctl, f.name), np.ndarray) and v.ndim
                },
            )
        self.n_waiting, self.arrivals, self.due = 0, False, 1 << 62
        self._fold()
        # history rows kept for one write per array (a few MB at most: then written)
        size, labs = min(max(0, end - sim.month - 1) * n, max(n, KEPT_ROWS)), sim.n_labs
        self.kept = 0
        self.at = np.empty(size, dtype=np.intp)
        self.buffers = tuple(np.empty((size, labs)) for _ in range(6)) + (
            np.empty(size),
            np.empty((size, labs), dtype=bool),
        )

    def lowest(self) -> int:
        """The month every member has reached."""
        if not self.n_live:
            return self.end
        if self.low < 0:
            self.low = int(self.month[self.live].min())
        return self.low

    def _fold(self) -> None:
        """The cheaper sub-step without link cuts, where it applies."""
        self.fold = Fold(self.k, self.ctl) if fits(self.k, self.ctl) else None

    def step(self) -> None:
        """One sub-step of every live member; record the months some of them finished."""
        left = _MONTH - self.elapsed
        if self.n_waiting:
            left[~self.live | self.waiting] = 0.0  # stand still (a zero step is exact)
        elif self.n_live < self.live.size:
            left[~self.live] = 0.0  # a finished member stands still (a zero step is exact)
        fold, state = self.fold, self.state
        if fold is not None:
            limit = fold.limit(self.r, state[1], state[3])[:, None]
        else:
            limit = step_limit(self.k, self.ctl, self.r, state[1], state[3])[:, None]
        dt = np.minimum(left, limit)
        if self.calls >= MAX_SUBSTEPS - 1:
            # like the month-by-month path, a month's last allowed sub-step finishes it
            last = (self.calls - self.begun == MAX_SUBSTEPS - 1)[:, None]
            dt = np.where(last, left, dt)
        if fold is not None:
            self.state = fold.move(self.r, state, dt)
        else:
            self.state = move(self.k, self.ctl, self.r, state, dt)
        self.elapsed += dt
        self.calls += 1
        crossed = self.elapsed[:, 0] >= _FULL
        fresh = None
        if crossed.any():
            fresh = self._cross(crossed)
        if self.n_live:
            self._rates()
            if fresh is not None:
                self._record(fresh)
            if self.n_waiting and (
                self.arrivals or self.n_waiting == self.n_live or self.calls >= self.due
            ):
                self._boundaries()  # whether a group may go changes only then

    def _rates(self) -> None:
        t = self.base + self.elapsed
        if self.fold is not None:
            self.r = self.fold.rates(t, *self.state[:3])
        else:
            self.r = rates(self.k, t, *self.state[:3], self.ctl)

    def _cross(self, crossed: np.ndarray) -> np.ndarray:
        """Move the ``crossed`` members to their next month; returns the rows of those
        to be recorded (at a boundary inside the span), in the arrays after compaction."""
        rows = crossed.nonzero()[0]  # flatnonzero(), without its 2 us wrapper
        if self.n_live < self.live.size:
            rows = rows[self.live[rows]]
        month = self.month[rows] + 1
        self.month[rows] = month
        self.base[rows, 0] = self.k.t0 + month * MONTH
        self.elapsed[rows] = 0.0
        self.begun[rows] = self.calls
        done = month == self.end
        if self.rolling:
            arrived = (month == self.stop[rows]) & ~done
            if arrived.any():
                wait = self._arrive(rows[arrived], month[arrived])
                if wait.any():  # they wait for their boundary (_boundaries)
                    waits = arrived.copy()
                    waits[arrived] = wait
                    rows, month, done = rows[~waits], month[~waits], done[~waits]
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
        keep = self.live.nonzero()[0]
        self.rows = self.rows[keep]
        self.k, self.ctl = take_members(self.k, keep), take_members(self.ctl, keep)
        self.state = tuple(x[keep] for x in self.state)  # type: ignore[assignment]
        self.month, self.elapsed, self.base = self.month[keep], self.elapsed[keep], self.base[keep]
        self.begun, self.live = self.begun[keep], self.live[keep]
        self.frozen = self.frozen[keep]
        if self.rolling:
            self.stop, self.waiting = self.stop[keep], self.waiting[keep]
        self._fold()
        return keep

    def _arrive(self, rows: np.ndarray, month: np.ndarray) -> np.ndarray:
        """The members ``rows`` (of the arrays) have reached their stops, months ``month``:
        those whose boundary may change something wait there (returned True); the others
        go on, with the next month as their stop (nothing changed, so the next boundary is
        the first that may change something: :meth:`PauseBook.may_change_at` is monotone
        in time)."""
        if self.fixed:
            wait = np.ones(rows.size, dtype=bool)  # (waiting in vain would be exact too)
        else:
            full = self.rows[rows]
            theta = self.k.theta
            if isinstance(theta, np.ndarray) and theta.ndim:
                theta = theta[rows]
            state = tuple(x[rows] for x in self.state)
            t = self.k.t0 + month * MONTH  # the clock of Simulation.time
            wait = self.sim.book.changes(full, t, state, theta, self.sim.modes[full])
        self.arrivals = True  # fewer members behind: a group may go (_boundaries)
        if wait.any():
            self.waiting[rows[wait]] = True
            self.n_waiting += int(np.count_nonzero(wait))
            for at in set(month[wait].tolist()) - self.here.keys():
                self.since[at] = self.calls
                self.due = min(self.due, self.calls + self.patience)
            self.here.update(month[wait].tolist())
        if not wait.all():
            self.stop[rows[~wait]] = month[~wait] + 1
        return wait

    def _boundaries(self) -> None:
        """Apply, in one group, the boundaries of the months where at least as many members
        wait as are still behind, or whose first member has waited :attr:`PATIENCE`
        sub-steps (every month when no member moves)."""
        self.arrivals = False
        if self.n_waiting == self.n_live:  # no member moves: every group goes
            months = list(self.here)
        else:
            # a month's group goes once it has waited long enough, or when as many wait
            # there as members are still behind it (they all get there)
            late, moving = self.calls - self.patience, None
            months = []
            for m, here in self.here.items():
                if self.since[m] > late:
                    if moving is None:
                        moving = self.month[self.live & ~self.waiting]
                    if here < np.count_nonzero(moving < m):
                        continue
                months.append(m)
            if not months:
                return
        at = self.month == months[0]  # np.isin() costs ~0.1 ms, mostly for one month
        for month in months[1:]:
            at |= self.month == month
        rows = (self.waiting & at).nonzero()[0]
        self._apply(rows)
        for month in months:
            del self.here[month], self.since[month]  # the whole group goes
        self.due = min(self.since.values(), default=1 << 62) + self.patience
        if self.fold is not None:  # new controls (a pause changes no link: it still fits)
            self.fold = self.fold.with_controls(self.k, self.ctl)
        self._rates()
        self._record(rows)

    def _apply(self, rows: np.ndarray) -> None:
        """What :meth:`Simulation._boundary` does to the members ``rows`` (of the arrays),
        each at the boundary of its own month: start or end pauses, defect, release, new
        controls; and their next stops."""
        sim, full, month = self.sim, self.rows[rows], self.month[rows]
        ctl = take_members(self.ctl, rows)
        h, s, c, v = (x[rows] for x in self.state)
        sub = sim.members_at(full, int(month[0]), (h, s, c, v), take_members(self.k, rows), ctl)
        t = self.k.t0 + month * MONTH  # the clock of Simulation.time
        if sub.book.update(sub, t):
            new = sub.book.controls(sub.k, sub.modes)
            for f in fields(new):
                part = getattr(new, f.name)
                if isinstance(part, np.ndarray) and part.ndim:
                    getattr(self.ctl, f.name)[rows] = part
        sim.modes[full] = sub.modes
        sim.book.put(full, sub.book)
        self.frozen[rows] = sub.modes == FROZEN
        for whole, part in zip(self.state, (sub.h, sub.s, sub.c, sub.v), strict=True):
            whole[rows] = part  # a release lifts c
        # the first boundary after each month where any of these members may change
        # something (at or before each one's own: may_change_at asks of them all)
        for at in set(month.tolist()):
            sub.month = at
            self.stop[rows[month == at]] = at + sub.quiet_months(self.end)
        self.waiting[rows] = False
        self.n_waiting -= rows.size
        self.begun[rows] = self.calls  # their month starts now
        self.events += 1

    def _record(self, rows: np.ndarray) -> None:
        """Keep the history rows at the boundary each of ``rows`` has just reached, as
        :meth:`History.record` writes them for every member at once. :meth:`_flush`
        writes them."""
        if not rows.size:
            return
        if self.kept + rows.size > self.at.size:
            self._flush()
        lo, hi = self.kept, self.kept + rows.size
        # (month, member) as one flat index: much cheaper than indexing two axes
        np.add(self.month[rows] * self.sim.n_members, self.rows[rows], out=self.at[lo:hi])
        h, s, c, v = self.state
        r = self.r
        parts = (h, s, c, r.a, r.ds, r.dc, v, self.frozen)
        for part, buffer in zip(parts, self.buffers, strict=True):
            # mode="clip" (the rows are in range) writes to ``out`` without a copy; the
            # method, not np.take(): its wrapper cost 2 us a call, the take itself 0.7
            part.take(rows, 0, buffer[lo:hi], "clip")
        self.kept = hi

    def _flush(self) -> None:
        """Write the kept history rows, all at once: one write per array, not per step."""
        hist, labs, at = self.sim.history, self.sim.n_labs, self.at[: self.kept]
        wholes = (hist.h, hist.s, hist.c, hist.a, hist.ds, hist.dc, hist.v, hist.paused)
        for whole, buffer in zip(wholes, self.buffers, strict=True):
            flat = whole.reshape(-1) if whole.ndim == 2 else whole.reshape(-1, labs)
            flat[at] = buffer[: self.kept]
        self.kept = 0
