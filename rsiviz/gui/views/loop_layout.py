"""Where the loop diagram's nodes, links and loop labels go, in the widget's pixels.

Positions are fractions of the drawing area, so the diagram fills any dock; text sizes come
from the theme. The static part (node boxes, titles, loop labels) is painted once per size
and theme into a pixmap; each frame only strokes the links and writes the node levels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainterPath, QPainterPathStroker, QPolygonF

from rsiviz.core.loop import LOOP_LINKS, LOOPS, NODES, LoopLink

# Node centres as fractions of the drawing area. The reinforcing loop R runs clockwise
# through capability, automation, labour, progress and software; oversight and the gap sit
# on the right, where B2 closes through capability.
NODE_POS: dict[str, tuple[float, float]] = {
    "compute": (0.10, 0.10),
    "capability": (0.40, 0.10),
    "gap": (0.88, 0.10),
    "software": (0.10, 0.46),
    "automation": (0.64, 0.36),
    "oversight": (0.88, 0.44),
    "labour": (0.64, 0.80),
    "progress": (0.30, 0.88),
}
# Bend of a link (fraction of its length, to the left of its direction): keeps the two
# links between software and progress apart, and others off nodes they would cross.
BEND: dict[str, float] = {
    "returns": 0.22,
    "progress_software": 0.22,
}
LOOP_LABEL_POS: dict[str, tuple[float, float]] = {
    "R": (0.50, 0.34),
    "B1": (0.07, 0.80),
    "B2": (0.80, 0.26),
}
# The widest level each node may show (sizes its box; see rsiviz.core.loop.node_level).
LEVEL_SAMPLES: dict[str, str] = {
    "progress": "M = 999,000x\ndoubling 1.23 mo",
    "labour": "speeds research 999,000x",
    "automation": "a = 100%",
}
MIN_POINT_SIZE = 8.5  # never smaller, however small the dock


@dataclass
class NodeBox:
    rect: QRectF
    title: str


@dataclass
class LinkShape:
    link: LoopLink
    path: QPainterPath  # the curve from the source box's edge to the target box's edge
    head: QPolygonF  # arrowhead at the target
    mid: QPointF  # where its sign (+/-) is written
    hit: QPainterPath  # the area that counts as on the link (hover, click)
    line: QLineF | None = None  # the path, when it is a straight line
    outlines: dict[int, QPainterPath] = field(default_factory=dict)

    def outline(self, width: float) -> QPainterPath:
        """The stroke of :attr:`path` at ``width`` (to half a pixel), as a path to fill.

        For a curve, filling a cached outline is several times cheaper than stroking the
        path anew (a straight line is drawn with a pen instead, cheaper still).
        """
        key = round(width * 2)
        out = self.outlines.get(key)
        if out is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(key / 2)
            stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
            out = self.outlines[key] = stroker.createStroke(self.path)
        return out


def fonts(point_size: float) -> tuple[QFont, QFont]:
    """(title, level) fonts of the nodes."""
    title, level = QFont(), QFont()
    title.setPointSizeF(max(MIN_POINT_SIZE, point_size * 0.8))
    title.setBold(True)
    level.setPointSizeF(max(MIN_POINT_SIZE, point_size * 0.75))
    return title, level


def node_boxes(area: QRectF, title_font: QFont, level_font: QFont) -> dict[str, NodeBox]:
    """A box per node, big enough for its title (wrapped in two lines) and level."""
    tm, lm = QFontMetricsF(title_font), QFontMetricsF(level_font)
    boxes = {}
    for key, title in NODES.items():
        text = title.replace(" (", "\n(").replace(" of ", "\nof ") if len(title) > 18 else title
        lines = text.split("\n")
        levels = LEVEL_SAMPLES.get(key, "+10.0 OOM").split("\n")
        width = max(tm.horizontalAdvance(t) for t in lines)
        width = max(width, *(lm.horizontalAdvance(t) for t in levels))
        height = tm.height() * len(lines) + lm.height() * len(levels) + 8
        fx, fy = NODE_POS[key]
        cx, cy = area.left() + fx * area.width(), area.top() + fy * area.height()
        rect = QRectF(cx - width / 2 - 6, cy - height / 2, width + 12, height)
        # inside the area, however narrow the dock
        rect.moveLeft(min(max(rect.left(), area.left()), area.right() - rect.width()))
        rect.moveTop(min(max(rect.top(), area.top()), area.bottom() - rect.height()))
        boxes[key] = NodeBox(rect, text)
    return boxes


def _edge_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the line from ``rect``'s centre towards ``towards`` leaves the rectangle."""
    c = rect.center()
    dx, dy = towards.x() - c.x(), towards.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    sx = rect.width() / 2 / abs(dx) if dx else math.inf
    sy = rect.height() / 2 / abs(dy) if dy else math.inf
    s = min(sx, sy) + 0.02
    return QPointF(c.x() + dx * s, c.y() + dy * s)


