"""Re-running the whole future after an edit, without ever freezing the window.

A re-run computes three runs to their end: the new live run, its counterfactual (when live
development pauses exist) and the previous run (a copy, shown as a ghost). Most take a few
milliseconds and finish on the GUI thread within :data:`BUDGET_S`; a slow corner (a
three-lab race over 50 years at extreme parameters takes over a second) goes on in the
background through :class:`~rsiviz.gui.jobs.Jobs`, and a newer edit supersedes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rsiviz.core.simulation import Simulation

BUDGET_S = 0.04  # at most this long on the GUI thread before the rest moves off it
CHUNK_MONTHS = 6
# After this long, a re-run whose pace says it cannot finish within the budget stops at
# once instead of spending the rest of it: a slow corner's GUI-thread share drops from
# 40 ms to about this.
PROBE_S = 0.005


# a chunk of months stepped at once takes at most this share of the budget left, at the
# pace so far: a month that turns out this many times slower still fits
CHUNK_SHARE = 1 / 8


def _chunk(pace: float, left_s: float) -> int:
    """Months to step at once on the GUI thread: one until the pace is known (six months
    of a slow corner took 30 ms), then up to :data:`CHUNK_MONTHS` while they take at most
    :data:`CHUNK_SHARE` of the budget left. A chunk's quiet months run as one stretch
    (:meth:`Simulation.step`), several times cheaper than month by month."""
    if pace <= 0.0:
        return 1
    return max(1, min(CHUNK_MONTHS, int(left_s * CHUNK_SHARE / pace)))


class Rerun:
    """The runs one edit needs, stepped to their ends in chunks."""

    def __init__(self, live: Simulation, counterfactual: Simulation | None, previous: Simulation):
        self.live = live
        self.counterfactual = counterfactual
        self.previous = previous

    @property
    def sims(self) -> list[Simulation]:
        return [s for s in (self.previous, self.live, self.counterfactual) if s is not None]

    @property
    def done(self) -> bool:
        return all(s.done for s in self.sims)

    def _months_left(self) -> int:
        return sum(s.n_months - s.month for s in self.sims)

    def advance(self, budget_s: float | None = None) -> bool:
        """Step on the calling thread for up to ``budget_s`` (default :data:`BUDGET_S`);
        True once every run ended."""
        start = time.perf_counter()
        budget = BUDGET_S if budget_s is None else budget_s
        total, done, first = max(1, self._months_left()), 0, start
        for sim in self.sims:
            while not sim.done:
                now = time.perf_counter()
                spent = now - start
                if spent > budget:
                    return False
                # at the pace since the first month (not counting a wait before it), it
                # will not finish in time: the worker takes it from here
                pace = (now - first) / done if done else 0.0
                if spent > PROBE_S and spent + pace * (total - done) > budget:
                    return False
                if not done:
                    first = now
                before = sim.month
                sim.step(_chunk(pace, budget - spent))
                done += sim.month - before
        return True

    def finish(self, progress: Callable[[int, int], None]) -> Rerun:
        """Step every run to its end (worker thread), reporting months done."""
        total = max(1, self._months_left())
        for sim in self.sims:
            while not sim.done:
                sim.step(min(CHUNK_MONTHS, sim.n_months - sim.month))
                progress(total - self._months_left(), total)
        return self
