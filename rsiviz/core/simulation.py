"""A simulation that advances month by month, can be forked, and records its history.

One run is an ensemble of one: every array has a leading member axis ``N``; ensembles and
sweeps pass ``(N,)`` arrays of parameter values as ``overrides``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from rsiviz.core import floats
from rsiviz.core.cuts import CutBook
from rsiviz.core.history import History
from rsiviz.core.interventions import DEFAULT_LABS, DevelopmentPause, Lab, LinkCut
from rsiviz.core.lanes import Lanes, State, move
from rsiviz.core.model import (
    FROZEN,
    Constants,
    FloatArray,
    LabControls,
    Rates,
    build_constants,
    rates,
    take_members,
)
from rsiviz.core.params import Params
from rsiviz.core.pauses import PauseBook
from rsiviz.core.steps import MAX_SUBSTEPS, MONTH, step_limit

# Once at least half the members of an ensemble of this size or more have finished a month,
# the rest step on alone: an exploding member needs hundreds of sub-steps, most need one.
COMPACT_MIN = 32


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
    float_path : integrate a run of one member on Python floats (the default; several
        times faster than numpy on 1-element arrays, same equations and steps, see
        :mod:`rsiviz.core.floats`). ``False`` forces the array path (tests compare them).
    cuts : link cuts (MODEL.md, "Link cuts"), each applied from its start on.
    """

    # An ensemble's months that are not quiet also run in Lanes (cheaper: members that
    # have finished the month drop out). False: month by month, the reference path that
    # tests/core/test_lanes.py holds the lanes to, bit for bit.
    lanes_for_one_month = True
    # A single run's quiet months run in one loop on floats (:meth:`_float_stretch`): no
    # boundary bookkeeping, no arrays, history rows written at once. False: month by
    # month, the reference path that tests/core/test_fast_path.py holds them to.
    float_stretches = True
    # An ensemble's members cross the boundaries of development pauses without waiting
    # for each other (see :meth:`step`, :class:`Lanes`). False: every member waits at each.
    rolling = True

    def __init__(
        self,
        params: Params | None = None,
        labs: Sequence[Lab] = DEFAULT_LABS,
        pauses: Sequence[DevelopmentPause] = (),
        overrides: dict[str, FloatArray] | None = None,
        members: int | None = None,
        a_fixed: float | None = None,
        float_path: bool = True,
        cuts: Sequence[LinkCut] = (),
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
        self._rates: Rates | floats.FloatRates | None = None
        self._ctl = self.book.controls(self.k, self.modes)
        self._floats = float_path and n == 1
        self._kf = floats.float_constants(self.k) if self._floats else self.k
        self._ctl_f = floats.FloatControls.of(self._ctl) if self._floats else None
        for pause in pauses:
            self.book.add(pause)
        self.cut_book = CutBook(self.k.t0, self.params.years)
        for cut in cuts:
            self.cut_book.add(cut)
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

    @property
    def cuts(self) -> tuple[LinkCut, ...]:
        return self.cut_book.cuts

    def step(self, months: int = 1, on_month: Callable[[], None] | None = None) -> None:
        """Advance ``months`` simulated months (stops at the end of the run).

        ``on_month()`` is called each time every member has finished one more month (it
        may raise to cancel; the simulation is then left part-way and must be dropped).
        Quiet stretches of an ensemble (:meth:`quiet_months`) run in :class:`Lanes`, each
        member at its own pace; the results are the same as month by month.
        """
        target = min(self.n_months, self.month + max(0, months))
        while self.month < target:
            span = self.quiet_months(target)
            if span > 1 and self._ctl_f is not None:
                self._float_stretch(span, on_month)
                self.month += span
            # lanes also for a single month of an ensemble: members that finished it
            # drop out, and runs without link cuts take the cheaper Fold sub-step
            elif span > 1 or (self._ctl_f is None and self.lanes_for_one_month):
                # Rolling: each member crosses the boundaries where a development pause
                # may change something on its own, instead of every member waiting there
                # for the slowest (whose explosion may take hundreds of sub-steps).
                rolling = self.rolling and not self.cut_book.cuts and self.book.rolls()
                end = target if rolling else self.month + span
                lanes = Lanes(self, end, self.month + span)
                reported = self.month
                while lanes.n_live:
                    lanes.step()
                    while on_month is not None and reported < min(lanes.lowest(), lanes.end - 1):
                        reported += 1
                        on_month()
                self.month = end
                if lanes.events:  # the members' modes changed: controls from them
                    self._ctl = self.book.controls(self.k, self.modes)
            else:
                self._advance_month()
                self.month += 1
            self._boundary()
            if on_month is not None:
                on_month()

    def quiet_months(self, target: int) -> int:
        """Months from now (at least 1, up to month ``target``) whose boundaries, all but
        the last, can change nothing: no development pause or link cut can start, end,
        defect or release there. 1 on the float path when :attr:`float_stretches` is off."""
        if self._ctl_f is not None and not self.float_stretches:
            return 1

        def may_change(month: int) -> bool:
            t = self.k.t0 + month * MONTH  # the clock of :attr:`time`
            return self.book.may_change_at(self, t) or self.cut_book.may_change_at(t)

        # may_change() is monotone in the month (each of its tests is constant or "t has
        # reached a time"): the first month where it holds, by bisection
        low, high = self.month + 1, target  # found in [low, high]; high: none before target
        if low < high and may_change(low):
            return 1  # the next boundary already (a pause that checks every month)
        if low < high and not may_change(high - 1):
            return high - self.month  # none before the target (all pauses over)
        while low < high:
            mid = (low + high) // 2
            if may_change(mid):
                high = mid
            else:
                low = mid + 1
        return low - self.month

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

    def cut(self, cut: LinkCut) -> None:
        """Add a link cut; one that is due now starts at the current month."""
        self.cut_book.add(cut)
        self._boundary()

    def fork(self) -> Simulation:
        """An independent copy from this moment (for the counterfactual without a pause)."""
        return copy.deepcopy(self)

    # -- internals ----------------------------------------------------------------------
    def _boundary(self) -> None:
        """Apply development-pause starts, ends and defections, and due link cuts; record
        this month."""
        changed = self.book.update(self)  # controls change only when a lab's mode does
        if changed:
            self._ctl = self.cut_book.controls(self.book.controls(self.k, self.modes))
        if self.cut_book.update(self):  # holds values under this month's pause controls
            self._ctl = self.cut_book.controls(self.book.controls(self.k, self.modes))
            changed = True
        if changed and self._floats:
            self._ctl_f = floats.FloatControls.of(self._ctl)
        if self._ctl_f is not None:
            h, s, c, _ = self._float_state()
            self._rates = floats.float_rates(self._kf, self.time, h, s, c, self._ctl_f)
        else:
            self._rates = rates(self.k, self.time, self.h, self.s, self.c, self._ctl)
        self.history.record(self.month, self)

    def members_at(
        self, rows: np.ndarray, month: int, state: State, k: Constants, ctl: LabControls
    ) -> Simulation:
        """The members ``rows`` alone at the boundary of ``month``, in ``state`` with
        constants ``k`` and controls ``ctl`` (theirs): for :class:`Lanes` to apply a
        development pause's start or end to them (what :meth:`_boundary` does for every
        member, member by member). No link cuts; no history."""
        sub = object.__new__(Simulation)
        sub.params, sub.labs, sub.k, sub._kf = self.params, self.labs, k, k
        sub.n_members, sub.n_labs, sub.n_months = rows.size, self.n_labs, self.n_months
        sub.h, sub.s, sub.c, sub.v = state
        sub.month, sub.modes, sub.book = month, self.modes[rows], self.book.subset(rows)
        sub.cut_book = CutBook(self.k.t0, self.params.years)
        sub._ctl, sub._rates, sub._floats, sub._ctl_f = ctl, None, False, None
        return sub

    def _advance_month(self) -> None:
        """Integrate one month; each member takes its own sub-steps.

        Software follows :func:`log_linear_increment` (exact while log10 of its rate is
        locally linear), compute is linear, capability follows potential, and oversight
        is integrated exactly from the software increment (its rate is linear in M).
        Step sizes keep every level's move under MAX_MOVE OOM and the change of log10
        of the software rate under MAX_LOG_RATE_CHANGE.
        """
        if self._ctl_f is not None:
            self._advance_month_floats(self._ctl_f)
            return
        k, ctl = self.k, self._ctl
        t_start = self.time
        elapsed = np.zeros((self.n_members, 1))
        r = self._rates
        assert isinstance(r, Rates)
        state = (self.h, self.s, self.c, self.v)
        full: State | None = None  # all members, once some have been set aside
        rows: np.ndarray | None = None  # rows of `full` still stepping
        done = np.zeros(self.n_members, dtype=bool)
        for i in range(MAX_SUBSTEPS):
            # a member that has finished the month stands still (a zero step is exact)
            left = np.where(done[:, None], 0.0, MONTH - elapsed)
            state, dt = _substep(k, ctl, r, state, left, i == MAX_SUBSTEPS - 1)
            elapsed = elapsed + dt
            done = elapsed[:, 0] >= MONTH * (1 - 1e-12)
            if done.all():
                break
            if 2 * done.sum() >= done.size >= COMPACT_MIN:
                # Most members have finished the month: step only the others from here.
                full = _put_back(full, rows, state)
                keep = np.flatnonzero(~done)
                rows = keep if rows is None else rows[keep]
                k, ctl = take_members(k, keep), take_members(ctl, keep)
                state = tuple(x[keep] for x in state)  # type: ignore[assignment]
                elapsed, done = elapsed[keep], done[keep]
            r = rates(k, t_start + elapsed, *state[:3], ctl)
        self.h, self.s, self.c, self.v = _put_back(full, rows, state)

    def _float_stretch(self, span: int, on_month: Callable[[], None] | None) -> None:
        """``span`` quiet months of one member on floats, to the boundary before the
        last one (which :meth:`step` takes as usual): what :meth:`_advance_month_floats` and
        :meth:`_boundary` do month by month, where a quiet boundary only computes the rates
        and records the row, with the history rows written at once at the end."""
        ctl, kf, r = self._ctl_f, self._kf, self._rates
        assert ctl is not None and isinstance(r, floats.FloatRates)
        state = self._float_state()
        t0, first = self.k.t0, self.month
        rows: list[tuple[list[float], list[float], list[float], float, floats.FloatRates]] = []
        for month in range(first, first + span):
            state = floats.advance_month(kf, ctl, r, t0 + month * MONTH, state)
            if month + 1 < first + span:
                h, s, c, _ = state
                r = floats.float_rates(kf, t0 + (month + 1) * MONTH, h, s, c, ctl)
                rows.append((*state, r))
                if on_month is not None:
                    on_month()
        if rows:
            at = slice(first + 1, first + 1 + len(rows))
            hist = self.history
            for name, column in (("h", 0), ("s", 1), ("c", 2)):
                getattr(hist, name)[at, 0] = [row[column] for row in rows]
            hist.v[at, 0] = [row[3] for row in rows]
            hist.a[at, 0] = [row[4].a for row in rows]
            hist.ds[at, 0] = [row[4].ds for row in rows]
            hist.dc[at, 0] = [row[4].dc for row in rows]
            hist.paused[at] = self.modes == FROZEN
            hist.length = at.stop
        self._set_float_state(state)

    def _float_state(self) -> tuple[list[float], list[float], list[float], float]:
        """The one member's (h, s, c, v): per-lab lists and the oversight level."""
        return self.h[0].tolist(), self.s[0].tolist(), self.c[0].tolist(), float(self.v[0])

    def _set_float_state(self, state: tuple[list[float], list[float], list[float], float]) -> None:
        h, s, c, v = state
        self.h, self.s, self.c, self.v = np.array([h]), np.array([s]), np.array([c]), np.array([v])

    def _advance_month_floats(self, ctl: floats.FloatControls) -> None:
        """:meth:`_advance_month` for one member, step for step, on floats."""
        r = self._rates
        assert isinstance(r, floats.FloatRates)
        self._set_float_state(
            floats.advance_month(self._kf, ctl, r, self.time, self._float_state())
        )


class MonthCounter:
    """Months done by every member, across simulations and chunks, reported as
    ``progress(done, total)`` (which may raise to cancel). :meth:`run` steps a simulation
    in one call, so its quiet months run as stretches while each month still counts."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        """One more month (or chunk of work) done."""
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def run(self, sim: Simulation, months: int) -> None:
        sim.step(months, on_month=self.tick)


def _substep(
    k: Constants, ctl: LabControls, r: Rates, state: State, left: FloatArray, last: bool
) -> tuple[State, FloatArray]:
    """One sub-step of every member in ``state`` = (h, s, c, v); returns it and the steps."""
    dt = left if last else np.minimum(left, step_limit(k, ctl, r, state[1], state[3])[:, None])
    return move(k, ctl, r, state, dt), dt


def _put_back(full: State | None, rows: np.ndarray | None, state: State) -> State:
    """The full (h, s, c, v) with the members still stepping (``rows``) updated."""
    if full is None or rows is None:
        return state
    for whole, part in zip(full, state, strict=True):
        whole[rows] = part
    return full


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
