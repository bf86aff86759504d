"""The loop diagram's picture, kept up to date a rectangle at a time.

A frame of the live run changes a few node levels, the year and, now and then, one link's
width step. Repainting the whole diagram for that cost several ms (antialiased slanted
strokes, text layout, a full-size pixmap copy). :class:`LoopCanvas` keeps the finished
picture in a pixmap instead and repaints only the rectangles that changed: inside each,
it restores the static background (node boxes, titles, loop labels, key), draws the links
that cross it in their order, then the texts, so the result is the picture a full repaint
would give, pixel for pixel. The widget then only copies those rectangles to the screen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QRegion

from rsiviz.gui.views.loop_layout import LinkShape, NodeBox

# How a link is drawn: (width step, style, note); equal looks paint the same pixels.
Look = tuple[int, str, str]


class Glyphs:
    """Text drawn from small cached pixmaps: one per word, and one per character of a number.

    The node levels and the year change every simulated month; laying each new string out
    and rasterising it cost ~0.15 ms a line, several times a frame. Copying a few cached
    pieces costs a fraction of that. Pieces sit on whole device pixels, with no kerning
    between them (the texts are numbers, units and short words).
    """

    def __init__(self, font: QFont, colour: QColor, ratio: float) -> None:
        self.font, self.colour, self.ratio = font, colour, ratio
        self.metrics = QFontMetricsF(font)
        self._pieces: dict[str, tuple[QPixmap, float]] = {}
        self._lines: dict[str, tuple[float, list[tuple[QPixmap, float]]]] = {}
        self.pad = math.ceil(self.metrics.height() / 4)  # room for glyphs past their advance

    def _piece(self, text: str) -> tuple[QPixmap, float]:
        got = self._pieces.get(text)
        if got is None:
            advance = self.metrics.horizontalAdvance(text)
            pad, r = self.pad, self.ratio
            w, h = math.ceil(advance) + 2 * pad, math.ceil(self.metrics.height())
            pix = QPixmap(round(w * r), round(h * r))
            pix.setDevicePixelRatio(r)
            pix.fill(Qt.GlobalColor.transparent)
            p = QPainter(pix)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            p.setFont(self.font)
            p.setPen(self.colour)
            p.drawText(QPointF(pad, self.metrics.ascent()), text)
            p.end()
            got = self._pieces[text] = (pix, advance)
        return got

    def layout(self, line: str) -> tuple[float, list[tuple[QPixmap, float]]]:
        """(width, [(piece, x offset)]) of one line: words whole (a few, reused every
        frame), numbers character by character (many values, few characters)."""
        got = self._lines.get(line)
        if got is None:
            x, placed = 0.0, []
            for word in _WORDS.findall(line):
                digits = any(ch.isdigit() for ch in word)
                for piece in list(word) if digits else [word]:
                    pix, advance = self._piece(piece)
                    if not piece.isspace():
                        placed.append((pix, x - self.pad))
                    x += advance
            if len(self._lines) > 4096:  # values seldom repeat: keep the cache small
                self._lines.clear()
            got = self._lines[line] = (x, placed)
        return got

    def draw(self, p: QPainter, x: float, baseline: float, line: str) -> None:
        """``line`` with its baseline at ``baseline``, starting at ``x``."""
        r = self.ratio
        top = round((baseline - self.metrics.ascent()) * r) / r
        for pix, dx in self.layout(line)[1]:
            p.drawPixmap(QPointF(round((x + dx) * r) / r, top), pix)


_WORDS = re.compile(r"\S+|\s+")


class LoopCanvas:
    """The diagram as a pixmap: static part, links at their looks, node levels, year.

    Parameters
    ----------
    colour : callable
        ``colour(shape, style)``: the colour of a link in a style ("live", "paused", "cut").
    width : callable
        ``width(step)``: a live link's width (logical px) at a width step.
    """

    def __init__(self, colour: Any, width: Any) -> None:
        self.colour, self.width = colour, width
        self.static: QPixmap | None = None
        self.pixmap: QPixmap | None = None
        self.boxes: dict[str, NodeBox] = {}
        self.shapes: list[LinkShape] = []
        self.level_font, self.label_font = QFont(), QFont()
        self.scale = 1.0
        self.looks: list[Look] = []
        self.covers: list[QRectF] = []  # what each link's pixels may touch, as drawn
        self.levels: dict[str, str] = {}
        self.level_rects: dict[str, QRectF] = {}  # where each level is written
        self.year = ""
        self._sprites: dict[tuple[str, str], QPixmap] = {}  # link labels, drawn once
        self._level_glyphs = self._year_glyphs = Glyphs(QFont(), QColor("#111111"), 1.0)
        self._covers: dict[tuple[int, Look], _Placed] = {}
        self._year_rect = QRect()

    def set_layout(
        self,
        static: QPixmap,
        boxes: dict[str, NodeBox],
        shapes: list[LinkShape],
        fonts: tuple[QFont, QFont],
        scale: float,
    ) -> None:
        """A new size or theme: the picture is redrawn whole on the next :meth:`draw_all`."""
        self.static, self.boxes, self.shapes = static, boxes, shapes
        self.level_font, self.label_font = fonts
        self.scale = scale
        self.pixmap = None
        self._sprites.clear()
        self._covers.clear()
        ratio, ink = static.devicePixelRatio(), QColor("#111111")
        self._level_glyphs = Glyphs(self.level_font, ink, ratio)
        self._year_glyphs = Glyphs(self.label_font, ink, ratio)
        self._year_rect = QRect(0, 0, 120, int(8 + 2 * self._year_glyphs.metrics.height()))

    def invalidate(self) -> None:
        self.static = self.pixmap = None

    # -- whole and partial repaints --------------------------------------------------------
    def draw_all(self, looks: Sequence[Look], levels: dict[str, str], year: str) -> None:
        """Draw the whole picture (after a new layout)."""
        assert self.static is not None
        self.pixmap = QPixmap(self.static)
        self._set(looks, levels, year)
        p = self._painter()
        self._draw(p, None)
        p.end()

    def update(
        self,
        looks: Sequence[Look] | None = None,
        levels: dict[str, str] | None = None,
        year: str | None = None,
    ) -> list[QRect]:
        """Bring the parts given (None: keep that part as drawn) to these looks and texts;
        returns the widget rectangles that changed."""
        if self.pixmap is None or (looks is not None and len(looks) != len(self.looks)):
            self.draw_all(looks or [], levels or {}, year or "")
            return [self.pixmap.rect()] if self.pixmap is not None else []
        dirty = []
        for i, look in enumerate(looks or ()):
            if look != self.looks[i]:
                cover = self._placed(i, look).cover
                dirty.append(self.covers[i].united(cover))
                self.looks[i], self.covers[i] = look, cover
        for key, text in (levels or {}).items():
            if self.levels.get(key) != text:
                rect = self._level_rect(key, text)
                dirty.append(rect.united(self.level_rects.get(key, rect)))
                self.levels[key], self.level_rects[key] = text, rect
        if year is not None and year != self.year:
            dirty.append(QRectF(self._year_rect))
            self.year = year
        rects = [self._device_aligned(r) for r in dirty]
        if rects:
            p = self._painter()
            self._draw(p, rects)
            p.end()
        return [r.toAlignedRect() for r in rects]

    def _set(self, looks: Sequence[Look], levels: dict[str, str], year: str) -> None:
        self.looks = list(looks)
        self.covers = [self._placed(i, look).cover for i, look in enumerate(self.looks)]
        self.levels, self.year = dict(levels), year
        self.level_rects = {k: self._level_rect(k, text) for k, text in levels.items()}

    def _painter(self) -> QPainter:
        assert self.pixmap is not None
        p = QPainter(self.pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        return p

    def _draw(self, p: QPainter, clip: list[QRectF] | None) -> None:
        """Static part, links, texts: everywhere (``clip`` None) or inside the ``clip``
        rectangles (in one pass: each link and text drawn once, whatever it crosses)."""
        assert self.static is not None
        if clip is not None:
            region, r = QRegion(), self.static.devicePixelRatio()
            for rect in clip:
                # whole device pixels (_device_aligned): a 1:1 copy of the background. Only
                # the rectangle: a clipped copy of the whole pixmap is handed to Qt's
                # worker threads, whose start and wait cost more than the copy
                source = QRectF(rect.x() * r, rect.y() * r, rect.width() * r, rect.height() * r)
                p.drawPixmap(rect, self.static, source)
                region += rect.toAlignedRect()
            p.setClipRegion(region)
        for i, look in enumerate(self.looks):
            if clip is None or any(
                self.covers[i].intersects(r) and self._touches(i, look, r) for r in clip
            ):
                self._draw_link(p, i, look)
        for key, text in self.levels.items():
            if clip is None or _meets(self.level_rects[key], clip):
                _draw_lines(self._level_glyphs, p, self.boxes[key].rect, text)
        if self.year and (clip is None or _meets(QRectF(self._year_rect), clip)):
            glyphs = self._year_glyphs
            glyphs.draw(p, 8, 4 + glyphs.metrics.ascent(), self.year)

    def _level_rect(self, key: str, text: str) -> QRectF:
        """Where node ``key``'s level ``text`` is written, just around its lines (no link
        reaches in there, so a new level repaints only this)."""
        glyphs, rect = self._level_glyphs, self.boxes[key].rect
        lines = text.split("\n")
        width = max(glyphs.layout(line)[0] for line in lines) + 2 * glyphs.pad + 2
        height = glyphs.metrics.height() * len(lines) + 6
        return QRectF(rect.center().x() - width / 2, rect.bottom() - height, width, height - 2)

    def _touches(self, i: int, look: Look, clip: QRectF) -> bool:
        """Whether link ``i``'s pixels may reach into ``clip``: its head, its tag or its
        stroke (its bounding rectangle meets ``clip`` already)."""
        placed = self._placed(i, look)
        if placed.head_box.intersects(clip) or placed.tag.intersects(clip):
            return True
        shape = self.shapes[i]
        if shape.line is None:
            return shape.hit.intersects(clip)  # a curve (two links): the general test
        half = placed.width / 2 + 2
        return _segment_meets(shape.line, clip.adjusted(-half, -half, half, half))

    def _device_aligned(self, rect: QRectF) -> QRectF:
        """``rect`` grown to whole device pixels, so the restored background is a 1:1 copy."""
        assert self.pixmap is not None
        r = self.pixmap.devicePixelRatio()
        left, top = math.floor(rect.left() * r), math.floor(rect.top() * r)
        right, bottom = math.ceil(rect.right() * r), math.ceil(rect.bottom() * r)
        return QRectF(left / r, top / r, (right - left) / r, (bottom - top) / r)

    # -- links ----------------------------------------------------------------------------
    def _placed(self, i: int, look: Look) -> _Placed:
        """How and where link ``i`` is drawn with ``look``: worked out once per look."""
        got = self._covers.get((i, look))
        if got is None:
            shape = self.shapes[i]
            step, style, note = look
            colour = self.colour(shape, style)
            width = max(2.0, 2.5 * self.scale) if style != "live" else self.width(step) * self.scale
            sign = "+" if shape.link.sign > 0 else "\u2212"
            # The note on the tag, or only the sign when the link is too short for it (at
            # 1024x768 "development pause" covered the Compute and Capability boxes; the
            # dashed grey line and the other tags still say it).
            for text in (f"{sign} {note}", sign) if note else (sign,):
                sprite = self._sprite(text, colour)
                at, tag = self._tag_at(shape, sprite)
                if not self._on_a_box(tag):
                    break
            head_box = shape.head.boundingRect().adjusted(-1.5, -1.5, 1.5, 1.5)
            half = width / 2 + 2
            cover = shape.path.boundingRect().adjusted(-half, -half, half, half)
            cover = cover.united(head_box).united(tag)
            got = self._covers[i, look] = _Placed(colour, width, sprite, at, tag, head_box, cover)
        return got

    def _tag_at(self, shape: LinkShape, sprite: QPixmap) -> tuple[QPointF, QRectF]:
        """Where a tag goes: on the link, on a whole device pixel; at its middle unless a
        node's box is there (a short link), then the nearest free point along it."""
        size, r = sprite.deviceIndependentSize(), self._ratio()
        placed = None
        for percent in (None, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            centre = shape.mid if percent is None else shape.path.pointAtPercent(percent)
            at = QPointF(
                round((centre.x() - size.width() / 2) * r) / r,
                round((centre.y() - size.height() / 2) * r) / r,
            )
            placed = (at, QRectF(at, size))
            if not self._on_a_box(placed[1]):
                break
        assert placed is not None
        return placed

    def _on_a_box(self, rect: QRectF) -> bool:
        return any(box.rect.intersects(rect) for box in self.boxes.values())

    def _draw_link(self, p: QPainter, i: int, look: Look) -> None:
        shape, placed = self.shapes[i], self._placed(i, look)
        colour = placed.colour
        if look[1] != "live":  # broken: a thin dashed line
            pen = QPen(colour, placed.width, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(shape.path)
        elif shape.line is not None:
            # a wide straight line: the raster engine's line path, ~10x cheaper than
            # filling its outline polygon when it is slanted
            pen = QPen(colour, placed.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawLine(shape.line)
        else:
            p.fillPath(shape.outline(placed.width), colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(shape.head)
        p.drawPixmap(placed.at, placed.sprite)

    def _sprite(self, text: str, colour: QColor) -> QPixmap:
        """A link's tag (+/- and note on a white tag), drawn once per text and colour."""
        key = (text, colour.name())
        sprite = self._sprites.get(key)
        if sprite is None:
            sprite = self._sprites[key] = _label_sprite(
                text, colour, self.label_font, self._ratio()
            )
        return sprite

    def _ratio(self) -> float:
        return self.static.devicePixelRatio() if self.static is not None else 1.0


@dataclass(frozen=True)
class _Placed:
    """A link drawn with one look: colour, width (logical px), tag and what it covers."""

    colour: QColor
    width: float
    sprite: QPixmap
    at: QPointF  # the tag's top-left
    tag: QRectF
    head_box: QRectF
    cover: QRectF  # every pixel the link may touch, antialiasing and all


def _meets(rect: QRectF, rects: list[QRectF]) -> bool:
    return any(rect.intersects(r) for r in rects)


def _segment_meets(line: QLineF, rect: QRectF) -> bool:
    """Whether the segment ``line`` passes through ``rect`` (Liang-Barsky clipping)."""
    x0, y0, dx, dy = line.x1(), line.y1(), line.dx(), line.dy()
    lo, hi = 0.0, 1.0
    for p, q in (
        (-dx, x0 - rect.left()),
        (dx, rect.right() - x0),
        (-dy, y0 - rect.top()),
        (dy, rect.bottom() - y0),
    ):
        if p == 0:
            if q < 0:
                return False  # parallel to this edge and outside it
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _label_sprite(text: str, colour: QColor, font: QFont, ratio: float) -> QPixmap:
    fm = QFontMetricsF(font)
    w, h = math.ceil(fm.horizontalAdvance(text) + 8), math.ceil(fm.height() + 2)
    pix = QPixmap(round(w * ratio), round(h * ratio))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 230))
    p.drawRoundedRect(QRectF(0, 0, w, h), 4, 4)
    p.setFont(font)
    p.setPen(colour)
    p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pix


def _draw_lines(glyphs: Glyphs, p: QPainter, rect: QRectF, text: str) -> None:
    """``text`` centred at the bottom of ``rect``, line by line."""
    lines = text.split("\n")
    fm = glyphs.metrics
    y = rect.bottom() - 4 - fm.descent() - fm.height() * (len(lines) - 1)
    for line in lines:
        glyphs.draw(p, rect.center().x() - glyphs.layout(line)[0] / 2, y, line)
        y += fm.height()
