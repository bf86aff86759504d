"""The fan view's two plots: bands of capability (top) and of the gap or the progress
multiplier (bottom), with the live run on top.

The bands arrive prepared (:mod:`rsiviz.gui.views.fan_draw`): the GUI thread only sets
them. While the run plays, only the live line changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainterPath

from rsiviz.core.fan import WITH_PAUSE, WITHOUT_PAUSE, Fan
from rsiviz.gui.plot_items import GridLines, UnitAxis, YearAxis, make_curve, quiet_hidden_axes
from rsiviz.gui.theme import OKABE_ITO, Theme
from rsiviz.gui.views.fan_draw import EDGE_LEVELS, FILLS, BandShape, FanDrawing, axis_values

# With the development pause: blue (the live run's colour); without: orange.
COLOURS = {WITH_PAUSE: OKABE_ITO["blue"], WITHOUT_PAUSE: OKABE_ITO["orange"]}
ALPHA_90, ALPHA_50 = 45, 90
AXIS_TITLES = {"capability": "Capability", "gap": "Gap", "progress_multiplier": "Multiplier"}


def style_axes(plot: pg.PlotItem, theme: Theme, relative: float = 0.85) -> None:
    """Dark tick text and axis lines at the theme's size (pyqtgraph's grey fades on a
    projector)."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(theme.font(relative))
        axis.setPen(pg.mkPen("#222", width=max(1.0, theme.line_width(0.4))))
        axis.setTextPen("#111")


class _FanItems:
    """The plot items of one variant on one plot: its 90% and 50% bands and the median.

    The variant with the development pause is drawn as filled bands; the one without as
    outlines (dotted: 90%, dashed: 50%), so the two never blend into a third colour.
    """

    def __init__(self, plot: pg.PlotItem, colour: str, filled: bool) -> None:
        self.edges = [make_curve(plot) for _ in range(4)]  # 5, 95, 25, 75
        self.colour, self.filled = colour, filled
        self.fills = []
        if filled:
            base = QColor(colour)
            for (lo, hi), alpha in zip(FILLS, (ALPHA_90, ALPHA_50), strict=True):
                base.setAlpha(alpha)
                fill = pg.FillBetweenItem(self.edges[lo], self.edges[hi], brush=pg.mkBrush(base))
                fill.setZValue(-5)
                for edge in (self.edges[lo], self.edges[hi]):  # its path comes ready-made
                    edge.sigPlotChanged.disconnect(fill.curveChanged)
                plot.addItem(fill)
                self.fills.append(fill)
        self.median = make_curve(plot)

    def apply_theme(self, theme: Theme) -> None:
        self.median.setPen(theme.make_pen(self.colour, Qt.PenStyle.SolidLine, 1.0))
        for i, edge in enumerate(self.edges):
            if self.filled:
                edge.setPen(pg.mkPen(None))
            else:
                style = Qt.PenStyle.DotLine if i < 2 else Qt.PenStyle.DashLine
                edge.setPen(theme.make_pen(self.colour, style, 0.6))

    def set_shape(self, years: np.ndarray, shape: BandShape | None) -> None:
        """Show a band prepared off the GUI thread (None: clear it)."""
        if shape is None:
            for curve in (*self.edges, self.median):
                curve.setData([], [])
            for fill in self.fills:
                fill.setPath(QPainterPath())
            return
        for curve, level in zip(self.edges, EDGE_LEVELS, strict=True):
            curve.set_xy(years, shape.levels[level], shape.bounds[level])
        self.median.set_xy(years, shape.levels[50.0], shape.bounds[50.0])
        for fill, path in zip(self.fills, shape.fills, strict=False):
            fill.setPath(path)


