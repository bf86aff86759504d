"""Curves for any number of extra runs (kept runs, cut links) and percentile bands.

The counterfactual and the previous run have fixed items in :class:`~rsiviz.gui.plots.Plots`
(there is one of each at most); kept runs and cut-link runs come and go, so their items are
pooled here by run key: created the first time a key appears, hidden (not deleted) when it
goes, so a frame still only calls ``setData``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from rsiviz.core.history import History
from rsiviz.core.viewstate import Band, Run
from rsiviz.gui.live_curve import LiveCurve
from rsiviz.gui.plot_items import make_curve
from rsiviz.gui.theme import OKABE_ITO, Theme
from rsiviz.gui.units import decimate

# Kept runs ("Run A", "Run B", ...) in the order they are shown; cut-link runs in black.
SAVED_STYLES: tuple[tuple[str, Qt.PenStyle], ...] = (
    (OKABE_ITO["orange"], Qt.PenStyle.DashLine),
    (OKABE_ITO["sky_blue"], Qt.PenStyle.DashDotLine),
    (OKABE_ITO["purple"], Qt.PenStyle.DotLine),
    (OKABE_ITO["yellow"], Qt.PenStyle.DashDotDotLine),
)
CUT_STYLE = ("#222222", Qt.PenStyle.DashDotDotLine)
BAND_COLOURS = {"with": (0, 114, 178), "without": (120, 120, 120)}  # blue / grey


@dataclass
class RunCurves:
    """Top and bottom curves of one extra run."""

    top: pg.PlotCurveItem
    bottom: pg.PlotCurveItem
    slot: int = 0


class RunOverlays:
    """Pooled curves for runs with the ``saved`` and ``cut`` roles."""

    def __init__(self, top: pg.PlotItem, bottom: pg.PlotItem, theme: Theme) -> None:
        self.top, self.bottom, self.theme = top, bottom, theme
        self.curves: dict[str, RunCurves] = {}
        self.shown: list[Run] = []

    def pen_for(self, run: Run, slot: int) -> tuple[str, Qt.PenStyle]:
        return CUT_STYLE if run.role == "cut" else SAVED_STYLES[slot % len(SAVED_STYLES)]

    def show(
        self,
        runs: list[Run],
        rows: int,
        series: Callable[[History, int], tuple[np.ndarray, np.ndarray]],
        max_points: int,
    ) -> tuple[list[float], list[float]]:
        """Draw ``runs`` (hide the rest); returns (top, bottom) value ranges for fitting."""
        top_vals: list[float] = []
        low_vals: list[float] = []
        keys = {r.key for r in runs}
        for key, curves in self.curves.items():
            if key not in keys:
                curves.top.hide()
                curves.bottom.hide()
        for slot, run in enumerate(runs):
            curves = self._curves(run, slot)
            h = run.history
            n = h.length if run.role == "saved" else min(rows, h.length)
            top, low = series(h, n)
            top_vals += _set(curves.top, h.years[:n], top, max_points)
            low_vals += _set(curves.bottom, h.years[:n], low, max_points)
            curves.top.show()
            curves.bottom.show()
        self.shown = list(runs)
        return top_vals, low_vals

    def _curves(self, run: Run, slot: int) -> RunCurves:
        curves = self.curves.get(run.key)
        if curves is None:
            curves = RunCurves(make_curve(self.top), make_curve(self.bottom), slot)
            self.curves[run.key] = curves
            self._style(run, curves, slot)
        elif curves.slot != slot:
            self._style(run, curves, slot)
        return curves

    def _style(self, run: Run, curves: RunCurves, slot: int) -> None:
        colour, style = self.pen_for(run, slot)
        curves.slot = slot
        curves.top.setPen(self.theme.make_pen(colour, style, 1.0))
        curves.bottom.setPen(self.theme.make_pen(colour, style, 1.0))

    def restyle(self) -> None:
        for run in self.shown:
            curves = self.curves[run.key]
            self._style(run, curves, curves.slot)

    def legend_items(self, runs: list[Run]) -> list[tuple[pg.PlotCurveItem, str]]:
        """Legend entries for ``runs`` (their curves made now if they are new)."""
        return [(self._curves(run, slot).top, run.label) for slot, run in enumerate(runs)]


@dataclass
class BandItems:
    """The 90% and 50% fills and the median line of one band."""

    outer: pg.FillBetweenItem
    inner: pg.FillBetweenItem
    edges: tuple[pg.PlotCurveItem, ...]
    median: pg.PlotCurveItem


class BandOverlays:
    """Pooled fills for percentile bands (the uncertainty fan on the main plots)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.items: dict[tuple[str, int], BandItems] = {}

    def show(
        self,
        plot: pg.PlotItem,
        bands: list[Band],
        to_axis: Callable[[np.ndarray], np.ndarray],
    ) -> list[float]:
        """Draw ``bands`` on ``plot`` (hide this plot's others); returns value ranges."""
        vals: list[float] = []
        wanted = {(b.key, id(plot)) for b in bands}
        for key, items in self.items.items():
            if key[1] == id(plot) and key not in wanted:
                _set_visible(items, False)
        for band in bands:
            items = self._items(plot, band)
            lv = {q: np.nan_to_num(to_axis(band.levels[q]), nan=0.0) for q in band.levels}
            for curve, q in zip(items.edges, (5.0, 95.0, 25.0, 75.0), strict=True):
                curve.setData(band.years, lv[q], skipFiniteCheck=True)
            items.median.setData(band.years, lv[50.0], skipFiniteCheck=True)
            _set_visible(items, True)
            vals += [float(np.min(lv[5.0])), float(np.max(lv[95.0]))]
        return vals

    def median_item(self, plot: pg.PlotItem, band: Band) -> pg.PlotCurveItem:
        """The band's median line (its legend sample)."""
        return self._items(plot, band).median

    def _items(self, plot: pg.PlotItem, band: Band) -> BandItems:
        key = (band.key, id(plot))
        items = self.items.get(key)
        if items is not None:
            return items
        r, g, b = BAND_COLOURS["without" if "without" in band.key else "with"]
        edges = tuple(pg.PlotCurveItem(pen=pg.mkPen(None)) for _ in range(4))
        for e in edges:
            # Never an empty curve under a fill: pyqtgraph can crash painting one.
            e.setData(band.years[:2], np.zeros(min(2, band.years.size)))
            plot.addItem(e)
        outer = pg.FillBetweenItem(edges[0], edges[1], brush=QColor(r, g, b, 40))
        inner = pg.FillBetweenItem(edges[2], edges[3], brush=QColor(r, g, b, 70))
        median = make_curve(plot)
        median.setPen(self.theme.make_pen(QColor(r, g, b).name(), Qt.PenStyle.DashLine, 0.7))
        for item, z in ((outer, -20), (inner, -19)):
            item.setZValue(z)
            plot.addItem(item)
        items = BandItems(outer, inner, edges, median)
        self.items[key] = items
        return items


def _set_visible(items: BandItems, on: bool) -> None:
    for item in (items.outer, items.inner, items.median, *items.edges):
        item.setVisible(on)


def _set(curve: LiveCurve, x: np.ndarray, y: np.ndarray, max_points: int) -> list[float]:
    """Show ``y`` over ``x`` on ``curve`` (a :func:`make_curve`); returns y's min and max."""
    if not np.isfinite(y).all():  # (checked first: nan_to_num costs more than the check)
        y = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    xs, ys = decimate(x, y, max_points)
    if not len(ys):
        curve.setData(xs, ys, skipFiniteCheck=True)
        return []
    bounds = (float(ys.min()), float(ys.max()))
    curve.set_xy(xs, ys, bounds)
    return list(bounds)
