"""What a person checks on a slide, as code: every text on the stage, where it is drawn.

:func:`texts` walks the stage's widgets (caption, year, clock readouts, footer) and its
plot scene (tick labels, axis titles, legend entries, development pause labels, the
clock's "STOPPED" badge) and returns each text with the rectangle it occupies and the
rectangle it must stay inside, in stage coordinates. :func:`problems` turns them into
plain sentences: two texts that overlap, a text cut off by its widget, a legend over a
plotted point, an in-plot label that curves can run through. The layout tests and the frame benchmark use it; nothing here paints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from rsiviz.gui.stage import Stage

SLACK = 1.0  # px: anti-aliasing may touch, not overlap


@dataclass(frozen=True)
class Text:
    """One text on the stage: what it says, where it is, and where it must stay."""

    name: str
    text: str
    rect: QRectF  # the text's own box (stage coordinates)
    room: QRectF  # the box it must fit in (its label's contents, the plot area ...)


def _to_stage(stage: Stage, widget: QWidget, rect: QRectF) -> QRectF:
    top_left = widget.mapTo(stage, rect.topLeft().toPoint())
    return QRectF(QPointF(top_left), rect.size())


def _scene_to_stage(stage: Stage, rect: QRectF) -> QRectF:
    view = stage.plots
    box = view.mapFromScene(rect).boundingRect()
    return _to_stage(stage, view.viewport(), QRectF(box))


def label_text(stage: Stage, name: str, label: QLabel) -> Text:
    """The box of a label's text as Qt lays it out (wrapped when the label wraps)."""
    room = QRectF(label.contentsRect())
    metrics = QFontMetricsF(label.font())
    flags = int(label.alignment().value)
    if label.wordWrap():
        flags |= int(Qt.TextFlag.TextWordWrap.value)
        box = metrics.boundingRect(
            QRectF(room.x(), room.y(), room.width(), 1e5), flags, label.text()
        )
        box.moveTop(room.y())
    else:
        lines = label.text().split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        box = QRectF(0, 0, width, len(lines) * metrics.lineSpacing() - metrics.leading())
        h_align = label.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
        if h_align == Qt.AlignmentFlag.AlignLeft:
            box.moveLeft(room.left())
        elif h_align == Qt.AlignmentFlag.AlignRight:
            box.moveRight(room.right())
        else:
            box.moveCenter(QPointF(room.center().x(), box.center().y()))
        box.moveTop(room.top() + max(0.0, (room.height() - box.height()) / 2))
    return Text(name, label.text(), _to_stage(stage, label, box), _to_stage(stage, label, room))


def widget_texts(stage: Stage) -> list[Text]:
    clock = stage.clock
    labels = {"caption": stage.caption, "year": stage.year, "footer": stage.footer}
    labels.update({f"clock {k}": v for k, v in clock.readouts.items()})
    out = [label_text(stage, k, v) for k, v in labels.items() if v.isVisible() and v.text()]
    face = clock.face
    if face.stopped:
        badge = face.badge_rect()
        metrics = QFontMetricsF(face.badge_font((min(face.width(), face.height()) - 8) / 2))
        text = QRectF(0, 0, metrics.horizontalAdvance("STOPPED"), metrics.height())
        text.moveCenter(badge.center())
        out.append(
            Text(
                "clock badge",
                "STOPPED",
                _to_stage(stage, face, text),
                _to_stage(stage, face, badge),
            )
        )
    return out


