"""The loop diagram: the model's feedback loop, animated from the live frame.

Nodes show their levels; each link's width shows how much it contributes now, from the
model's own terms (:mod:`rsiviz.core.loop`); blue links reinforce (+), orange ones balance
(-). During a development pause the links into capability are drawn broken and labelled;
on release their width jumps with the overhang. Hovering a link shows its equation term
and current value; clicking a link cuts it from the month on screen (the controller adds a
:class:`~rsiviz.core.interventions.LinkCut` and the run without that influence is drawn as
a ghost in the plots); clicking it again removes the cut.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rsiviz.core.interventions import LINKS
from rsiviz.core.loop import LOOPS, LoopState, loop_state, node_level
from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.theme import OKABE_ITO
from rsiviz.gui.views.loop_layout import (
    LinkShape,
    NodeBox,
    fonts,
    link_shapes,
    loop_labels,
    node_boxes,
)

SIGN_COLOUR = {1: QColor(OKABE_ITO["blue"]), -1: QColor(OKABE_ITO["vermillion"])}
PAUSED_COLOUR = QColor("#8a8a8a")
CUT_COLOUR = QColor("#222222")
NODE_FILL = QColor("#f4f6f8")
NODE_EDGE = QColor("#5a6470")
INTO_CAPABILITY = ("compute_capability", "software_capability")
MIN_WIDTH, MAX_WIDTH = 1.0, 11.0  # link widths (logical px at UI scale 1)
# A link's width moves in this many visible steps: a frame repaints the links (a few ms
# of antialiased strokes) only when one of them changes step, not every simulated month.
WIDTH_STEPS = 6
COMPACT_BELOW = 300  # a drawing area lower than this (px at UI scale 1) names loops only


class LoopView(QWidget):
    """The causal-loop diagram of MODEL.md, one frame of the live run at a time."""

    KEY = "loop"
    TITLE = "Feedback loop"

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.state: LoopState | None = None
        self.ghost_cuts: dict[str, float | None] = {}  # link -> start of its ghost run's cut
        self._frame_key: tuple[Any, ...] = ()
        self._static: QPixmap | None = None  # background, node boxes, loop labels
        self._layer: QPixmap | None = None  # the static part with the links drawn on it
        self._looks: tuple[tuple[Any, ...], ...] = ()  # how each link is drawn in _layer
        self._levels: dict[str, str] = {}  # node level texts on screen
        self._boxes: dict[str, NodeBox] = {}
        self._shapes: list[LinkShape] = []
        self._level_font = QFont()
        self._label_font = QFont()
        self.setMouseTracking(True)
        self.setMinimumSize(420, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        ctx.view_state.events.frame.connect(self._on_frame)
        ctx.view_state.events.runs.connect(self._on_runs)
        self._on_runs("")
        if ctx.view_state.frame is not None:
            self._on_frame(ctx.view_state.frame)

    # -- model -> view ----------------------------------------------------------------
    def _on_frame(self, snap: Snapshot) -> None:
        live = self.ctx.view_state.runs.get("live")
        cuts = live.scenario.cuts if live is not None else ()
        key = (snap.history, snap.history.length, snap.view_month, cuts)
        if key == self._frame_key:
            return  # same month of the same run: the diagram has not changed
        self._frame_key = key
        self.state = loop_state(snap.history, snap.view_month, cuts)
        self._refresh()

    def _refresh(self) -> None:
        """Repaint what changed: everything when a link looks different, else only the
        node levels whose text changed (a link's width moves in visible steps, so most
        months repaint a few small boxes, not the links)."""
        st = self.state
        if st is None:
            return
        looks = tuple(self._look(shape, st) for shape in self._shapes)
        if self._layer is None or looks != self._looks:
            self._layer = None
            self.update()
            return
        # one rectangle around the changed levels: a region of many small rectangles makes
        # every text drawn into it slower than repainting the union
        dirty = QRect(self._year_rect())
        for key, box in self._boxes.items():
            if node_level(st, key) != self._levels.get(key):
                dirty = dirty.united(box.rect.toAlignedRect())
        self.update(dirty)

    def _on_runs(self, _key: str) -> None:
        ghosts = {}
        for run in self.ctx.view_state.runs_with_role("cut"):
            name = run.key.removeprefix("cut:")
            start = next((c.start for c in run.scenario.cuts if c.name == name), None)
            ghosts[name] = start
        if ghosts != self.ghost_cuts:
            self.ghost_cuts = ghosts
            self._refresh()

    def apply_theme(self) -> None:
        self._static = self._layer = None
        self.update()

    # -- geometry -----------------------------------------------------------------------
    def _scale(self) -> float:
        return float(self.ctx.theme.scale)

    def _layout(self) -> None:
        title_font, self._level_font = fonts(self.ctx.theme.point_size())
        self._label_font = QFont(self._level_font)
        self._label_font.setBold(True)
        margin = 8.0 * self._scale()
        area = QRectF(self.rect()).adjusted(margin, margin + 4, -margin, -margin)
        compact = area.height() < COMPACT_BELOW * self._scale()
        # the key's lines at the bottom, below the diagram
        key_height = QFontMetricsF(self._level_font).height() * (2 if compact else 1) + 4
        key = QRectF(area.left(), area.bottom() - key_height, area.width(), key_height)
        area.setBottom(key.top())
        self._boxes = node_boxes(area, title_font, self._level_font)
        head = 9.0 * self._scale()
        self._shapes = link_shapes(self._boxes, head, max(12.0, 14.0 * self._scale()))
        self._static = self._paint_static(area, key, title_font, compact)
        self._layer = None

    def _paint_static(self, area: QRectF, key: QRectF, title_font: QFont, compact: bool) -> QPixmap:
        """Background, node boxes and titles, loop labels and the key: once per size."""
        ratio = self.devicePixelRatioF()
        pix = QPixmap(self.size() * ratio)
        pix.setDevicePixelRatio(ratio)
        pix.fill(QColor("#ffffff"))
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for box in self._boxes.values():
            p.setPen(QPen(NODE_EDGE, 1.2))
            p.setBrush(NODE_FILL)
            p.drawRoundedRect(box.rect, 6, 6)
            p.setFont(title_font)
            p.setPen(QColor("#111111"))
            top = QRectF(box.rect.adjusted(4, 3, -4, -3))
            p.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, box.title)
        p.setFont(self._label_font)
        for name, (rect, text) in loop_labels(area, self._label_font, compact).items():
            p.setPen(SIGN_COLOUR[1] if name == "R" else SIGN_COLOUR[-1])
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.setFont(self._level_font)
        p.setPen(QColor("#444444"))
        lines = ["+ reinforces   \u2212 balances   width: contribution now   click a link: cut it"]
        if compact:  # the loops are named only in the diagram: say what they are here
            lines.insert(0, "   ".join(text for text, _nodes in LOOPS.values()))
        p.drawText(
            key, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, "\n".join(lines)
        )
        p.end()
        return pix

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self._static = self._layer = None
        super().resizeEvent(event)

    # -- painting -----------------------------------------------------------------------
    def _look(self, shape: LinkShape, st: LoopState) -> tuple[Any, ...]:
        """How a link is drawn: (width step, style, note); equal looks paint the same."""
        link = shape.link
        if st.paused and link.key in INTO_CAPABILITY:
            return (0, "paused", "development pause")
        if link.cut is not None and link.cut in st.cut:
            return (0, "cut", "cut")
        note = "\u2702 cut in ghost run" if link.cut in self.ghost_cuts else ""
        return (round(link.strength(st) * WIDTH_STEPS), "live", note)

    def _year_rect(self) -> QRect:
        return QRect(0, 0, 120, int(8 + 2 * QFontMetricsF(self._label_font).height()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self._static is None or self._static.deviceIndependentSize() != self.size():
            self._layout()
        st = self.state
        if self._layer is None and st is not None:
            self._layer = self._paint_layer(st)
        layer = self._layer or self._static
        assert layer is not None
        p = QPainter(self)
        ratio = layer.devicePixelRatio()
        for r in event.region():  # only the parts that changed (a few node boxes, mostly)
            # whole pixels: an unscaled blit, not a resampled one
            source = QRect(*(round(v * ratio) for v in (r.x(), r.y(), r.width(), r.height())))
            p.drawPixmap(r, layer, source)
        exposed = event.region().boundingRect()
        if st is None:
            return
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setFont(self._level_font)
        p.setPen(QColor("#111111"))
        fm = QFontMetricsF(self._level_font)
        for key, box in self._boxes.items():
            if box.rect.intersects(QRectF(exposed)):
                text = self._levels[key] = node_level(st, key)
                # line by line at a point: much cheaper than laying text out in a rectangle
                lines = text.split("\n")
                y = box.rect.bottom() - 4 - fm.descent() - fm.height() * (len(lines) - 1)
                for line in lines:
                    x = box.rect.center().x() - fm.horizontalAdvance(line) / 2
                    p.drawText(QPointF(x, y), line)
                    y += fm.height()
        p.setFont(self._label_font)
        p.drawText(QPointF(8, 4 + p.fontMetrics().ascent()), f"{st.year:.1f}")

    def _paint_layer(self, st: LoopState) -> QPixmap:
        """The static picture with every link drawn at its current look."""
        assert self._static is not None
        layer = QPixmap(self._static)
        p = QPainter(layer)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._looks = tuple(self._look(shape, st) for shape in self._shapes)
        for shape, look in zip(self._shapes, self._looks, strict=True):
            self._paint_link(p, shape, look)
        p.end()
        return layer

    def _paint_link(self, p: QPainter, shape: LinkShape, look: tuple[Any, ...]) -> None:
        step, style, note = look
        link = shape.link
        colour = {"paused": PAUSED_COLOUR, "cut": CUT_COLOUR}.get(style, SIGN_COLOUR[link.sign])
        if style != "live":  # broken: a thin dashed line
            pen = QPen(colour, max(2.0, 2.5 * self._scale()), Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(shape.path)
        else:
            width = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * step / WIDTH_STEPS
            p.fillPath(shape.outline(width * self._scale()), colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(shape.head)
        self._paint_label(p, shape.mid, "+" if link.sign > 0 else "\u2212", note, colour)

    def _paint_label(self, p: QPainter, at: QPointF, sign: str, note: str, colour: QColor) -> None:
        p.setFont(self._label_font)
        fm = p.fontMetrics()
        text = f"{sign} {note}" if note else sign
        w, h = fm.horizontalAdvance(text) + 8, fm.height() + 2
        rect = QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRoundedRect(rect, 4, 4)
        p.setPen(colour)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    # -- hover and click ----------------------------------------------------------------
    def link_at(self, pos: QPointF) -> LinkShape | None:
        """The link under ``pos`` (widget coordinates), the nearest-drawn one on top."""
        if self._static is None:
            self._layout()
        for shape in reversed(self._shapes):
            if shape.hit.contains(pos):
                return shape
        return None

    def tooltip_at(self, pos: QPointF) -> str:
        shape = self.link_at(pos)
        if shape is None or self.state is None:
            return ""
        link, text = shape.link, shape.link.describe(self.state)
        if link.cut is None:
            return f"{text}\n(this influence cannot be cut)"
        if link.cut in self.state.cut:
            return f"{text}\ncut in this scenario: {LINKS[link.cut]}"
        if link.cut in self.ghost_cuts:
            return f"{text}\nclick: remove the cut (and its ghost run)"
        return (
            f"{text}\nclick: cut it from {self.state.year:.1f} ({LINKS[link.cut]}) "
            "and draw the run without it as a ghost"
        )

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(e.pos()))  # type: ignore[attr-defined]
            if text:
                QToolTip.showText(e.globalPos(), text, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        shape = self.link_at(e.position())
        cuttable = shape is not None and shape.link.cut is not None
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if cuttable else Qt.CursorShape.ArrowCursor
        )

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if e.button() != Qt.MouseButton.LeftButton:
            return
        shape = self.link_at(e.position())
        if shape is not None:
            self.click_link(shape.link.key)

    def click_link(self, key: str) -> None:
        """Cut the link ``key`` from the month on screen, or remove its cut."""
        shape = next(s for s in self._shapes or self._ensure_shapes() if s.link.key == key)
        name = shape.link.cut
        if name is None:
            self.ctx.show_message(
                "info", "This influence is part of the model's equations and cannot be cut."
            )
        elif self.state is not None and name in self.state.cut:
            self.ctx.show_message("info", f"The link {name} is cut in the scenario itself.")
        elif name in self.ghost_cuts:
            self.ctx.controller.remove_cut(name)
        else:
            self.ctx.controller.cut_link(name)

    def _ensure_shapes(self) -> list[LinkShape]:
        self._layout()
        return self._shapes
