"""Reusable plot items: axes labelled in human terms, development-pause marks, grid.

The grid is a pool of InfiniteLines rather than pyqtgraph's axis grid: an axis that
draws the grid spans the whole plot, so every curve update would repaint all its tick
text; lines are repainted cheaply and only move when a range changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF
from PySide6.QtGui import QFontMetricsF, QPainter, QTextDocument

from rsiviz.gui.live_curve import LiveCurve
from rsiviz.gui.strip_items import SpanRect
from rsiviz.gui.theme import ALERT_TEXT, BACKGROUND, PAUSE_FILL, Theme
from rsiviz.gui.units import tick_label, tick_values

MAX_SPANS = 4
MAX_GRID = 16


class UnitAxis(pg.AxisItem):
    """A value axis whose ticks are placed and labelled in human terms (see units.py)."""

    def __init__(self, unit: str, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.unit = unit
        # Our ticks are labelled in their own units: never an SI prefix. With it on,
        # pyqtgraph re-rendered the title's HTML at every range change (every live frame).
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        # Room for 2.2 labels per tick: at 3840x2160 the labels are twice as tall.
        max_ticks = max(3, int(size / max(45.0, 2.2 * self._text_height())))
        values = tick_values(self.unit, minVal, maxVal, max_ticks)
        # Half a label from either end: the labels of two stacked plots never touch.
        margin = (maxVal - minVal) * 0.6 * self._text_height() / max(size, 1.0)
        return [(1.0, [v for v in values if minVal + margin <= v <= maxVal - margin])]

    def _text_height(self) -> float:
        font = self.style.get("tickFont")
        return float(QFontMetricsF(font).height()) if font is not None else 16.0

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return [tick_label(self.unit, v) for v in values]


def quiet_hidden_axes(plot: pg.PlotItem) -> None:
    """No SI prefix on ``plot``'s hidden top and right axes: with it on, pyqtgraph
    re-rendered each one's (empty) title as HTML at every range change (16 times as the
    window is first shown, 11 in 40 live months), as it did for UnitAxis."""
    for side in ("top", "right"):
        plot.getAxis(side).enableAutoSIPrefix(False)


class YearAxis(pg.AxisItem):
    """Calendar years, whole years only (no '2,026', no '2026.5')."""

    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)  # years, never "(x1000)"; see UnitAxis

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        span = max(maxVal - minVal, 1e-9)
        step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= max(2, size / 110))
        first = np.ceil(minVal / step) * step
        return [(float(step), list(np.arange(first, maxVal + 1e-9, step)))]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return [f"{v:.0f}" for v in values]


def make_curve(plot: pg.PlotItem, **kw: object) -> LiveCurve:
    item = LiveCurve(antialias=True, skipFiniteCheck=True, **kw)
    plot.addItem(item)
    return item


class SpanMarks:
    """A fixed pool of shaded regions and end lines marking development pauses.

    End labels ("development pause ends") sit right of their line (left of it near the
    plot's right edge) on an opaque backing, so curves never run through them; two ends
    at the same place print once, and ends closer than a label's width stack in rows.
    """

    def __init__(self, plot: pg.PlotItem, label_ends: bool) -> None:
        self.plot = plot
        self.label_ends = label_ends
        self._shown: list[tuple[float, float, bool]] | None = None
        # the height (px) the end labels take at the top of the plot: the plot keeps its
        # data below them (Plots._fit_y), so no curve runs behind a label's backing
        self.band_px = 0.0
        # Made when first needed (most runs mark one development pause or none): eight
        # regions and lines made up front cost about 13 ms of start-up per plot.
        self.regions: list[SpanRect] = []
        self.ends: list[pg.InfiniteLine] = []
        self._fill: object = PAUSE_FILL
        self._style: tuple[Theme, float] | None = None
        self._colours: tuple[str, str] | None = None

    def _grow(self, count: int) -> None:
        """At least ``count`` (at most MAX_SPANS) regions and end lines, styled as the rest."""
        while len(self.regions) < min(count, MAX_SPANS):
            region = SpanRect(brush=self._fill)
            end = pg.InfiniteLine(
                angle=90,
                movable=False,
                label="development pause ends" if self.label_ends else None,
                labelOpts={"position": 0.97, "color": ALERT_TEXT, "fill": BACKGROUND},
            )
            for item in (region, end):
                item.setZValue(-20)
                item.hide()
                self.plot.addItem(item, ignoreBounds=True)
            end.setZValue(5)  # its label (a child) is drawn over the curves, on its backing
            self.regions.append(region)
            self.ends.append(end)
            if self._style is not None:
                self._restyle_end(end, *self._style)
            if self._colours is not None:
                self._colour_end(end, *self._colours)

    def labels(self) -> list[pg.InfLineLabel]:
        return [end.label for end in self.ends if getattr(end, "label", None) is not None]

    def show(self, marks: list[tuple[float, float, bool]]) -> None:
        if marks == self._shown:
            return  # unchanged: moving a region repaints the whole plot height
        self._shown = marks
        self._grow(len(marks))
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
        self.place_labels()

    def place_labels(self) -> None:
        """Rows for the end labels so that no two overlap (see the class docstring)."""
        view = self.plot.getViewBox()
        (x0, x1), _ = view.viewRange()
        px = (x1 - x0) / max(view.width(), 1.0)  # data units per pixel
        rows: list[float] = []  # right edge (data x) of the last label in each row
        last: float | None = None
        self.band_px = 0.0
        for end in sorted((e for e in self.ends if e.isVisible()), key=lambda e: e.value()):
            label = getattr(end, "label", None)
            if label is None:
                continue
            x = float(end.value())
            label.setVisible(last is None or abs(x - last) > 2 * px)  # same place: once
            if not label.isVisible():
                continue
            last = x
            box = label.textItem.boundingRect()
            width = box.width() * px
            left_of_line = x + width > x1  # would run off the plot's right edge
            lo, hi = (x - width, x) if left_of_line else (x, x + width)
            row = next((r for r, right in enumerate(rows) if right < lo), len(rows))
            rows[row : row + 1] = [hi]
            label.anchors = [(1.0 if left_of_line else 0.0, 0.0)] * 2
            label.orthoPos = 1.0 - (0.02 * view.height() + row * box.height()) / max(
                view.height(), 1.0
            )
            label.updatePosition()
            self.band_px = 0.02 * view.height() + len(rows) * box.height()

    def restyle(self, theme: Theme, font_size: float) -> None:
        self._style = (theme, font_size)
        for end in self.ends:
            self._restyle_end(end, theme, font_size)
        self.place_labels()

    @staticmethod
    def _restyle_end(end: pg.InfiniteLine, theme: Theme, font_size: float) -> None:
        end.setPen(theme.pen("pause", 0.8))
        label = getattr(end, "label", None)
        if label is not None:
            label.setFont(theme.font(0.85, bold=True))

    def set_fill(self, colour: str) -> None:
        """The shading of the development pauses (the stage sets its theme's)."""
        self._fill = pg.mkBrush(colour)
        for region in self.regions:
            region.setBrush(self._fill)

    def set_colours(self, text: str, backing: str) -> None:
        """Label text and its opaque backing (the plot's background)."""
        self._colours = (text, backing)
        for end in self.ends:
            self._colour_end(end, text, backing)

    @staticmethod
    def _colour_end(end: pg.InfiniteLine, text: str, backing: str) -> None:
        label = getattr(end, "label", None)
        if label is not None:
            label.setColor(text)
            label.fill = pg.mkBrush(backing)
            label.update()


class GridCurve(LiveCurve):
    """A grid's lines (pairs of points), painted only where exposed.

    A playing run repaints thin strips of the plots (see live_curve.py); drawn whole, each
    grid's lines, three views long, were stroked in full for every strip.
    """

    def __init__(self, vertical: bool) -> None:
        super().__init__(connect="pairs", antialias=False, skipFiniteCheck=True)
        self.vertical = vertical
        self.values: list[float] = []  # where the lines are (set with the data)

    @pg.debug.warnOnException  # an exception raised in a paint can crash Qt
    def paint(self, p: QPainter, opt: Any, widget: Any) -> None:
        exposed = getattr(opt, "exposedRect", None)
        pen = self.opts["pen"]
        if self._exportOpts is not False or exposed is None or exposed.isEmpty() or pen is None:
            super().paint(p, opt, widget)
            return
        # the exposed rectangle and as much again on each side: a line just outside it
        # still reaches in with its width; the painter clips the rest
        w, h = exposed.width(), exposed.height()
        left, right, top, bottom = (
            exposed.left() - w,
            exposed.right() + w,
            exposed.top() - h,
            exposed.bottom() + h,
        )
        if self.vertical:
            lines = [QLineF(v, top, v, bottom) for v in self.values if left <= v <= right]
        else:
            lines = [QLineF(left, v, right, v) for v in self.values if top <= v <= bottom]
        if lines:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, bool(self.opts["antialias"]))
            p.setPen(pen)
            p.drawLines(lines)


class GridLines:
    """Grid lines at an axis's tick positions, behind the curves.

    One curve of line segments (``connect="pairs"``) per axis, not a line item per tick:
    creating 64 ``InfiniteLine``s cost 50 ms of every start-up. The segments run a whole
    view beyond the other axis's range, and ``refresh`` is called after every range change.
    """

    def __init__(self, plot: pg.PlotItem, axis_name: str) -> None:
        self.plot = plot
        self.axis = plot.getAxis(axis_name)
        self.angle = 90 if axis_name == "bottom" else 0
        self.curve = GridCurve(vertical=self.angle == 90)
        self.curve.setZValue(-15)
        plot.addItem(self.curve, ignoreBounds=True)

    @property
    def values(self) -> list[float]:
        """Where the lines are now (the axis's ticks)."""
        return self.curve.values

    def refresh(self) -> None:
        """Move the lines to the axis's current ticks (call after a range change)."""
        view = self.plot.getViewBox()
        x_range, y_range = view.viewRange()
        (lo, hi), (o_lo, o_hi) = (x_range, y_range) if self.angle == 90 else (y_range, x_range)
        size = view.width() if self.angle == 90 else view.height()
        values = [v for _, level in self.axis.tickValues(lo, hi, max(size, 1.0)) for v in level]
        self.curve.values = [float(v) for v in values[:MAX_GRID]]
        span = max(o_hi - o_lo, 1e-9)
        across = np.tile([o_lo - span, o_hi + span], len(self.values))
        along = np.repeat(np.asarray(self.values, dtype=float), 2)
        x, y = (along, across) if self.angle == 90 else (across, along)
        self.curve.setData(x, y, connect="pairs")

    def restyle(self, theme: Theme) -> None:
        self.set_colour((200, 200, 200), max(1.0, theme.line_width(0.3)))

    def set_colour(self, colour: object, width: float | None = None) -> None:
        pen = self.curve.opts["pen"]
        self.curve.setPen(pg.mkPen(colour, width=pen.widthF() if width is None else width))


def fit_title(plot: pg.PlotItem, title: str, point_size: float, colour: str) -> None:
    """``plot``'s left-axis title no longer than the plot is high, so the titles of two
    stacked plots never overlap: shrunk a little, else shortened
    (``Capability (effective compute)`` -> ``Capability``).

    Each candidate is measured on a scratch document, and the axis label set once, only if
    it changes: setting it re-renders its HTML several times (597 times, 71 ms, in one
    export's start before)."""
    axis = plot.getAxis("left")
    room = 0.96 * plot.getViewBox().height()
    tries = [(title, f) for f in (1.0, 0.9, 0.8)] + [(short_title(title), 0.8)]
    for text, factor in tries:
        style = {"font-size": f"{point_size * factor:.1f}pt", "color": colour}
        if _label_width(axis, text, style) <= room:
            break
    if (axis.labelText, axis.labelStyle) != (text, style) or not axis.label.isVisible():
        axis.setLabel(text, **style)
    axis.resizeEvent(None)  # pyqtgraph centres the title only when the axis resizes


_SCRATCH: list[QTextDocument] = []  # one document to measure candidate titles on


def _label_width(axis: pg.AxisItem, text: str, style: dict[str, str]) -> float:
    """The width ``axis.label`` would have showing ``text`` in ``style`` (its bounding rect
    is its document's size: the same HTML, font and margin give the same width)."""
    saved = axis.labelText, axis.labelStyle
    axis.labelText, axis.labelStyle = text, style
    try:
        html = axis.labelString()
    finally:
        axis.labelText, axis.labelStyle = saved
    if not _SCRATCH:
        _SCRATCH.append(QTextDocument())
    doc = _SCRATCH[0]
    label = axis.label.document()
    doc.setDefaultFont(label.defaultFont())
    doc.setDocumentMargin(label.documentMargin())
    doc.setHtml(html)
    return float(doc.size().width())


def short_title(title: str) -> str:
    """'Capability (effective compute)' -> 'Capability'; 'Gap over oversight' -> 'Gap'."""
    return title.split(" (")[0].split(" over ")[0]
