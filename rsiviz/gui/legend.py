"""A legend that sits in a row above the plot, outside the data, with wide line samples.

pyqtgraph's legend floats over the data (at 1024x768 its seven entries hid the race story's
key moment) and its 20-px samples show a thick line as a square, so a dash pattern cannot
be told from a solid line. :class:`RowLegend` lays its entries out in as many columns as
the plot's width allows, in the plot's title row, and reserves the rows of the largest
legend the plot can show (``reserve``: every label it may hold) so the plot does not move
when entries come and go.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

SAMPLE_EMS = 3.0  # sample length in label heights: >= 2 periods of the longest dash pattern
GAP_EMS = 0.6  # space between two entries of a row, in label heights


class WideSample(pg.ItemSample):
    """A legend sample as long as the legend says (``setFixedWidth``), drawn with the
    curve's own pen, so dashes and dots show as they do on the plot."""

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width(), self.height())

    def paint(self, p: QPainter, *args: object) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(pg.mkPen(self.item.opts["pen"]))
        y = self.height() / 2
        p.drawLine(QPointF(2, y), QPointF(self.width() - 2, y))


class RowLegend(pg.LegendItem):
    """Entries in rows above ``plot``'s data (its title row); see the module docstring."""

    def __init__(self, plot: pg.PlotItem) -> None:
        super().__init__(offset=None, sampleType=WideSample, frame=True)
        self.plot = plot
        self.reserve: list[str] = []  # every label the legend may show: room for all
        self.layout.setContentsMargins(0, 0, 0, 0)  # the row height below is all there is
        self._busy = False
        self.setParentItem(plot)
        plot.geometryChanged.connect(self.updateSize)
        plot.getViewBox().geometryChanged.connect(self.updateSize)

    def columns(self, width: float) -> int:
        """How many entries fit side by side in ``width`` pixels."""
        return max(1, int((width + self._gap()) // (self._entry_width() + self._gap())))

    def _label_height(self) -> float:
        heights = [label.item.boundingRect().height() for _, label in self.items]
        return max(heights, default=20.0)

    def _gap(self) -> float:
        return GAP_EMS * self._label_height()

    def _sample_width(self) -> float:
        return SAMPLE_EMS * self._label_height()

    def _entry_width(self) -> float:
        texts = [label.text for _, label in self.items] + list(self.reserve)
        return self._sample_width() + 6 + max(map(self._text_width, texts), default=0.0)

    def _text_width(self, text: str) -> float:
        font = QFont()
        font.setPointSizeF(float(str(self.opts["labelTextSize"]).removesuffix("pt")))
        return QFontMetricsF(font).horizontalAdvance(text) + 8  # + the text item's margins

    def updateSize(self) -> None:
        """Re-grid the entries for the plot's current width and reserve their rows."""
        if self._busy or not hasattr(self, "plot"):
            return  # called from LegendItem.__init__ (before ``plot``) and re-entrantly
        self._busy = True
        try:
            self._regrid()
        finally:
            self._busy = False

    def _regrid(self) -> None:
        # The plot's full width, axis included: more entries fit side by side.
        left, width = 0.0, max(self.plot.width() - 8, 50.0)
        cols = self.columns(width)
        for i in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(i)
        h = self._label_height()
        for i, (sample, label) in enumerate(self.items):
            sample.setFixedWidth(self._sample_width())
            sample.setFixedHeight(h)
            row, col = divmod(i, cols)
            self.layout.addItem(sample, row, 2 * col)
            self.layout.addItem(label, row, 2 * col + 1)
        label_width = self._entry_width() - self._sample_width() - 6 + self._gap()
        for col in range(cols):
            self.layout.setColumnFixedWidth(2 * col + 1, label_width)
        rows = math.ceil(max(len(self.items), len(self.reserve), 1) / cols)
        height = rows * h
        self.setGeometry(QRectF(left, 0, width, height))
        self.layout.activate()  # place the entries now, not at the next event-loop turn
        self.plot.layout.setRowFixedHeight(0, height + 0.25 * h)