def scene_texts(stage: Stage) -> list[Text]:
    plots = stage.plots
    area = _to_stage(stage, plots.viewport(), QRectF(plots.viewport().rect()))
    out: list[Text] = []
    image = QImage(4, 4, QImage.Format.Format_RGB32)  # only for font metrics
    painter = QPainter(image)
    try:
        for where, plot in (("top", plots.top), ("bottom", plots.bottom)):
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                if not axis.isVisible():
                    continue
                _, _, specs = axis.generateDrawSpecs(painter)
                for rect, _flags, text in specs:
                    box = _scene_to_stage(stage, axis.mapRectToScene(QRectF(rect)))
                    out.append(Text(f"{where} {side} tick", text, box, area))
                if axis.label is not None and axis.label.isVisible() and axis.labelText:
                    box = _scene_to_stage(stage, axis.label.sceneBoundingRect())
                    out.append(Text(f"{where} {side} title", axis.labelText, box, area))
    finally:
        painter.end()
    for _sample, label in plots.legend.items:
        box = _scene_to_stage(stage, label.item.sceneBoundingRect())
        legend = _scene_to_stage(stage, plots.legend.sceneBoundingRect())
        out.append(Text("legend", label.text, box, legend))
    for where, plot, labels in (
        ("top", plots.top, plots.top_spans.labels()),
        ("bottom", plots.bottom, [line.label for line in plots.milestones]),
    ):
        view = _scene_to_stage(stage, plot.getViewBox().sceneBoundingRect())
        for label in labels:
            if label.isVisible() and label.parentItem().isVisible():
                box = _scene_to_stage(stage, label.textItem.sceneBoundingRect())
                if not box.intersects(view):
                    continue  # its line is outside the plotted range: not drawn at all
                out.append(Text(f"{where} plot label", label.textItem.toPlainText(), box, view))
    return out


def texts(stage: Stage) -> list[Text]:
    """Every visible text of ``stage`` (see the module docstring)."""
    return widget_texts(stage) + scene_texts(stage)


def _overlaps(a: QRectF, b: QRectF) -> bool:
    both = a.intersected(b)
    return both.width() > SLACK and both.height() > SLACK


def _inside(rect: QRectF, room: QRectF) -> bool:
    return room.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect)


def legend_points(stage: Stage) -> int:
    """How many plotted points of the upper plot lie under the legend."""
    plots = stage.plots
    view = plots.top.getViewBox()
    box = view.mapSceneToView(plots.legend.sceneBoundingRect()).boundingRect()
    hidden = 0
    for item in view.addedItems:
        if isinstance(item, pg.PlotCurveItem) and item.isVisible():
            x, y = item.getData()
            if x is not None and len(x):
                inside = (x >= box.left()) & (x <= box.right())
                inside &= (y >= box.top()) & (y <= box.bottom())
                hidden += int(np.count_nonzero(inside))
    return hidden


def unbacked_labels(stage: Stage) -> list[str]:
    """In-plot labels a curve could run through: no opaque backing, or drawn under curves."""
    plots = stage.plots
    out = []
    for plot, labels in (
        (plots.top, plots.top_spans.labels()),
        (plots.bottom, [line.label for line in plots.milestones]),
    ):
        curves = [
            i.zValue() for i in plot.getViewBox().addedItems if isinstance(i, pg.PlotCurveItem)
        ]
        for label in labels:
            if not (label.isVisible() and label.parentItem().isVisible()):
                continue
            fill = label.fill
            opaque = fill.style() != Qt.BrushStyle.NoBrush and fill.color().alpha() == 255
            if not opaque or label.parentItem().zValue() <= max(curves, default=0.0):
                out.append(
                    f"plot label {label.textItem.toPlainText()!r} has no opaque backing over the curves"
                )
    return out


def problems(stage: Stage) -> list[str]:
    """Plain sentences for everything wrong with the stage's texts as laid out now."""
    found = texts(stage)
    out = [
        f"{t.name} {t.text!r} is cut off: {_fmt(t.rect)} outside {_fmt(t.room)}"
        for t in found
        if not _inside(t.rect, t.room)
    ]
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if _overlaps(a.rect, b.rect):
                out.append(f"{a.name} {a.text!r} overlaps {b.name} {b.text!r}")
    out += unbacked_labels(stage)
    hidden = legend_points(stage)
    if hidden:
        out.append(f"the legend covers {hidden} plotted points")
    return out


def plot_rects(stage: Stage) -> tuple[tuple[float, ...], ...]:
    """The two plots' data areas in stage pixels (the chart must not move between beats)."""
    rects = []
    for plot in (stage.plots.top, stage.plots.bottom):
        rect = _scene_to_stage(stage, plot.getViewBox().sceneBoundingRect())
        rects.append((rect.x(), rect.y(), rect.width(), rect.height()))
    return tuple(rects)


def _fmt(r: QRectF) -> str:
    return f"({r.x():.0f},{r.y():.0f} {r.width():.0f}x{r.height():.0f})"
