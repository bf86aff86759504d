"""Plot items that repaint only what changed while a run plays (a strip chart).

A playing run adds a month at the right end of every curve; the overhang's fill and a
development pause's shading grow with it. Qt repaints an item's whole bounding rectangle
whenever that rectangle changes, so each of these, as pyqtgraph draws them, repainted
everything under it every frame: most of both plots. These items instead hold a fixed
bounding rectangle (the view, and what they draw in it) while they grow, and ask Qt to
repaint only the new stretch. (:class:`~rsiviz.gui.live_curve.LiveCurve` does the same for
the curves.) Anything other than growth, and any change of the view's range, repaints the
whole item as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath

from rsiviz.gui.live_curve import LiveCurve, held

_EDGE_PX = 2.0  # repainted beyond a changed edge: antialiasing's fringe


class GrowingFill(pg.GraphicsObject):
    """The area between two :class:`LiveCurve` s (pyqtgraph's ``FillBetweenItem``, filled
    the same way), repainting only its new stretch when both curves only grew."""

    def __init__(self, curve1: LiveCurve, curve2: LiveCurve, brush: Any = None) -> None:
        super().__init__()
        self.curves = (curve1, curve2)
        self._brush = pg.mkBrush(brush)
        self._path = QPainterPath()
        self._hold: QRectF | None = None
        self._seen: tuple[int, int] | None = None  # the curves' generations last drawn
        self.partial_updates = 0  # (tests)

    # -- QGraphicsPathItem's interface, as the app uses it ------------------------------
    def setBrush(self, *args: Any, **kwargs: Any) -> None:
        self._brush = pg.mkBrush(*args, **kwargs)
        self.update()

    def brush(self) -> QBrush:
        return self._brush

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:
        return self._hold if self._hold is not None else self._path.boundingRect()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()  # (forgets the cached view rectangle)
        self.prepareGeometryChange()
        self._hold = held(self.viewRect(), self._path.boundingRect())

    def paint(self, p: QPainter, *args: Any) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._brush)
        p.drawPath(self._path)

    # -- updates --------------------------------------------------------------------------
    def updatePath(self) -> None:
        """Fill between the curves as they are now (call after setting their data)."""
        c1, c2 = self.curves
        old_rect = self._path.boundingRect()
        self._path = _between(c1, c2)
        rect = self._path.boundingRect()
        split = self._grown_since_seen()
        self._seen = (c1.generation, c2.generation)
        if split is None:
            return self._full(rect)
        if split == float("inf"):
            return None  # neither curve changed
        if self._hold is None or not self._hold.contains(rect):
            return self._full(rect)
        # Left of ``split`` neither curve changed, so neither did the fill: repaint the rest.
        pad = _EDGE_PX * (self.pixelWidth() or 0.0)
        both = old_rect.united(rect)
        left = split - pad
        self.update(QRectF(left, both.top(), both.right() - left + pad, both.height()))
        self.partial_updates += 1
        return None

    def _full(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._hold = held(self.viewRect(), rect)
        self.update()

    def _grown_since_seen(self) -> float | None:
        """The smallest x where either curve changed since the last fill, when each curve
        only grew (by one append) or did not change; inf: neither changed; None: other."""
        if self._seen is None:
            return None
        split = float("inf")
        for curve, seen in zip(self.curves, self._seen, strict=True):
            if curve.generation == seen:
                continue
            n = curve.grown_from
            if curve.generation != seen + 1 or n is None or curve.xData is None:
                return None
            split = min(split, float(curve.xData[n - 1]))
        return split


def _between(c1: LiveCurve, c2: LiveCurve) -> QPainterPath:
    """pyqtgraph's ``FillBetweenItem.updatePath``: each subpath of ``c1`` joined to the
    matching subpath of ``c2`` reversed, odd-even filled. Two plain curves (one subpath
    each, the app's case) are joined from their arrays directly."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    x1, y1, x2, y2 = c1.xData, c1.yData, c2.xData, c2.yData
    if x1 is None or x2 is None or not len(x1) or not len(x2):
        return path
    if c1.opts["connect"] == "all" and c2.opts["connect"] == "all":
        x = np.concatenate([x1, x2[::-1]])
        y = np.concatenate([y1, y2[::-1]])
        path = pg.arrayToQPath(x, y, connect="all", finiteCheck=False)
        path.closeSubpath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        return path
    ps1 = c1.getPath().toSubpathPolygons()
    ps2 = c2.getPath().toReversed().toSubpathPolygons()
    ps2.reverse()
    for p1, p2 in zip(ps1, ps2, strict=False):
        path.addPolygon(p1 + p2)
    return path


class SpanRect(pg.GraphicsObject):
    """A shaded x-range over the view's whole height (pyqtgraph's ``LinearRegionItem``,
    not movable, without its lines), repainting only the strip that changed when one end
    moves (a development pause growing month by month)."""

    def __init__(self, brush: Any = None) -> None:
        super().__init__()
        self._brush = pg.mkBrush(brush)
        self._region = (0.0, 1.0)
        self._hold: QRectF | None = None
        self.partial_updates = 0  # (tests)

    def setBrush(self, *args: Any, **kwargs: Any) -> None:
        self._brush = pg.mkBrush(*args, **kwargs)
        self.update()

    def getRegion(self) -> tuple[float, float]:
        return self._region

    def _rect(self, region: tuple[float, float]) -> QRectF:
        view = self.viewRect()
        if view is None or not view.isValid():
            return QRectF()
        return QRectF(region[0], view.top(), region[1] - region[0], view.height())

    def boundingRect(self) -> QRectF:
        return self._hold if self._hold is not None else self._rect(self._region)

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()  # (forgets the cached view rectangle)
        self.prepareGeometryChange()
        rect = self._rect(self._region)
        self._hold = held(self.viewRect(), rect) if not rect.isEmpty() else None

    def setRegion(self, region: tuple[float, float]) -> None:
        a, b = sorted((float(region[0]), float(region[1])))
        old = self._region
        if (a, b) == old:
            return
        self._region = (a, b)
        rect = self._rect((a, b))
        view = self.viewRect()
        if self._hold is None or rect.isEmpty() or not self._hold.contains(rect):
            self.prepareGeometryChange()
            self._hold = held(view, rect) if not rect.isEmpty() else None
            self.update()
            return
        if a == old[0]:  # the right end moved
            lo, hi = min(old[1], b), max(old[1], b)
        elif b == old[1]:  # the left end moved
            lo, hi = min(old[0], a), max(old[0], a)
        else:
            lo, hi = min(a, old[0]), max(b, old[1])
        pad = _EDGE_PX * (self.pixelWidth() or 0.0)
        self.update(QRectF(lo - pad, rect.top(), hi - lo + 2 * pad, rect.height()))
        self.partial_updates += 1

    def paint(self, p: QPainter, *args: Any) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._brush)
        p.drawRect(self._rect(self._region))