class FanPlots(pg.GraphicsLayoutWidget):
    """Capability (top) and the gap or the progress multiplier (bottom), linked in time."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.setBackground("w")
        self.lower = "gap"
        self.top = self.addPlot(  # no context menu (see Plots)
            0,
            0,
            axisItems={"left": UnitAxis("oom"), "bottom": YearAxis("bottom")},
            enableMenu=False,
        )
        self.bottom = self.addPlot(
            1,
            0,
            axisItems={"left": UnitAxis("gap"), "bottom": YearAxis("bottom")},
            enableMenu=False,
        )
        self.bottom.setXLink(self.top)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        for plot in (self.top, self.bottom):
            # Auto-range is off: besides repainting twice, pyqtgraph's auto-range over
            # FillBetweenItems of still-empty curves crashes (segfault) on the next paint.
            plot.disableAutoRange()
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            quiet_hidden_axes(plot)
        # Grid lines of their own, not the axes' (showGrid): an axis that draws the grid
        # spans the plot, so each strip the live run repaints also repainted both axes
        # with all their tick text (3.4 ms a strip, 12 ms the whole view).
        self.grids = [
            GridLines(plot, name) for plot in (self.top, self.bottom) for name in ("left", "bottom")
        ]
        for plot in (self.top, self.bottom):
            plot.getViewBox().sigTransformChanged.connect(self._refresh_grid)
        self.items = {
            (plot_name, v): _FanItems(plot, COLOURS[v], filled=v == WITH_PAUSE)
            for plot_name, plot in (("top", self.top), ("bottom", self.bottom))
            for v in (WITHOUT_PAUSE, WITH_PAUSE)
        }
        self.live = {"top": make_curve(self.top), "bottom": make_curve(self.bottom)}
        for curve in self.live.values():
            curve.setZValue(10)  # the live run on top of every band
        self.zero = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.bottom.addItem(self.zero, ignoreBounds=True)
        self.fan: Fan | None = None
        self.drawing: FanDrawing | None = None
        self._live_key: tuple[Any, ...] | None = None  # what the live line shows
        self.apply_theme()

    def apply_theme(self) -> None:
        t = self.theme
        for items in self.items.values():
            items.apply_theme(t)
        for curve in self.live.values():
            curve.setPen(t.make_pen("#111111", Qt.PenStyle.SolidLine, 0.8))
        self.zero.setPen(t.make_pen("#777777", Qt.PenStyle.DotLine, 0.5))
        for grid in self.grids:
            grid.set_colour((0, 0, 0, 38), 1.0)  # (showGrid's alpha 0.15 of black)
        for plot in (self.top, self.bottom):
            style_axes(plot, t)
        style = {"font-size": f"{t.point_size(0.85):.0f}pt", "color": "#111"}
        self.top.setLabel("left", AXIS_TITLES["capability"], **style)
        self.bottom.setLabel("left", AXIS_TITLES[self.lower], **style)
        self.top.getAxis("bottom").setStyle(showValues=False)  # the lower plot has the years

    def _refresh_grid(self, *_: object) -> None:
        for grid in self.grids:
            grid.refresh()

    def set_lower(self, quantity: str) -> None:
        self.lower = quantity
        axis = self.bottom.getAxis("left")
        assert isinstance(axis, UnitAxis)
        axis.unit = "multiplier" if quantity == "progress_multiplier" else "gap"
        self.zero.setVisible(quantity == "gap")
        self.bottom.setLabel("left", AXIS_TITLES[quantity])
        if self.drawing is not None:
            self.show_fan(self.drawing)

    def show_fan(self, drawing: FanDrawing) -> None:
        """Draw every band of a prepared fan; a variant it lacks is cleared."""
        self.drawing, self.fan = drawing, drawing.fan
        years = drawing.fan.years
        self.top.setXRange(float(years[0]), float(years[-1]), padding=0.01)
        for plot, q in ((self.top, "capability"), (self.bottom, self.lower)):
            lo, hi = drawing.y_ranges[q]
            plot.setYRange(lo, hi + 1e-6, padding=0.05)
            # Now, not in the next paint: pyqtgraph applies a new range while painting,
            # which moved every item and painted the whole fan a second time (~10 ms).
            # And before the bands: moving a curve drops the data bounds it was given.
            plot.getViewBox().updateMatrix()
        for (plot_name, variant), items in self.items.items():
            q = "capability" if plot_name == "top" else self.lower
            items.set_shape(years, drawing.shapes.get((variant, q)))

    def show_live(self, frame: Any) -> None:
        """The live run up to the month on screen (``frame`` is a view-state Snapshot).

        A frame that shows what is already drawn (the same run to the same month: frames
        re-sent because bands or other runs changed) sets nothing, so nothing repaints.
        """
        key = None if frame is None else (frame.history, frame.view_month, self.lower)
        if key is not None and self._live_key is not None and _same(key, self._live_key):
            return
        self._live_key = key
        if frame is None:
            for curve in self.live.values():
                curve.setData([], [])
            return
        h, n = frame.history, frame.view_month + 1
        years = h.time[:n]
        top = h.capability()[:n, 0]
        lower = h.gap()[:n, 0] if self.lower == "gap" else h.progress_multiplier()[:n, 0]
        bottom = axis_values(self.lower, lower)
        for name, values in (("top", top), ("bottom", bottom)):
            self.live[name].set_xy(
                years, values, (float(np.nanmin(values)), float(np.nanmax(values)))
            )
        if self.fan is None:  # no bands yet: frame the live run (the years of the run)
            self.top.setXRange(float(h.years[0]), float(h.years[-1]), padding=0.01)
            for plot, values in ((self.top, top), (self.bottom, bottom)):
                _widen_y(plot, float(np.min(values)), float(np.max(values)))


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """(history, month, lower) keys: the same History object, month and lower plot."""
    return a[0] is b[0] and a[1:] == b[1:]


def _widen_y(plot: pg.PlotItem, lo: float, hi: float) -> None:
    """Grow the y range to hold [lo, hi] (never shrink it: no jitter while playing)."""
    (y0, y1) = plot.viewRange()[1]
    if lo < y0 or hi > y1:
        plot.setYRange(min(lo, y0), max(hi, y1, lo + 1.0), padding=0.05)
