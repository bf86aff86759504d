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
        self._grid = (0, 0)  # rows and columns given a size by the last _regrid
        self._busy = False
        self.setParentItem(plot)
        plot.geometryChanged.connect(self.updateSize)
        plot.getViewBox().geometryChanged.connect(self.updateSize)

    def set_entries(self, entries: list[tuple[object, str]]) -> None:
        """Show exactly ``entries`` (item, label), laid out once: pyqtgraph re-grids the
        legend after every entry added, and the plot's layout with it (45 ms for a legend
        of ten entries on the CI machine)."""
        self._busy = True  # updateSize does nothing meanwhile
        try:
            self._keep_only(entries)
        finally:
            self._busy = False
        self.updateSize()

    def _keep_only(self, entries: list[tuple[object, str]]) -> None:
        """``self.items`` made exactly ``entries``, in order: an entry already shown keeps
        its sample and label. Building a label costs ~2 ms of text layout, and an edit
        that adds one entry (the previous run's ghost) rebuilt all of them: 28 ms."""
        have = {(id(sample.item), label.text): (sample, label) for sample, label in self.items}
        wanted = {(id(item), name) for item, name in entries}
        for key, (sample, label) in have.items():
            if key not in wanted:
                self._removeItemFromLayout(sample, label)
        pairs = []
        for item, name in entries:
            pair = have.get((id(item), name))
            if pair is None:
                self.addItem(item, name)
                pair = self.items[-1]
            pairs.append(pair)
        self.items = pairs

    def slots(self) -> list[str]:
        """Every entry's place: the reserved labels in order, then any others shown.

        An entry always sits in its own place (a hidden one leaves a gap), so entries do
        not jump between beats and the columns fitted to the reserve fit every subset.
        """
        shown = [label.text for _, label in self.items]
        reserved = list(self.reserve) or shown
        return reserved + [t for t in shown if t not in reserved]

    def columns(self, width: float) -> tuple[int, list[float]]:
        """The most columns the slots fit in ``width`` px, and each label column's width."""
        texts = [self._text_width(t) for t in self.slots()]
        entry = self._sample_width() + 6
        for cols in range(max(len(texts), 1), 0, -1):
            widths = [max(texts[c::cols], default=0.0) for c in range(cols)]
            if sum(widths) + cols * entry + (cols - 1) * self._gap() <= width or cols == 1:
                return cols, widths
        return 1, [max(texts, default=0.0)]

    def _label_height(self) -> float:
        heights = [label.item.boundingRect().height() for _, label in self.items]
        return max(heights, default=20.0)

    def _gap(self) -> float:
        return GAP_EMS * self._label_height()

    def _sample_width(self) -> float:
        return SAMPLE_EMS * self._label_height()

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
        cols, widths = self.columns(width)
        for i in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(i)
        # Undo an earlier grid's rows and columns: the layout keeps their fixed sizes
        # even once they are empty, and would hold the legend that tall.
        for row in range(self._grid[0]):
            self.layout.setRowFixedHeight(row, 0)
        for col in range(self._grid[1]):
            self.layout.setColumnFixedWidth(col, 0)
        h = self._label_height()
        slots = self.slots()
        for sample, label in self.items:
            sample.setFixedWidth(self._sample_width())
            sample.setFixedHeight(h)
            row, col = divmod(slots.index(label.text), cols)
            self.layout.addItem(sample, row, 2 * col)
            self.layout.addItem(label, row, 2 * col + 1)
        for col, label_width in enumerate(widths):
            self.layout.setColumnFixedWidth(2 * col, self._sample_width())
            self.layout.setColumnFixedWidth(2 * col + 1, label_width + self._gap())
        rows = math.ceil(max(len(slots), 1) / cols)
        for row in range(rows):
            self.layout.setRowFixedHeight(row, h)
        self._grid = (rows, 2 * cols)
        height = rows * h
        self.layout.invalidate()  # else the last grid's cached size holds the legend taller
        self.updateGeometry()
        self.setGeometry(QRectF(left, 0, width, height))
        self.layout.activate()  # place the entries now, not at the next event-loop turn
        self.plot.layout.setRowFixedHeight(0, height + 0.25 * h)
