"""Reusable plot items: axes labelled in human terms, development-pause marks, grid.

The grid is a pool of InfiniteLines rather than pyqtgraph's axis grid: an axis that
draws the grid spans the whole plot, so every curve update would repaint all its tick
text; lines are repainted cheaply and only move when a range changes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from rsiviz.gui.theme import PAUSE_FILL, Theme
from rsiviz.gui.units import tick_label, tick_values

MAX_SPANS = 4
MAX_GRID = 16


class UnitAxis(pg.AxisItem):
    """A value axis whose ticks are placed and labelled in human terms (see units.py)."""

    def __init__(self, unit: str, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.unit = unit

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        max_ticks = max(3, int(size / 45))
        return [(1.0, tick_values(self.unit, minVal, maxVal, max_ticks))]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return [tick_label(self.unit, v) for v in values]


class YearAxis(pg.AxisItem):
    """Calendar years, whole years only (no '2,026', no '2026.5')."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        span = max(maxVal - minVal, 1e-9)
        step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= max(2, size / 110))
        first = np.ceil(minVal / step) * step
        return [(float(step), list(np.arange(first, maxVal + 1e-9, step)))]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return [f"{v:.0f}" for v in values]


def make_curve(plot: pg.PlotItem, **kw: object) -> pg.PlotCurveItem:
    item = pg.PlotCurveItem(antialias=True, skipFiniteCheck=True, **kw)
    plot.addItem(item)
    return item


class SpanMarks:
    """A fixed pool of shaded regions and end lines marking development pauses."""

    def __init__(self, plot: pg.PlotItem, label_ends: bool) -> None:
        self._shown: list[tuple[float, float, bool]] | None = None
        self.regions = [
            pg.LinearRegionItem(movable=False, brush=PAUSE_FILL, pen=pg.mkPen(None))
            for _ in range(MAX_SPANS)
        ]
        self.ends = [
            pg.InfiniteLine(
                angle=90,
                movable=False,
                label="development pause ends" if label_ends else None,
                labelOpts={"position": 0.93, "color": "#D55E00"},
            )
            for _ in range(MAX_SPANS)
        ]
        for item in (*self.regions, *self.ends):
            item.setZValue(-20)
            item.hide()
            plot.addItem(item, ignoreBounds=True)

    def show(self, marks: list[tuple[float, float, bool]]) -> None:
        if marks == self._shown:
            return  # unchanged: moving a region repaints the whole plot height
        self._shown = marks
        for i, (region, end) in enumerate(zip(self.regions, self.ends, strict=True)):
            if i < len(marks):
                start, stop, ended = marks[i]
                region.setRegion((start, max(stop, start + 1e-3)))
                region.show()
                end.setPos(stop)
                end.setVisible(ended)
            else:
                region.hide()
                end.hide()

    def restyle(self, theme: Theme, font_size: float) -> None:
        for end in self.ends:
            end.setPen(theme.pen("pause", 0.8))
            label = getattr(end, "label", None)
            if label is not None:
                label.setFont(theme.font(0.85, bold=True))


class GridLines:
    """Grid lines at an axis's tick positions, behind the curves."""

    def __init__(self, plot: pg.PlotItem, axis_name: str) -> None:
        self.plot = plot
        self.axis = plot.getAxis(axis_name)
        self.angle = 90 if axis_name == "bottom" else 0
        self.lines = [pg.InfiniteLine(angle=self.angle, movable=False) for _ in range(MAX_GRID)]
        for line in self.lines:
            line.setZValue(-15)
            line.hide()
            plot.addItem(line, ignoreBounds=True)

    def refresh(self) -> None:
        """Move the lines to the axis's current ticks (call after a range change)."""
        view = self.plot.getViewBox()
        lo, hi = view.viewRange()[0 if self.angle == 90 else 1]
        size = view.width() if self.angle == 90 else view.height()
        values = [v for _, level in self.axis.tickValues(lo, hi, max(size, 1.0)) for v in level]
        for i, line in enumerate(self.lines):
            if i < len(values):
                line.setPos(values[i])
                line.show()
            else:
                line.hide()

    def restyle(self, theme: Theme) -> None:
        pen = pg.mkPen(200, 200, 200, width=max(1.0, theme.line_width(0.3)))
        for line in self.lines:
            line.setPen(pen)
