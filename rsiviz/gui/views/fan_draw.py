"""What the fan view draws, prepared on the worker thread that computed the fan.

Drawing a 1,000-run fan on the GUI thread cost about 40 ms over three event-loop turns on
the CI machine: the fills' outlines rebuilt twice each (pyqtgraph's ``FillBetweenItem``
rebuilds its path whenever either edge changes), every band curve's data bounds searched
again at the next paint, and the readouts' counts over (T, N) arrays. All of that is array
and path work that touches no widget: :func:`prepare` does it next to the computation, and
the GUI thread only hands the results to the plot items (``QPainterPath`` is a value type,
not a ``QObject``: building one off the GUI thread is safe).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath

from rsiviz.core.fan import QUANTITIES, WITH_PAUSE, WITHOUT_PAUSE, Fan, Probability
from rsiviz.gui.units import multiplier_to_axis

EDGE_LEVELS = (5.0, 95.0, 25.0, 75.0)  # the order of a band's edge curves
FILLS = ((0, 1), (2, 3))  # edges bounding the 90% and the 50% fill
# P(capability reaches X by year Y) and the other readouts, per variant
Readings = dict[str, dict[str, Probability]]


def axis_values(quantity: str, values: np.ndarray) -> np.ndarray:
    """Plot coordinates: the progress multiplier on a log10 axis, levels as they are."""
    return multiplier_to_axis(values) if quantity == "progress_multiplier" else values


@dataclass(frozen=True)
class BandShape:
    """One variant's band of one quantity, ready to set: levels in plot coordinates, each
    level's (min, max), and the outlines of the 90% and 50% fills."""

    levels: dict[float, np.ndarray]
    bounds: dict[float, tuple[float, float]]
    fills: tuple[QPainterPath, QPainterPath]


@dataclass(frozen=True)
class FanDrawing:
    """A fan and everything its view draws from it, for every quantity a plot can show."""

    fan: Fan
    shapes: dict[tuple[str, str], BandShape]  # (variant, quantity)
    y_ranges: dict[str, tuple[float, float]]  # quantity -> (low, high) over both variants
    readings: Readings | None = None  # the readouts at ``readings_at``
    readings_at: tuple[float, float] | None = None  # (X, Y) of the readouts


def fill_path(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> QPainterPath:
    """The outline ``FillBetweenItem`` draws between two curves of (x, lower), (x, upper),
    built the same way (so the pixels are the same)."""
    one = pg.functions.arrayToQPath(x, lower, connect="all", finiteCheck=False)
    two = pg.functions.arrayToQPath(x, upper, connect="all", finiteCheck=False)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)  # FillBetweenItem's (QGraphicsPathItem's) rule
    ps1 = one.toSubpathPolygons()
    ps2 = two.toReversed().toSubpathPolygons()
    ps2.reverse()
    for p1, p2 in zip(ps1, ps2, strict=False):
        path.addPolygon(p1 + p2)
    return path


def band_shape(years: np.ndarray, quantity: str, levels: dict[float, np.ndarray]) -> BandShape:
    shown = {k: np.ascontiguousarray(axis_values(quantity, v)) for k, v in levels.items()}
    bounds = {k: (float(np.nanmin(v)), float(np.nanmax(v))) for k, v in shown.items()}
    edges = [shown[level] for level in EDGE_LEVELS]
    fills = tuple(fill_path(years, edges[lo], edges[hi]) for lo, hi in FILLS)
    return BandShape(shown, bounds, (fills[0], fills[1]))


def readings(fan: Fan, level: float, year: float) -> Readings:
    """The readouts' probabilities for each variant of ``fan`` (X = ``level``, Y = ``year``)."""
    return {
        variant: {
            "capability": fan.p_capability_reaches(level, year, variant),
            "catch_up": fan.p_oversight_catches_up(variant),
            "m5": fan.p_multiplier_reaches(5.0, variant),
            "m25": fan.p_multiplier_reaches(25.0, variant),
        }
        for variant in fan.variants
    }


def prepare(fan: Fan, at: tuple[float, float] | None = None) -> FanDrawing:
    """Everything the view draws from ``fan`` (call it on the worker thread); ``at``:
    the readouts' (X, Y), read on the GUI thread when the work was made."""
    shapes = {
        (variant, q): band_shape(fan.years, q, fan.bands[variant][q])
        for variant in (WITH_PAUSE, WITHOUT_PAUSE)
        if variant in fan.bands
        for q in QUANTITIES
    }
    y_ranges = {}
    for q in QUANTITIES:  # over the 5th and 95th percentiles of every variant
        ends = [
            e for (_, k), s in shapes.items() if k == q for lv in (5.0, 95.0) for e in s.bounds[lv]
        ]
        y_ranges[q] = (float(np.nanmin(ends)), float(np.nanmax(ends)))
    found = None if at is None else readings(fan, *at)
    return FanDrawing(fan, shapes, y_ranges, found, at)
