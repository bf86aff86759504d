"""Runtime state of link cuts: when each starts, and the values it holds.

A :class:`~rsiviz.core.interventions.LinkCut` holds one influence of the loop at its value
at the month boundary where the cut starts (MODEL.md, "Link cuts"). The held values go
into the lab controls (:class:`~rsiviz.core.model.LabControls`), which both integrator
paths pass to the one copy of the equations, like the development-pause factors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from rsiviz.core.interventions import LinkCut
from rsiviz.core.model import LabControls, _flat, ceilings, pick, rates
from rsiviz.core.params import ParameterError

if TYPE_CHECKING:
    from rsiviz.core.simulation import Simulation


class CutBook:
    """The link cuts of one simulation, and the controls they set once started."""

    def __init__(self, start_year: float, years: float) -> None:
        self.start_year, self.years = start_year, years
        self.cuts: tuple[LinkCut, ...] = ()
        self.started: list[bool] = []
        self.held: dict[str, dict[str, Any]] = {}  # link -> LabControls fields it sets

    def add(self, cut: LinkCut) -> None:
        """Add a cut; a link can be cut once, and only inside the run."""
        if any(c.name == cut.name for c in self.cuts):
            raise ParameterError(f"link {cut.name!r} is cut twice")
        cut.check_within(self.start_year, self.years)
        self.cuts = (*self.cuts, cut)
        self.started.append(False)

    def update(self, sim: Simulation) -> bool:
        """Start the cuts due at the current month boundary; whether any started.

        Held values are read from the state at this boundary, after development pauses
        have started or ended here (so the oversight uplift holds the rate from now on).
        """
        due = [
            i for i, cut in enumerate(self.cuts) if not self.started[i] and in_force(cut, sim.time)
        ]
        for i in due:
            self.started[i] = True
            self.held[self.cuts[i].name] = _held(self.cuts[i].name, sim)
        return bool(due)

    def may_change_at(self, t: float) -> bool:
        """Whether a cut not yet in force starts at a boundary at time ``t``."""
        return any(
            not started and in_force(cut, t)
            for cut, started in zip(self.cuts, self.started, strict=True)
        )

    def controls(self, ctl: LabControls) -> LabControls:
        """``ctl`` (the development-pause controls) with every started cut applied."""
        changes: dict[str, Any] = {}
        for fields in self.held.values():
            changes.update(fields)
        return replace(ctl, **changes) if changes else ctl

    def active(self) -> tuple[str, ...]:
        """Names of the links cut at the current month."""
        return tuple(name for name in self.held)


def in_force(cut: LinkCut, time: float) -> bool:
    """Whether ``cut`` holds its link at the month boundary ``time`` (calendar years)."""
    return cut.start is None or time >= cut.start - 1e-6


def _held(name: str, sim: Simulation) -> dict[str, Any]:
    """The LabControls fields that hold link ``name`` at the simulation's current state."""
    k = sim.k
    if name == "automation":
        return {"a_free": 0.0, "a_held": np.asarray(k.automation(sim.c), dtype=float)}
    if name == "ai_labour":
        return {"labour_free": 0.0, "labour_held": sim.h + sim.s}
    if name == "compute":  # growth stops, whatever a development pause allows
        return {"compute": 0.0}
    if name == "returns":
        # -B(s) continued from s_c with the slope it had there: r_eff held at r (1 - s_c/s_max)
        s_c = sim.s
        slope = k.k_b / (k.s_max - s_c)
        const = k.k_b * np.log1p(-s_c / k.s_max) + slope * s_c
        stop = np.full_like(s_c, ceilings(k)[1])
        return {"returns_free": 0.0, "returns_const": const, "returns_slope": slope, "s_stop": stop}
    # oversight_uplift: sigma (M - 1) at this boundary, M of the frontier lab
    r = rates(k, sim.time, sim.h, sim.s, sim.c, sim._ctl)
    m = pick(r.ds, np.argmax(sim.c, axis=1)) / _flat(k.g_s)
    return {"uplift_free": 0.0, "uplift_held": _flat(k.sigma) * (m - 1.0)}


def check_cuts(cuts: Sequence[LinkCut], start_year: float, years: float) -> None:
    """Raise ParameterError for a cut outside the run or a link cut twice."""
    book = CutBook(start_year, years)
    for cut in cuts:
        book.add(cut)
