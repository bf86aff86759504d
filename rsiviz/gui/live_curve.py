"""A curve item for the curves that change every live frame.

pyqtgraph's ``PlotCurveItem`` recomputes its data bounds (``nanmin``/``nanmax`` under a
warnings guard) for every bounding-rectangle query after ``setData``, and its ``paint``
checks a dozen options it was not given. Over the window's dozen curves that was about a
quarter of a live frame's Python time. :class:`LiveCurve` takes the bounds its caller
already knows and paints the plain case (a pen, no fill, no shadow) directly; anything
else, and every export, goes through pyqtgraph's own paint.

A playing run only appends points, so :meth:`LiveCurve.set_xy` repaints only the new
stretch (a strip chart): the item keeps a fixed bounding rectangle (the view, and the data
in it) while the curve grows inside it, and asks Qt to repaint just the rectangle around
the newest segment. ``setData`` changed the bounding rectangle every frame, and Qt then
repainted everything under the whole curve: most of both plots, every frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem

# Repainted around the newest segment, in pixels beyond the pen's width: antialiasing's
# fringe and the join with the old last point.
_PAD_PX = 3.0


def held(view: QRectF | None, content: QRectF) -> QRectF:
    """The bounding rectangle an item holds while it grows: ``content`` and the view with
    a quarter of it on every side, so that data just inside the view, padded by a pen's
    width, does not outgrow it every frame (the view clips what is drawn, so a larger
    rectangle costs nothing). No view yet: ``content``."""
    if view is None or not view.isValid():
        return content
    w, h = view.width() / 4, view.height() / 4
    return content.united(view.adjusted(-w, -h, w, h))


def _padded(extent: tuple[float, float, float, float], pad: tuple[float, float]) -> QRectF:
    """(x0, x1, y0, y1) grown by ``pad`` (x, y) on every side."""
    x0, x1, y0, y1 = extent
    return QRectF(x0 - pad[0], y0 - pad[1], x1 - x0 + 2 * pad[0], y1 - y0 + 2 * pad[1])


class LiveCurve(pg.PlotCurveItem):
    """A ``PlotCurveItem`` whose data comes with its y range (:meth:`set_xy`)."""

    # (class defaults: pyqtgraph's __init__ calls setData before ours could set them)
    _hold: QRectF | None = None  # while the curve grows: its fixed bounding rectangle
    # A copy of the data shown (the caller's arrays may be views that change later) and its
    # extent (x0, x1, y min, y max).
    _shown: tuple[np.ndarray, np.ndarray] | None = None
    _extent: tuple[float, float, float, float] | None = None
    partial_updates = 0  # (tests) how many updates repainted only the new stretch
    # Counts data changes; ``grown_from``: after an append, the old length (else None). A
    # fill between two curves uses both to repaint only its own new stretch.
    generation = 0
    grown_from: int | None = None
    _pad_cache: tuple[float, float] | None = None  # _pad() for the current view and pen
    _part_lines: Any = None  # line-segment buffer for painting a stretch (draft)
    partial_paints = 0  # (tests) paints that drew only the exposed stretch
    # the device length from the first point to each point (see _run_to), and its scale
    _runs: np.ndarray | None = None
    _runs_key: tuple[float, float, float, float] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # paint() is told what is exposed (opt.exposedRect), so that a repainted strip
        # draws only its stretch of the curve
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def boundingRect(self) -> QRectF:
        return self._hold if self._hold is not None else super().boundingRect()

    def viewTransformChanged(self) -> None:
        # The whole view is repainted anyway; the hold is worked out again for the new
        # scale (its padding is in pixels), so the next frame is a partial one again.
        self._hold = None
        self._pad_cache = None
        super().viewTransformChanged()
        if self._extent is not None and self._shown is not None:
            self._boundsCache = self._bounds_cache(self._extent)  # (else nanmin, nanmax)
            self._hold = self._held_rect(self._extent)

    def setData(self, *args: Any, **kwargs: Any) -> None:
        """pyqtgraph's: new data, the whole curve repainted."""
        self._hold = None  # (Qt repaints where the item was painted: the old hold's area)
        self._shown = None
        self._extent = None
        self._runs = None
        self.generation += 1
        self.grown_from = None
        super().setData(*args, **kwargs)

    def setPen(self, *args: Any, **kwargs: Any) -> None:
        if self._hold is not None:  # padded for the old pen's width
            self.prepareGeometryChange()
            self._hold = None
        self._pad_cache = None
        super().setPen(*args, **kwargs)

    def set_xy(self, x: np.ndarray, y: np.ndarray, y_range: tuple[float, float]) -> None:
        """Show ``y`` over ``x`` (``x`` ascending, both finite; ``y_range``: y's min, max)."""
        n = len(self._shown[0]) if self._shown is not None else 0
        if self._same(x, y):
            return  # (setData would repaint the whole curve for nothing)
        if self._grows(x, y) and self._append(x, y, y_range):
            self.generation += 1
            self.grown_from = n
            return
        self.setData(x, y, skipFiniteCheck=True)
        pen = self.opts["pen"]
        if len(x) and (pen is None or pen.isCosmetic()):  # (else the pen widens the bounds)
            self._shown = (np.array(x), np.array(y))
            self._extent = (float(x[0]), float(x[-1]), float(y_range[0]), float(y_range[1]))
            self._boundsCache = self._bounds_cache(self._extent)

    @staticmethod
    def _bounds_cache(extent: tuple[float, float, float, float]) -> list:
        x0, x1, y0, y1 = extent
        return [[(1.0, None), (x0, x1)], [(1.0, None), (y0, y1)]]

    def _pad(self) -> tuple[float, float] | None:
        """The repaint margin around the data, in data units (x, y); None: no view yet."""
        if self._pad_cache is not None:
            return self._pad_cache
        px, py = self.pixelVectors()
        if px is None or py is None:
            return None
        w, h = abs(px.x()) + abs(px.y()), abs(py.x()) + abs(py.y())
        if not (np.isfinite(w) and np.isfinite(h)) or w <= 0 or h <= 0:
            return None
        pad = self.opts["pen"].widthF() + _PAD_PX
        self._pad_cache = (pad * w, pad * h)
        return self._pad_cache

    def _held_rect(self, extent: tuple[float, float, float, float]) -> QRectF | None:
        """A bounding rectangle to hold while the curve grows: its data, padded, and the
        whole view (the curve grows inside it); None when there is no view yet."""
        pad = self._pad()
        vb = self.getViewBox()
        if pad is None or vb is None:
            return None
        return held(vb.viewRect(), _padded(extent, pad))

    def _same(self, x: np.ndarray, y: np.ndarray) -> bool:
        shown = self._shown
        return (
            shown is not None
            and len(x) == len(shown[0])
            and bool(np.array_equal(x, shown[0]) and np.array_equal(y, shown[1]))
        )

    def _grows(self, x: np.ndarray, y: np.ndarray) -> bool:
        """Whether ``x``, ``y`` is what is shown with points added at the end."""
        shown = self._shown
        if shown is None or self.xData is None:
            return False
        n = len(shown[0])
        if n < 2 or len(x) <= n or not self.isVisible():
            return False
        opts, pen = self.opts, self.opts["pen"]
        if (
            opts["fillLevel"] is not None
            or opts["shadowPen"] is not None
            or opts["stepMode"]
            or pen is None
            or not pen.isCosmetic()
        ):
            return False
        return bool(np.array_equal(x[:n], shown[0]) and np.array_equal(y[:n], shown[1]))

    def _append(self, x: np.ndarray, y: np.ndarray, y_range: tuple[float, float]) -> bool:
        """Show the longer data and repaint only its new stretch; False: do a full update."""
        pad = self._pad()
        if pad is None:
            return False
        n = len(self._shown[0])  # type: ignore[index]
        extent = (float(x[0]), float(x[-1]), float(y_range[0]), float(y_range[1]))
        full = self._hold is None or not self._hold.contains(_padded(extent, pad))
        if full:
            self.prepareGeometryChange()
            self._hold = self._held_rect(extent)
            if self._hold is None:
                return False
        self.xData = x.view(np.ndarray)
        self.yData = y.view(np.ndarray)
        self.path = None
        self.fillPath = None
        self._fillPathList = None
        self._mouseShape = None
        self._lineSegmentsRendered = False
        self._boundingRect = None
        self._extent = extent
        self._boundsCache = self._bounds_cache(extent)
        self._shown = (np.array(x), np.array(y))
        self.informViewBoundsChanged()
        if full:
            self.update()
        else:
            tail = y[n - 1 :]
            self.update(_padded((float(x[n - 1]), extent[1], tail.min(), tail.max()), pad))
            self.partial_updates += 1
        self.sigPlotChanged.emit(self)
        return True

    @pg.debug.warnOnException  # an exception raised in a paint can crash Qt
    def paint(self, p: QPainter, opt: Any, widget: Any) -> None:
        opts = self.opts
        if (
            self._exportOpts is not False
            or opts["fillLevel"] is not None
            or opts["shadowPen"] is not None
            or opts["compositionMode"] is not None
            or type(widget).__name__ == "GraphicsViewGLWidget"  # (pyqtgraph's OpenGL path)
        ):
            super().paint(p, opt, widget)
            return
        if self.xData is None or len(self.xData) == 0:
            return
        pen = opts["pen"]
        if pen is None or pen.style() == Qt.PenStyle.NoPen:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, opts["antialias"])
        part = self._exposed_part(opt)
        if part is not None:
            self._paint_part(p, pen, *part)
            return
        p.setPen(pen)
        if self._shouldUseDrawLineSegments(pen):  # thick, solid, not antialiased: faster
            p.drawLines(*self._getLineSegments())
        else:
            p.drawPath(self.getPath())

    def _exposed_part(self, opt: Any) -> tuple[int, int] | None:
        """The points (i0, i1) to draw when only a strip of a growing curve is exposed,
        reaching a pen's width and two points beyond it; None: draw the whole curve."""
        x = self.xData
        if self._shown is None or len(x) < 16:  # (set by set_xy: x ascending)
            return None
        pad = self._pad()
        if pad is None:
            return None
        exposed = getattr(opt, "exposedRect", None)
        if exposed is None or exposed.isEmpty():
            return None
        i0 = int(np.searchsorted(x, exposed.left() - pad[0], "left")) - 2
        i1 = int(np.searchsorted(x, exposed.right() + pad[0], "right")) + 2
        i0, i1 = max(i0, 0), min(i1, len(x))
        if i1 - i0 > len(x) // 2:
            return None
        return i0, i1

    def _paint_part(self, p: QPainter, pen: QPen, i0: int, i1: int) -> None:
        """Points i0..i1 only, looking as they do in the whole curve: a dashed pen starts
        where the whole curve's dash pattern is at point i0."""
        xs, ys = self.xData[i0:i1], self.yData[i0:i1]
        self.partial_paints += 1
        if self._shouldUseDrawLineSegments(pen):
            self._part_lines = arrayToLineSegments(xs, ys, "all", False, out=self._part_lines)
            p.setPen(pen)
            p.drawLines(*self._part_lines.drawargs())
            return
        if i0 > 0 and pen.style() != Qt.PenStyle.SolidLine:
            pen = QPen(pen)
            run = self._run_to(i0, p.transform())
            pen.setDashOffset(pen.dashOffset() + run / max(pen.widthF(), 1.0))
        p.setPen(pen)
        if len(xs) > 32:
            p.drawPath(pg.arrayToQPath(xs, ys, connect="all", finiteCheck=False))
            return
        xl, yl = xs.tolist(), ys.tolist()  # (a few points: quicker than arrayToQPath)
        path = QPainterPath()
        path.moveTo(xl[0], yl[0])
        for u, v in zip(xl[1:], yl[1:], strict=True):
            path.lineTo(u, v)
        p.drawPath(path)

    def _run_to(self, i: int, t: QTransform) -> float:
        """The curve's length on the device from its first point to point ``i``: where a
        cosmetic pen's dash pattern stands there. The lengths are kept, and extended as
        the curve grows, until the data or the scale changes."""
        key = (t.m11(), t.m12(), t.m21(), t.m22())
        if self._runs is None or self._runs_key != key:
            self._runs, self._runs_key = np.zeros(1), key
        runs = self._runs
        if len(runs) <= i:
            k = len(runs) - 1
            dx, dy = np.diff(self.xData[k : i + 1]), np.diff(self.yData[k : i + 1])
            steps = np.hypot(key[0] * dx + key[2] * dy, key[1] * dx + key[3] * dy)
            runs = self._runs = np.concatenate([runs, runs[-1] + np.cumsum(steps)])
        return float(runs[i])
