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

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer
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

from rsiviz.core.interventions import LINKS, LinkCut
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
from rsiviz.gui.views.loop_paint import Look, LoopCanvas

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
# A frame draws one part of the picture: the links and the year, or half the node levels
# (NODES' order: each half from all over the diagram); the rest follows with later frames,
# or SETTLE_MS after the last one.
PARTS: tuple[tuple[str, ...], ...] = (
    (),
    ("compute", "capability", "automation", "progress"),
    ("software", "labour", "oversight", "gap"),
)
SETTLE_MS = 40
DRAW_EVERY = 3  # frames: the diagram draws on one frame in this many


def _link_colour(shape: LinkShape, style: str) -> QColor:
    return {"paused": PAUSED_COLOUR, "cut": CUT_COLOUR}.get(style, SIGN_COLOUR[shape.link.sign])


def _link_width(step: int) -> float:
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * step / WIDTH_STEPS


class LoopView(QWidget):
    """The causal-loop diagram of MODEL.md, one frame of the live run at a time."""

    KEY = "loop"
    TITLE = "Feedback loop"

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self._state: LoopState | None = None
        self._pending: tuple[Any, int, tuple[LinkCut, ...]] | None = None  # a frame not read
        self._frames = 0
        self.ghost_cuts: dict[str, float | None] = {}  # link -> start of its ghost run's cut
        self._frame_key: tuple[Any, ...] = ()
        self.canvas = LoopCanvas(_link_colour, _link_width)
        self._turn = 0  # the part of the picture the last frame drew (PARTS)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(lambda: self._refresh(part=True))
        self.setMouseTracking(True)
        self.setMinimumSize(420, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        ctx.view_state.events.frame.connect(self._on_frame)
        ctx.view_state.events.runs.connect(self._on_runs)
        self._on_runs("")
        if ctx.view_state.frame is not None:
            self._on_frame(ctx.view_state.frame)

    # what the picture shows (tests read these)
    @property
    def _shapes(self) -> list[LinkShape]:
        return self.canvas.shapes

    @property
    def _boxes(self) -> dict[str, NodeBox]:
        return self.canvas.boxes

    @property
    def _levels(self) -> dict[str, str]:
        return self.canvas.levels

    # -- model -> view ----------------------------------------------------------------
    @property
    def state(self) -> LoopState | None:
        """The loop at the month on screen (worked out when first needed)."""
        if self._pending is not None:
            hist, month, cuts = self._pending
            self._pending = None
            self._state = loop_state(hist, month, cuts)
        return self._state

    def _on_frame(self, snap: Snapshot) -> None:
        live = self.ctx.view_state.runs.get("live")
        cuts = live.scenario.cuts if live is not None else ()
        key = (snap.history, snap.history.length, snap.view_month, cuts)
        if key == self._frame_key:
            return  # same month of the same run: the diagram has not changed
        self._frame_key = key
        self._pending = (snap.history, snap.view_month, cuts)
        self._frames += 1
        if self._frames % DRAW_EVERY:  # the next frame that draws (or the settle) draws it
            self._settle.start()
            return
        self._refresh(part=True)

    def _refresh(self, part: bool = False) -> None:
        """Bring the picture up to date and repaint only what changed on screen: a link's
        width moves in visible steps and texts change a few characters, so most months
        redraw a few small boxes, not the links.

        ``part`` (a new frame): one of :data:`PARTS` in turn (the links and the year, or
        half the node levels), so a frame pays for a third of the picture; the rest follows
        with later frames, or :data:`SETTLE_MS` after the last one. With frames drawn every
        other frame (:meth:`_on_frame`), at one simulated month per 60 Hz frame each part
        is redrawn 10 times a second: still motion to the eye.
        """
        if self.canvas.pixmap is None:
            self.update()  # laid out and drawn whole at the next paint
            return
        if part:
            rects: list[QRect] = []
            for _ in PARTS:  # the next part with something new
                self._turn = (self._turn + 1) % len(PARTS)
                rects = self._draw_part(PARTS[self._turn])
                if rects:
                    self._settle.start()  # the rest follows when frames stop
                    break
        else:
            self._settle.stop()
            rects = self.canvas.update(*self._picture())
        for rect in rects:
            self.update(rect)

    def _draw_part(self, nodes: tuple[str, ...]) -> list[QRect]:
        """Redraw the levels of ``nodes``, or (none) the links and the year."""
        if not nodes:
            return self.canvas.update(self._looks(), None, self._year())
        return self.canvas.update(None, self._level_texts(nodes))

    def flush(self) -> None:
        """Draw every part of the state now (tests, screenshots)."""
        self._refresh()

    def _picture(self) -> tuple[list[Look], dict[str, str], str]:
        """The looks of the links, the node levels and the year the state shows."""
        return self._looks(), self._level_texts(), self._year()

    def _looks(self) -> list[Look]:
        st = self.state
        return [] if st is None else [self._look(shape, st) for shape in self.canvas.shapes]

    def _level_texts(self, nodes: tuple[str, ...] | None = None) -> dict[str, str]:
        st = self.state
        keys = self.canvas.boxes if nodes is None else nodes
        return {} if st is None else {key: node_level(st, key) for key in keys}

    def _year(self) -> str:
        return "" if self.state is None else f"{self.state.year:.1f}"

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
        self.canvas.invalidate()
        self.update()

    # -- geometry -----------------------------------------------------------------------
    def _scale(self) -> float:
        return float(self.ctx.theme.scale)

    def _layout(self) -> None:
        title_font, level_font = fonts(self.ctx.theme.point_size())
        label_font = QFont(level_font)
        label_font.setBold(True)
        margin = 8.0 * self._scale()
        area = QRectF(self.rect()).adjusted(margin, margin + 4, -margin, -margin)
        compact = area.height() < COMPACT_BELOW * self._scale()
        # the key's lines at the bottom, below the diagram
        key_height = QFontMetricsF(level_font).height() * (2 if compact else 1) + 4
        key = QRectF(area.left(), area.bottom() - key_height, area.width(), key_height)
        area.setBottom(key.top())
        boxes = node_boxes(area, title_font, level_font)
        head = 9.0 * self._scale()
        shapes = link_shapes(boxes, head, max(12.0, 14.0 * self._scale()))
        static = self._paint_static(boxes, area, key, (title_font, level_font, label_font), compact)
        self.canvas.set_layout(static, boxes, shapes, (level_font, label_font), self._scale())

    def _paint_static(
        self,
        boxes: dict[str, NodeBox],
        area: QRectF,
        key: QRectF,
        fonts: tuple[QFont, QFont, QFont],
        compact: bool,
    ) -> QPixmap:
        """Background, node boxes and titles, loop labels and the key: once per size."""
        title_font, level_font, label_font = fonts
        ratio = self.devicePixelRatioF()
        pix = QPixmap(self.size() * ratio)
        pix.setDevicePixelRatio(ratio)
        pix.fill(QColor("#ffffff"))
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for box in boxes.values():
            p.setPen(QPen(NODE_EDGE, 1.2))
            p.setBrush(NODE_FILL)
            p.drawRoundedRect(box.rect, 6, 6)
            p.setFont(title_font)
            p.setPen(QColor("#111111"))
            top = QRectF(box.rect.adjusted(4, 3, -4, -3))
            p.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, box.title)
        p.setFont(label_font)
        for name, (rect, text) in loop_labels(area, label_font, compact).items():
            p.setPen(SIGN_COLOUR[1] if name == "R" else SIGN_COLOUR[-1])
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.setPen(QColor("#444444"))
        lines = ["+ reinforces   \u2212 balances   width: contribution now   click a link: cut it"]
        if compact:  # the loops are named only in the diagram: say what they are here
            lines.insert(0, "   ".join(text for text, _nodes in LOOPS.values()))
        # Shrunk to the width, measured on the pixmap itself (at 1024x768 the first line ran
        # off the left edge); a line still too wide at 60% is elided.
        p.setFont(level_font)
        widest = max(p.fontMetrics().horizontalAdvance(line) for line in lines)
        font = QFont(level_font)
        fit = 0.96 * key.width() / widest  # 4%: hinted glyphs do not scale exactly
        font.setPointSizeF(level_font.pointSizeF() * max(0.6, min(1.0, fit)))
        p.setFont(font)
        metrics = p.fontMetrics()
        lines = [
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(key.width()))
            for line in lines
        ]
        p.drawText(
            key, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, "\n".join(lines)
        )
        p.end()
        return pix

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.canvas.invalidate()
        super().resizeEvent(event)

    # -- painting -----------------------------------------------------------------------
    def _look(self, shape: LinkShape, st: LoopState) -> Look:
        """How a link is drawn: (width step, style, note); equal looks paint the same."""
        link = shape.link
        if st.paused and link.key in INTO_CAPABILITY:
            return (0, "paused", "development pause")
        if link.cut is not None and link.cut in st.cut:
            return (0, "cut", "cut")
        note = "\u2702 cut in ghost run" if link.cut in self.ghost_cuts else ""
        return (round(link.strength(st) * WIDTH_STEPS), "live", note)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        canvas = self.canvas
        if canvas.static is None or canvas.static.deviceIndependentSize() != self.size():
            self._layout()
        if canvas.pixmap is None:
            canvas.draw_all(*self._picture())
        elif self._settle.isActive() and event.rect() == self.rect():
            self._settle.stop()  # shown whole (exposed, grabbed): the state whole too
            canvas.update(*self._picture())
        pix = canvas.pixmap
        assert pix is not None
        p = QPainter(self)
        ratio = pix.devicePixelRatio()
        for r in event.region():  # only the parts that changed (a few node boxes, mostly)
            # whole pixels: an unscaled copy, not a resampled one
            source = QRect(*(round(v * ratio) for v in (r.x(), r.y(), r.width(), r.height())))
            p.drawPixmap(r, pix, source)

    # -- hover and click ----------------------------------------------------------------
    def link_at(self, pos: QPointF) -> LinkShape | None:
        """The link under ``pos`` (widget coordinates), the nearest-drawn one on top."""
        if self.canvas.static is None:
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