def link_shapes(boxes: dict[str, NodeBox], head_size: float, hit_width: float) -> list[LinkShape]:
    """The curve, arrowhead and hit area of every link of :data:`LOOP_LINKS`."""
    shapes = []
    stroker = QPainterPathStroker()
    stroker.setWidth(hit_width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    for link in LOOP_LINKS:
        a, b = boxes[link.source].rect, boxes[link.target].rect
        bend = BEND.get(link.key, 0.0)
        dx, dy = b.center().x() - a.center().x(), b.center().y() - a.center().y()
        mid = QPointF(
            (a.center().x() + b.center().x()) / 2 + bend * dy,
            (a.center().y() + b.center().y()) / 2 - bend * dx,
        )
        start, end = _edge_point(a, mid), _edge_point(b, mid)
        path = QPainterPath(start)
        if bend:
            path.quadTo(mid, end)
        else:
            path.lineTo(end)  # a straight line strokes several times faster than a curve
        # stop the line short of the arrowhead's tip so a thick line does not blunt it
        tip_dir = QPointF(end.x() - mid.x(), end.y() - mid.y())
        norm = math.hypot(tip_dir.x(), tip_dir.y()) or 1.0
        ux, uy = tip_dir.x() / norm, tip_dir.y() / norm
        head = QPolygonF(
            [
                end,
                QPointF(
                    end.x() - head_size * (ux - 0.5 * uy), end.y() - head_size * (uy + 0.5 * ux)
                ),
                QPointF(
                    end.x() - head_size * (ux + 0.5 * uy), end.y() - head_size * (uy - 0.5 * ux)
                ),
            ]
        )
        label = path.pointAtPercent(0.5)
        line = None if bend else QLineF(start, end)
        shapes.append(LinkShape(link, path, head, label, stroker.createStroke(path), line))
    return shapes


def loop_labels(area: QRectF, font: QFont, compact: bool) -> dict[str, tuple[QRectF, str]]:
    """Each loop's label and its box: the name and what it is, wrapped in two lines, or
    (``compact``, for a short dock) the name alone, explained in the key line instead."""
    fm = QFontMetricsF(font)
    out = {}
    for key, (fx, fy) in LOOP_LABEL_POS.items():
        name, _, what = LOOPS[key][0].partition(": ")
        words = [] if compact else what.split()
        half = (len(words) + 1) // 2 if len(what) > 24 else len(words)
        lines = [f"{name}: " + " ".join(words[:half]) if words else name, " ".join(words[half:])]
        text = "\n".join(line for line in lines if line)
        w = max(fm.horizontalAdvance(line) for line in lines) + 6
        h = fm.height() * (2 if lines[1] else 1) + 2
        x = area.left() + fx * area.width() - w / 2
        rect = QRectF(
            min(max(x, area.left()), area.right() - w),
            area.top() + fy * area.height() - h / 2,
            w,
            h,
        )
        out[key] = (rect, text)
    return out
