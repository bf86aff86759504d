"""Runtime state of development pauses: triggers, ends, defection and release.

Everything here runs at month boundaries, per ensemble member (members reach a condition
at different times). See MODEL.md, "Development pauses".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from rsiviz.core.interventions import DevelopmentPause, Lab
from rsiviz.core.model import (
    FREE,
    FROZEN,
    GRADUAL,
    LAG,
    LOG10_2,
    Constants,
    FloatArray,
    LabControls,
    _flat,
    any_lab,
    most,
    pick,
    rates,
)
from rsiviz.core.params import ParameterError

if TYPE_CHECKING:
    from rsiviz.core.simulation import Simulation

PENDING, ACTIVE, DONE = 0, 1, 2
_RELEASE_CODE = {"instant": FREE, "gradual": GRADUAL, "no_catch_up": LAG}
_EPS = 1e-9
# condition metrics read from the state alone (the others need the boundary's rates)
_STATE_METRICS = ("capability", "gap")


class PauseBook:
    """The development pauses of one simulation and their per-member state."""

    def __init__(self, labs: Sequence[Lab], members: int) -> None:
        self.labs = tuple(labs)
        self.members = members
        self.pauses: tuple[DevelopmentPause, ...] = ()
        self.status: list[np.ndarray] = []  # (N,) PENDING / ACTIVE / DONE
        self.started: list[FloatArray] = []  # (N,) start time, years
        self.comply: list[np.ndarray] = []  # (L,) bool
        self.defected: list[np.ndarray] = []  # (N, L) bool

    def add(self, pause: DevelopmentPause) -> None:
        names = [lab.name for lab in self.labs]
        if pause.compliance is None:
            comply = np.array([lab.complies for lab in self.labs])
        else:
            unknown = [n for n in pause.compliance if n not in names]
            if unknown:
                raise ParameterError(
                    f"compliance names unknown lab {unknown[0]!r} (labs: {', '.join(names)})"
                )
            comply = np.array([n in pause.compliance for n in names])
        n, n_labs = self.members, len(self.labs)
        self.pauses = (*self.pauses, pause)
        self.status.append(np.zeros(n, dtype=np.int8))
        self.started.append(np.full(n, np.nan))
        self.comply.append(comply)
        self.defected.append(np.zeros((n, n_labs), dtype=bool))

    def fixed(self, release_mode: str) -> bool:
        """Whether every pause starts on a date, runs a fixed time (no end on oversight, no
        defection) and releases at once (``release_mode``: the run's default): then each
        boundary where anything may change (:meth:`may_change_at`) changes something for
        every member, at the same months for all."""
        return all(
            p.trigger == "date"
            and not p.until_oversight
            and not p.defection
            and (p.release or release_mode) == "instant"
            for p in self.pauses
        )

    def rolls(self) -> bool:
        """Whether members may cross this book's boundaries each on its own
        (:class:`~rsiviz.core.lanes.Lanes`): :meth:`changes` tells, member by member, where
        a boundary can change something. Not for a pause triggered by a rate (automation,
        progress multiplier, doubling time): those need the boundary's rates under the
        month-by-month controls, so every month would be a boundary for every member."""
        return all(p.trigger == "date" or p.metric in _STATE_METRICS for p in self.pauses)

    def changes(
        self,
        rows: np.ndarray,
        t: FloatArray,
        state: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
        theta: float | FloatArray,
        modes: np.ndarray,
    ) -> np.ndarray:
        """(n,) bool: where :meth:`update` at each member's own boundary may change
        anything, for the members ``rows`` (of this book) at times ``t`` (n,), in ``state``
        = (h, s, c, v) with defection thresholds ``theta`` (a float or (n, 1)) and modes
        ``modes`` (n, L).

        The tests of :meth:`update`, elementwise: a pending pause that triggers, an active
        one that ends or that a lab defects from, a releasing lab that has caught up. False
        only where :meth:`update` would change nothing: no status, start time, defection,
        mode or capability (tests/core/test_pauses.py holds it to that). A trigger on a
        rate is always True here (see :meth:`rolls`).
        """
        h, s, c, v = state
        out = any_lab(_caught_up(modes, h, s, c))
        metrics = _Metrics(c, v)  # the frontier and gap, when a test asks for them
        for pause, status, started, comply, defected in zip(
            self.pauses, self.status, self.started, self.comply, self.defected, strict=True
        ):
            st = status[rows]
            pending = st == PENDING
            if pending.any():
                on_state = pause.trigger == "date" or pause.metric in _STATE_METRICS
                out |= pending & (_triggered(pause, t, metrics) if on_state else True)
            active = st == ACTIVE
            if not active.any():
                continue
            out |= active & _ends(pause, metrics, (t - started[rows]) * 12.0)
            if pause.defection:
                out |= active & any_lab(_defectors(comply, defected[rows], c, theta))
        return np.asarray(out, dtype=bool)

    def subset(self, rows: np.ndarray) -> PauseBook:
        """The book of the members ``rows`` only (copies of their state)."""
        sub = PauseBook(self.labs, rows.size)
        sub.pauses, sub.comply = self.pauses, self.comply
        sub.status = [x[rows] for x in self.status]
        sub.started = [x[rows] for x in self.started]
        sub.defected = [x[rows] for x in self.defected]
        return sub

    def put(self, rows: np.ndarray, sub: PauseBook) -> None:
        """Write the state of :meth:`subset`'s book back to the members ``rows``."""
        for whole, part in zip(
            (*self.status, *self.started, *self.defected),
            (*sub.status, *sub.started, *sub.defected),
            strict=True,
        ):
            whole[rows] = part

    def frozen(self) -> np.ndarray:
        """(N, L) True where a lab is held by an active development pause."""
        out = np.zeros((self.members, len(self.labs)), dtype=bool)
        for st, comply, defected in zip(self.status, self.comply, self.defected, strict=True):
            out |= (st == ACTIVE)[:, None] & comply[None, :] & ~defected
        return out

    def update(self, sim: Simulation, t: FloatArray | None = None) -> bool:
        """Start, end and defect at the current month boundary; release labs. ``t``: each
        member's boundary time (n,) where members are at different months (rolling
        lanes), else ``sim.time``. Pauses triggered by a rate need ``t`` None.

        Returns whether any lab's mode may have changed.
        """
        time = sim.time if t is None else t
        if not self.pauses or self._quiet(sim, time):
            return False
        before = sim.modes.copy()
        was_frozen = sim.modes == FROZEN
        release = np.full(was_frozen.shape, -1, dtype=np.int8)
        metrics = _Metrics(sim.c, sim.v, sim)
        for i, pause in enumerate(self.pauses):
            code = _RELEASE_CODE[pause.release or sim.params.release_mode]
            st = self.status[i]
            start = (st == PENDING) & _triggered(pause, time, metrics)
            st[start] = ACTIVE
            begun = np.broadcast_to(time, st.shape)
            if pause.trigger == "date" and pause.start < sim.k.t0 - 1e-6:
                # dated before the run starts (its start year moved past it): its months
                # count from its date, so one over by then never holds a lab
                begun = np.full(st.shape, pause.start)
            self.started[i][start] = begun[start]
            active = st == ACTIVE
            if not active.any():
                continue
            end = active & _ends(pause, metrics, (time - self.started[i]) * 12.0)
            st[end] = DONE
            freed = end[:, None] & self.comply[i][None, :]
            if pause.defection:
                freed |= self._defect(i, st == ACTIVE, sim)
            release[freed & (release < 0)] = code
        frozen = self.frozen()
        _apply_release(sim, was_frozen & ~frozen, release)
        sim.modes[frozen] = FROZEN
        sim.modes[_caught_up(sim.modes, sim.h, sim.s, sim.c)] = FREE
        return bool((sim.modes != before).any())

    def _quiet(self, sim: Simulation, t: float | FloatArray) -> bool:
        """Whether nothing can start, end, defect or be released at this boundary.

        True when every lab trains freely, no pause is active, and every pending pause
        waits for a date still ahead: the full update would change nothing (a shortcut for
        the months before and after a pause, which is most of a run).
        """
        if (sim.modes != FREE).any():
            return False
        for pause, st in zip(self.pauses, self.status, strict=True):
            if (st == ACTIVE).any():
                return False
            due = (pause.trigger != "date") | (t >= pause.start - 1e-6)
            if (due & (st == PENDING)).any():
                return False
        return True

    def may_change_at(self, sim: Simulation, t: float) -> bool:
        """Whether :meth:`update` may change anything at a later boundary at time ``t`` if
        nothing changes before it (False lets the members run on without waiting there).

        False only while no lab is releasing (a released lab's catch-up depends on its
        state), and every pause is done, waits for a date after ``t``, or runs for a fixed
        time (no defection, no end on oversight) that has not elapsed at ``t``: the tests of
        :meth:`update` at ``t``.
        """
        if not self.pauses:
            return False
        if ((sim.modes == GRADUAL) | (sim.modes == LAG)).any():
            return True
        for pause, st, started in zip(self.pauses, self.status, self.started, strict=True):
            if (st == PENDING).any() and (pause.trigger != "date" or t >= pause.start - 1e-6):
                return True
            active = st == ACTIVE
            if active.any() and (
                pause.until_oversight
                or pause.defection
                or ((t - started[active]) * 12.0 >= pause.months - 1e-6).any()
            ):
                return True
        return False

    def _defect(self, i: int, active: np.ndarray, sim: Simulation) -> np.ndarray:
        new = active[:, None] & _defectors(self.comply[i], self.defected[i], sim.c, sim.k.theta)
        self.defected[i] |= new
        return np.asarray(new, dtype=bool)

    def controls(self, k: Constants, modes: np.ndarray) -> LabControls:
        frozen = modes == FROZEN
        return LabControls(
            research=np.where(frozen, k.pi_s, 1.0),
            compute=np.where(frozen, k.pi_h, 1.0),
            follow=(~frozen).astype(float),
            extra=np.where(modes == GRADUAL, k.release_rate, 0.0),
            boost=np.where(any_lab(frozen), _flat(k.boost), 1.0),
        )


def _apply_release(sim: Simulation, freed: np.ndarray, release: np.ndarray) -> None:
    if not freed.any():
        return
    release = np.where(release < 0, FREE, release)
    instant = freed & (release == FREE)
    q = sim.h + sim.s
    sim.c = np.where(instant, q, sim.c)
    sim.modes[instant] = FREE
    sim.modes[freed & (release == GRADUAL)] = GRADUAL
    sim.modes[freed & (release == LAG)] = LAG


def _ends(pause: DevelopmentPause, m: _Metrics, months_on: FloatArray) -> np.ndarray:
    """Where an active ``pause`` ends, ``months_on`` months after it started."""
    if pause.until_oversight:
        return np.asarray((m.gap <= pause.margin + _EPS) | (months_on >= pause.max_months - 1e-6))
    return np.asarray(months_on >= pause.months - 1e-6)


def _defectors(
    comply: np.ndarray, defected: np.ndarray, c: FloatArray, theta: float | FloatArray
) -> np.ndarray:
    """(N, L): complying labs not yet defected that the best non-complier leads by more
    than ``theta`` OOM (a float or (N, 1): broadcasts against (N, L))."""
    rival = most(np.where(comply[None, :], -np.inf, c))  # best non-complier
    return np.asarray(comply[None, :] & ~defected & (rival[:, None] > c + theta))


def _caught_up(modes: np.ndarray, h: FloatArray, s: FloatArray, c: FloatArray) -> np.ndarray:
    """(N, L): labs releasing gradually or without catch-up whose capability has reached
    its potential (they train freely from here)."""
    return np.asarray(((modes == GRADUAL) | (modes == LAG)) & (c >= h + s - _EPS))


class _Metrics:
    """Frontier quantities at a month boundary, computed only when a test asks: from the
    state (capability ``c``, oversight ``v``), or from ``sim``'s rates."""

    def __init__(self, c: FloatArray, v: FloatArray, sim: Simulation | None = None) -> None:
        self.c, self.v, self.sim = c, v, sim

    @cached_property
    def frontier(self) -> FloatArray:
        return most(self.c)  # compared only: the sign of a zero does not matter

    @cached_property
    def gap(self) -> FloatArray:
        return np.asarray(self.frontier - self.v)

    def rate_based(self, name: str) -> FloatArray:
        sim = self.sim
        assert sim is not None, "a trigger on a rate needs the simulation"
        r = rates(sim.k, sim.time, sim.h, sim.s, sim.c, sim._ctl)
        lead = np.argmax(sim.c, axis=1)
        if name == "automation":
            return pick(r.a, lead)
        if name == "progress_multiplier":
            return pick(r.ds, lead) / _flat(sim.k.g_s)
        dc = pick(r.dc, lead)
        with np.errstate(divide="ignore"):
            return np.where(dc > 0, LOG10_2 / np.maximum(dc, 1e-300) * 12.0, np.inf)


def _triggered(pause: DevelopmentPause, t: float | FloatArray, m: _Metrics) -> np.ndarray:
    n = m.c.shape[0]
    if pause.trigger == "date":
        return np.broadcast_to(t >= pause.start - 1e-6, (n,))
    if pause.metric == "capability":
        value = m.frontier
    elif pause.metric == "gap":
        value = m.gap
    else:
        value = m.rate_based(pause.metric)
    if pause.metric == "doubling_time_months":
        return np.asarray(value <= pause.threshold)
    return np.asarray(value >= pause.threshold)
