"""LiveCurve draws and bounds exactly what pyqtgraph's PlotCurveItem does, cheaper."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from rsiviz.gui.live_curve import LiveCurve

X = np.linspace(2026.0, 2038.0, 145)
Y = np.cumsum(np.sin(np.linspace(0, 9, 145))) * 0.3


def _render(curve: pg.PlotCurveItem, qtbot) -> QImage:  # type: ignore[no-untyped-def]
    widget = pg.PlotWidget()
    widget.setBackground("w")
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.setXRange(2026, 2038, padding=0)
    widget.setYRange(float(Y.min()) - 0.5, float(Y.max()) + 0.5, padding=0)
    widget.addItem(curve)
    widget.show()
    qtbot.waitExposed(widget)
    image = QImage(640, 360, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    widget.render(painter)
    painter.end()
    return image


@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("style", [Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine])
def test_it_paints_the_same_pixels_as_plotcurveitem(qtbot, antialias, style) -> None:
    pen = pg.mkPen("#0072B2", width=4, style=style)
    ours = LiveCurve(pen=pen, antialias=antialias)
    ours.set_xy(X, Y, (float(Y.min()), float(Y.max())))
    theirs = pg.PlotCurveItem(X, Y, pen=pen, antialias=antialias)
    a, b = _render(ours, qtbot), _render(theirs, qtbot)
    assert a == b
    assert a.pixelColor(639, 0) == QColor("white")  # (and something was drawn:)
    blue = QColor("#0072B2")
    assert any(a.pixelColor(x, y) == blue for x in range(100, 640, 3) for y in range(360))


def test_its_bounds_are_the_data_bounds(qtbot) -> None:
    ours = LiveCurve(pen=pg.mkPen("k", width=3))
    ours.set_xy(X, Y, (float(Y.min()), float(Y.max())))
    theirs = pg.PlotCurveItem(X, Y, pen=pg.mkPen("k", width=3))
    for ax in (0, 1):
        assert ours.dataBounds(ax) == pytest.approx(theirs.dataBounds(ax), abs=1e-12)
    assert isinstance(ours.boundingRect(), QRectF)
    # new data: the bounds follow it
    ours.set_xy(X[:10], Y[:10], (float(Y[:10].min()), float(Y[:10].max())))
    assert ours.dataBounds(0) == (X[0], X[9])
    assert ours.dataBounds(1) == pytest.approx((Y[:10].min(), Y[:10].max()))
