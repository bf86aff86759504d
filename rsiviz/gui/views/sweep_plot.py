"""The sweep map's picture: heat map, colour bar, regime boundaries, the current point.

Log-scale parameters are drawn in log10 coordinates (their grid is log-spaced, so cells
stay square) with an axis that labels powers of ten. NaN cells ("never reached") are
transparent in the image and show a hatched grey rectangle underneath, with its own
legend entry.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QTextOption
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from rsiviz.core.params import SPEC_BY_NAME
from rsiviz.core.regime import EXPLOSION_WINDOW_MONTHS, EXPLOSION_YEARS, FIZZLE_MULTIPLIER
from rsiviz.core.sweepmap import SweepMap, axis_label, boundary_segments, metric_label
from rsiviz.gui.theme import Theme

NAN_COLOUR = "#b8b8b8"
NAN_BRUSH = QBrush(QColor(NAN_COLOUR), Qt.BrushStyle.BDiagPattern)
COLOUR_MAP = "viridis"  # perceptually uniform and colour-blind safe; no grey in it
# (level on the regime field, legend text, pen style)
BOUNDARIES = (
    (
        1.5,
        f"explosion: >= {EXPLOSION_YEARS:g} yr of progress in {EXPLOSION_WINDOW_MONTHS} months",
        Qt.PenStyle.SolidLine,
    ),
    (0.5, f"fizzle: never above {FIZZLE_MULTIPLIER:g}x pace", Qt.PenStyle.DashLine),
)


def plain_ticks(axis: pg.AxisItem, values: list, scale: float, spacing: float) -> list[str]:
    """Plain numbers on a log axis too (2, 5, 10, 20 rather than 2·10⁰)."""
    if axis.logMode:
        return [f"{10.0**v:.3g}" for v in values]
    return list(pg.AxisItem.tickStrings(axis, values, scale, spacing))


def log_tick_values(axis: pg.AxisItem, low: float, high: float, size: float) -> list:
    """On a log axis: 1-2-5 steps where they fit (~28 px each), else decades only."""
    if not axis.logMode:
        return list(pg.AxisItem.tickValues(axis, low, high, size))
    decades = range(math.floor(low), math.ceil(high) + 1)
    for steps in ((1.0, 2.0, 5.0), (1.0, 3.0), (1.0,)):
        ticks = [k + math.log10(m) for k in decades for m in steps]
        ticks = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
        if len(ticks) * 28 <= size or steps == (1.0,):
            return [(1.0, ticks)]
    return []


class ParamAxis(pg.AxisItem):
    """Parameter axes: plain numbers and readable 1-2-5 steps on log axes."""

    _wrapped = False  # the vertical axis's title is on more than one line

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return plain_ticks(self, values, scale, spacing)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        return log_tick_values(self, minVal, maxVal, size)

    def labelString(self) -> str:  # noqa: N802 (pyqtgraph override)
        # parameter names may break after an underscore; lines centred when wrapped
        text = super().labelString().replace("_", "_\u200b")
        return f"<div align='center'>{text}</div>"

    def _updateLabel(self) -> None:  # noqa: N802 (pyqtgraph override)
        self._fit_label()  # a new, longer name wraps without waiting for a resize
        super()._updateLabel()

    def resizeEvent(self, ev: object = None) -> None:  # noqa: N802 (pyqtgraph override)
        self._fit_label()
        super().resizeEvent(ev)

    def _fit_label(self) -> None:
        """A vertical title longer than its axis wraps after underscores and spaces (at
        1024x768 the map is ~75-130 px high and "full_automation_speedup (x)" was cut at
        both ends); a word longer than the axis stays whole, centred on it."""
        label = self.label
        if label is None or self.orientation not in ("left", "right"):
            return
        label.setHtml(self.labelString())
        doc = label.document()
        option = doc.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)  # never inside a word
        doc.setDefaultTextOption(option)
        label.setTextWidth(-1)
        room = self.size().height()
        wrap = 0 < room < label.boundingRect().width()
        if wrap:
            label.setTextWidth(room)
            label.setTextWidth(max(room, doc.idealWidth()))
        was, self._wrapped = self._wrapped, wrap
        if wrap or was:
            self._updateWidth()  # room for the lines (or for one, once unwrapped)

    def _updateWidth(self) -> None:  # noqa: N802 (pyqtgraph override)
        super()._updateWidth()
        if self._wrapped and self.label.isVisible():
            # pyqtgraph counts 80% of the title's height: one line's overestimate, but
            # two or three lines need it all, or the last runs into the tick labels
            width = self.maximumWidth() + 0.2 * self.label.boundingRect().height()
            self.setMaximumWidth(width)
            self.setMinimumWidth(width)


def log_colours(values: np.ndarray) -> bool:
    """Colour by log10 when the finite values are positive and span two decades or more."""
    finite = values[np.isfinite(values)]
    return bool(finite.size and finite.min() > 0 and finite.max() >= 100 * finite.min())


def to_axis(name: str, values: np.ndarray) -> np.ndarray:
    """Parameter values -> plot coordinates (log10 for log-scale parameters)."""
    return np.log10(values) if is_log(name) else np.asarray(values, dtype=float)


def is_log(name: str) -> bool:
    spec = SPEC_BY_NAME[name]
    return spec.log_scale and spec.low is not None and spec.low > 0


def cell_rect(xs: np.ndarray, ys: np.ndarray) -> QRectF:
    """The rectangle covered by cells centred on ``xs`` x ``ys`` (plot coordinates)."""
    dx = (xs[-1] - xs[0]) / (xs.size - 1) if xs.size > 1 else max(abs(xs[0]) * 0.1, 0.1)
    dy = (ys[-1] - ys[0]) / (ys.size - 1) if ys.size > 1 else max(abs(ys[0]) * 0.1, 0.1)
    return QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * xs.size, dy * ys.size)


class SweepPlot(pg.GraphicsLayoutWidget):
    """The heat map; emits ``cell_clicked(i, j)`` (column, row) and ``cell_hovered``."""

    cell_clicked = Signal(int, int)
    cell_hovered = Signal(int, int)  # -1, -1 off the map
    title_changed = Signal(str)  # what the map shows (a QLabel above it can wrap the text)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.result: SweepMap | None = None
        self._rect = QRectF()
        self.setBackground("w")
        self.plot = self.addPlot(
            row=0,
            col=0,
            axisItems={"left": ParamAxis("left"), "bottom": ParamAxis("bottom")},
            enableMenu=False,
        )
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.nan_rect = pg.QtWidgets.QGraphicsRectItem()
        self.nan_rect.setBrush(NAN_BRUSH)
        self.nan_rect.setPen(QPen(Qt.PenStyle.NoPen))
        self.plot.addItem(self.nan_rect)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            colorMap=pg.colormap.get(COLOUR_MAP), interactive=False, width=18
        )
        self.colour_bar.setImageItem(self.image)
        bar_axis = self.colour_bar.getAxis("right")
        bar_axis.tickStrings = functools.partial(plain_ticks, bar_axis)
        bar_axis.tickValues = functools.partial(log_tick_values, bar_axis)
        self.addItem(self.colour_bar, row=0, col=1)
        # Regime boundaries along cell edges: a regime is a category, so no interpolation
        # (and pyqtgraph's IsocurveItem cost ~40 ms per line per paint at 100 x 100).
        self.isocurves = []
        for _, _, style in BOUNDARIES:
            line = pg.PlotCurveItem(connect="pairs")
            line.setZValue(5)
            self.plot.addItem(line)
            self.isocurves.append((line, style))
        self.marker = pg.ScatterPlotItem(symbol="+", size=22)
        self.marker.setZValue(10)
        self.plot.addItem(self.marker)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.scene().sigMouseMoved.connect(self._on_scene_moved)
        self.apply_theme()

    def apply_theme(self) -> None:
        t = self.theme
        for iso, style in self.isocurves:
            iso.setPen(t.make_pen("#ffffff", style, 0.9))
        self.marker.setPen(pg.mkPen("#ffffff", width=2.5 * t.scale))
        self.marker.setBrush(pg.mkBrush("#000000"))
        font = t.font(0.85)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.setPen("#111111")
            axis.setTextPen("#111111")
        self.colour_bar.getAxis("right").setStyle(tickFont=font)
        self.colour_bar.getAxis("right").setTextPen("#111111")

    # -- data ---------------------------------------------------------------------------
    def show_map(self, result: SweepMap) -> None:
        """Draw ``result`` (values and regime ``(ny, nx)``)."""
        self.result = result
        xs, ys = to_axis(result.x_name, result.xs), to_axis(result.y_name, result.ys)
        self._rect = cell_rect(xs, ys)
        log = log_colours(result.values)
        shown = np.log10(result.values) if log else result.values
        finite = shown[np.isfinite(shown)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if high <= low:
            low, high = low - 0.5, high + 0.5
        self.image.setImage(shown, autoLevels=False, levels=(low, high))
        self.colour_bar.getAxis("right").setLogMode(log)
        self.image.setRect(self._rect)
        self.colour_bar.setLevels((low, high))
        self.nan_rect.setRect(self._rect)
        self.nan_rect.setVisible(bool(np.isnan(result.values).any()))  # the hatch costs a paint
        ny, nx = result.values.shape
        for (line, _), (level, _, _) in zip(self.isocurves, BOUNDARIES, strict=True):
            i, j = boundary_segments(result.regime, level)
            line.setData(
                self._rect.left() + i * self._rect.width() / nx,
                self._rect.top() + j * self._rect.height() / ny,
            )
        self._axes(result)
        self.plot.setRange(rect=self._rect, padding=0)

    def _axes(self, result: SweepMap) -> None:
        size = f"{self.theme.point_size(0.9):.1f}pt"
        self.plot.getAxis("bottom").setLogMode(is_log(result.x_name))
        self.plot.getAxis("left").setLogMode(is_log(result.y_name))
        self.plot.setLabel("bottom", axis_label(result.x_name), size=size, color="#111111")
        self.plot.setLabel("left", axis_label(result.y_name), size=size, color="#111111")
        self.title_changed.emit(metric_label(result.metric, result.level))

    def mark(self, x_name: str, x: float, y_name: str, y: float) -> None:
        """Put the current-point marker at parameter values ``x``, ``y``."""
        px = float(to_axis(x_name, np.array([x]))[0])
        py = float(to_axis(y_name, np.array([y]))[0])
        if math.isfinite(px) and math.isfinite(py):
            self.marker.setData([px], [py])
        else:
            self.marker.setData([], [])

    # -- mouse --------------------------------------------------------------------------
    def cell_at(self, scene_pos: QPointF) -> tuple[int, int]:
        """(column, row) of the cell under ``scene_pos``; (-1, -1) off the map."""
        if self.result is None or self._rect.isEmpty():
            return -1, -1
        p = self.plot.vb.mapSceneToView(scene_pos)
        ny, nx = self.result.values.shape
        i = math.floor((p.x() - self._rect.left()) / self._rect.width() * nx)
        j = math.floor((p.y() - self._rect.top()) / self._rect.height() * ny)
        if 0 <= i < nx and 0 <= j < ny:
            return i, j
        return -1, -1

    def _on_scene_clicked(self, event: object) -> None:
        i, j = self.cell_at(event.scenePos())  # type: ignore[attr-defined]
        if i >= 0 and event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            self.cell_clicked.emit(i, j)

    def _on_scene_moved(self, pos: QPointF) -> None:
        self.cell_hovered.emit(*self.cell_at(pos))


class Legend(QWidget):
    """The map's key, beside it (the map has no corner free of data): cells that never
    reach the level, the two regime boundaries and the current point."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.rows = [("nan", "never reached in the run")]
        self.rows += [(f"line{k}", text) for k, (_, text, _) in enumerate(BOUNDARIES)]
        self.rows += [("marker", "the live run's parameters")]
        self.icons = [QLabel() for _ in self.rows]
        for k, (icon, (_, text)) in enumerate(zip(self.icons, self.rows, strict=True)):
            label = QLabel(text)
            label.setWordWrap(True)
            row, col = divmod(k, 2)
            self.grid.addWidget(icon, row, 2 * col)
            self.grid.addWidget(label, row, 2 * col + 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.apply_theme()

    def apply_theme(self) -> None:
        size = max(10, round(self.theme.point_size(1.0)))
        for icon, (kind, _) in zip(self.icons, self.rows, strict=True):
            icon.setPixmap(self._sample(kind, size))

    def _sample(self, kind: str, size: int) -> QPixmap:
        pixmap = QPixmap(size * 2, size)
        pixmap.fill(QColor("#5d6d7e") if kind.startswith("line") else Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        if kind == "nan":
            p.setPen(QPen(QColor("#777777")))
            p.setBrush(NAN_BRUSH)
            p.drawRect(1, 1, size * 2 - 2, size - 2)
        elif kind.startswith("line"):  # white on a dark swatch, as on the map
            p.setPen(self.theme.make_pen("#ffffff", BOUNDARIES[int(kind[4:])][2], 0.9))
            p.drawLine(0, size // 2, size * 2, size // 2)
        else:
            p.setPen(QPen(QColor("#000000"), 3))
            p.drawLine(size - size // 2, size // 2, size + size // 2, size // 2)
            p.drawLine(size, 1, size, size - 1)
        p.end()
        return pixmap
