"""A curve item for the curves that change every live frame.

pyqtgraph's ``PlotCurveItem`` recomputes its data bounds (``nanmin``/``nanmax`` under a
warnings guard) for every bounding-rectangle query after ``setData``, and its ``paint``
checks a dozen options it was not given. Over the window's dozen curves that was about a
quarter of a live frame's Python time. :class:`LiveCurve` takes the bounds its caller
already knows and paints the plain case (a pen, no fill, no shadow) directly; anything
else, and every export, goes through pyqtgraph's own paint.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter


class LiveCurve(pg.PlotCurveItem):
    """A ``PlotCurveItem`` whose data comes with its y range (:meth:`set_xy`)."""

    def set_xy(self, x: np.ndarray, y: np.ndarray, y_range: tuple[float, float]) -> None:
        """Show ``y`` over ``x`` (``x`` ascending, both finite; ``y_range``: y's min, max)."""
        self.setData(x, y, skipFiniteCheck=True)
        pen = self.opts["pen"]
        if len(x) and (pen is None or pen.isCosmetic()):  # (else the pen widens the bounds)
            self._boundsCache = [
                [(1.0, None), (float(x[0]), float(x[-1]))],
                [(1.0, None), (float(y_range[0]), float(y_range[1]))],
            ]

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
        p.setPen(pen)
        if self._shouldUseDrawLineSegments(pen):  # thick, solid, not antialiased: faster
            p.drawLines(*self._getLineSegments())
        else:
            p.drawPath(self.getPath())
