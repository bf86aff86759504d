"""Month-by-month record of a simulation, and the output columns of MODEL.md."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from rsiviz.core.calibration import metr_horizon_at_start
from rsiviz.core.model import FROZEN, LOG10_2, Constants, FloatArray, _flat
from rsiviz.core.params import Params

if TYPE_CHECKING:
    from rsiviz.core.simulation import Simulation

COLUMNS: tuple[str, ...] = (
    "year",
    "capability",
    "potential",
    "oversight",
    "gap",
    "automation",
    "progress_multiplier",
    "doubling_time_months",
    "metr_horizon_minutes",
    "paused",
)
LAB_COLUMNS: tuple[str, ...] = ("capability", "potential", "automation", "paused")


def doubling_time_months(dc: FloatArray) -> FloatArray:
    """Capability doubling time (months) at growth ``dc`` (OOM/yr); ``inf`` when not growing."""
    with np.errstate(divide="ignore"):
        return np.where(dc > 1e-9, LOG10_2 / np.maximum(dc, 1e-300) * 12.0, np.inf)


def lab_slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "lab"


class History:
    """Preallocated arrays, one row per month boundary (``n_months + 1`` rows).

    Lab arrays are ``(T, N, L)``, field-wide arrays ``(T, N)``; only rows up to
    :attr:`length` are filled.
    """

    def __init__(
        self, n_months: int, members: int, labs: int, params: Params, k: Constants
    ) -> None:
        rows = n_months + 1
        self.k = k
        self.params = params
        self.years = k.t0 + np.arange(rows) / 12.0
        shape = (rows, members, labs)
        self.h, self.s, self.c = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        self.a, self.ds, self.dc = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        self.paused = np.zeros(shape, dtype=bool)
        self.v = np.zeros((rows, members))
        self.length = 0

    def record(self, month: int, sim: Simulation) -> None:
        r = sim._rates
        assert r is not None
        self.h[month], self.s[month], self.c[month] = sim.h, sim.s, sim.c
        self.a[month], self.ds[month], self.dc[month] = r.a, r.ds, r.dc
        self.paused[month] = sim.modes == FROZEN
        self.v[month] = sim.v
        self.length = month + 1

    # -- derived quantities over the filled rows ------------------------------------------
    def _sl(self, arr: np.ndarray) -> np.ndarray:
        return arr[: self.length]

    @property
    def time(self) -> FloatArray:
        return self.years[: self.length]

    def frontier_index(self) -> np.ndarray:
        """(T, N) index of the most capable lab."""
        return np.argmax(self._sl(self.c), axis=2)

    def _front(self, arr: np.ndarray) -> np.ndarray:
        return np.take_along_axis(self._sl(arr), self.frontier_index()[..., None], axis=2)[..., 0]

    def capability(self) -> FloatArray:
        return self._sl(self.c).max(axis=2)

    def potential(self) -> FloatArray:
        """The highest potential ``h + s`` of any lab: the most capable model anyone could
        train now. Continuous and never below :meth:`capability` (each lab's ``c <= h + s``);
        the potential of the currently most capable lab would drop when a paused leader
        is overtaken."""
        return np.asarray((self._sl(self.h) + self._sl(self.s)).max(axis=2), dtype=float)

    def oversight(self) -> FloatArray:
        return self._sl(self.v)

    def gap(self) -> FloatArray:
        return self.capability() - self.oversight()

    def automation(self) -> FloatArray:
        return self._front(self.a)

    def progress_multiplier(self, lab_axis: bool = False) -> FloatArray:
        g = _flat(self.k.g_s)
        if lab_axis:
            return self._sl(self.ds) / (g[:, None] if isinstance(g, np.ndarray) else g)
        return self._front(self.ds) / g

    def doubling_time_months(self, lab_axis: bool = False) -> FloatArray:
        """Capability doubling time, months; ``inf`` while capability is not growing."""
        return doubling_time_months(self._sl(self.dc) if lab_axis else self._front(self.dc))

    def metr_horizon_minutes(self, c: FloatArray | None = None) -> FloatArray:
        """METR 50% time horizon, H0 10^(e_H (c - c(t0))), minutes."""
        c = self.capability() if c is None else c
        e_h = _flat(self.k.e_h)
        return metr_horizon_at_start(self.k.t0) * 10.0 ** (e_h * c)

    def any_paused(self) -> np.ndarray:
        return self._sl(self.paused).any(axis=2)

    def columns(self, member: int = 0, lab_names: tuple[str, ...] = ()) -> dict[str, FloatArray]:
        """The time-series columns of MODEL.md for one member (per-lab columns in a race)."""
        out: dict[str, FloatArray] = {
            "year": self.time,
            "capability": self.capability()[:, member],
            "potential": self.potential()[:, member],
            "oversight": self.oversight()[:, member],
            "gap": self.gap()[:, member],
            "automation": self.automation()[:, member],
            "progress_multiplier": self.progress_multiplier()[:, member],
            "doubling_time_months": self.doubling_time_months()[:, member],
            "metr_horizon_minutes": self.metr_horizon_minutes()[:, member],
            "paused": self.any_paused()[:, member].astype(float),
        }
        if len(lab_names) > 1:
            for j, name in enumerate(lab_names):
                slug = lab_slug(name)
                out[f"{slug}_capability"] = self._sl(self.c)[:, member, j]
                out[f"{slug}_potential"] = (self._sl(self.h) + self._sl(self.s))[:, member, j]
                out[f"{slug}_automation"] = self._sl(self.a)[:, member, j]
                out[f"{slug}_paused"] = self._sl(self.paused)[:, member, j].astype(float)
        return out
