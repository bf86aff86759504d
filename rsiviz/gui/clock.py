"""The RSI clock: a dial whose hand turns once per capability doubling.

The angle comes from the controller (360 deg x elapsed months / doubling time, summed
month by month), so the hand visibly spins faster as AI automates AI research and
stands still during a development pause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from rsiviz.gui.steady import Steady
from rsiviz.gui.theme import ALERT_TEXT, BACKGROUND, FOREGROUND, OKABE_ITO, Theme

if TYPE_CHECKING:
    from rsiviz.core.viewstate import Snapshot

MIN_FONT = 0.55  # the readouts shrink to fit a narrow clock, never below this share


@dataclass(frozen=True)
class ClockColours:
    """The dial and its texts in one theme (the stage's dark theme has its own)."""

    background: str = BACKGROUND
    text: str = FOREGROUND
    face: str = "#fdfaf2"
    face_stopped: str = "#fbe3d6"
    ink: str = "#222222"  # rim, marks and hub
    hand: str = OKABE_ITO["blue"]
    alert: str = ALERT_TEXT  # the stopped hand, "STOPPED" and the development pause status


LIGHT = ClockColours()


def doubling_text(months: float) -> str:
    """'Capability doubles / every 4.2 months' or 'not growing' (never 'inf')."""
    if not math.isfinite(months) or months <= 0:
        return "Capability\nnot growing"
    if months >= 24:
        return f"Capability doubles every\n{months / 12:,.1f} years"
    return f"Capability doubles every\n{months:.1f} months"


# Why software progress runs below its historical pace, on the multiplier's second line.
SLOW_BECAUSE = {"paused": " (in the pause)", "near_limit": " (near its limit)"}

# The widest lines each readout can show, so its font is fitted once per size and the
# text never breaks inside a number or runs out of its label.
WIDEST = {
    "title": ("RSI clock: one turn", "per capability doubling"),
    "doubling": ("Capability doubles every", "99.9 months", "999.9 years"),
    "multiplier": (
        "AI research speed-up: 999.9x",
        "Software progress: 0.1x",
        *(f"historical pace{why}" for why in SLOW_BECAUSE.values()),
    ),
    "status": ("Development pause on", "(not every lab complies)", "Lab A and Lab B"),
}
LINES = {"title": 2, "doubling": 2, "multiplier": 2, "status": 2}
RESERVE_FROM_HEIGHT = 700  # a window this tall reserves every readout's lines (RsiClock)
SIZES = {"title": (0.9, True), "doubling": (1.15, True), "multiplier": (1.0, False)}
SIZES["status"] = (1.0, True)


def fitted_font(font: QFont, lines: tuple[str, ...], width: float, floor: float) -> QFont:
    """``font`` shrunk (not below ``floor`` of its size) until every line fits ``width``."""
    widest = max(QFontMetricsF(font).horizontalAdvance(line) for line in lines)
    factor = max(floor, min(1.0, width / max(widest, 1.0)))
    fitted = QFont(font)
    fitted.setPointSizeF(font.pointSizeF() * factor)
    return fitted


class ClockFace(QWidget):
    """The dial itself (painted; no text beyond the 'stopped' badge)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.colours = LIGHT
        self.angle = 0.0
        self.stopped = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def sizeHint(self) -> QSize:
        side = int(220 * self.theme.scale)
        return QSize(side, side)

    def set_state(self, angle: float, stopped: bool) -> None:
        if angle != self.angle or stopped != self.stopped:
            self.angle, self.stopped = angle, stopped
            self.update()

    def paintEvent(self, event: object) -> None:
        side = min(self.width(), self.height()) - 8
        if side <= 0:
            return
        c = self.colours
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.translate(self.width() / 2, self.height() / 2)
        r = side / 2
        p.setPen(QPen(QColor(c.ink), max(2.0, r / 30)))
        p.setBrush(QColor(c.face_stopped if self.stopped else c.face))
        p.drawEllipse(QPointF(0, 0), r, r)
        for i in range(12):  # twelve marks: the hand's progress through one doubling
            a = math.radians(i * 30)
            p.setPen(QPen(QColor(c.ink), max(1.5, r / (22 if i % 3 == 0 else 45))))
            p.drawLine(
                QPointF(0.82 * r * math.sin(a), -0.82 * r * math.cos(a)),
                QPointF(0.94 * r * math.sin(a), -0.94 * r * math.cos(a)),
            )
        colour = c.alert if self.stopped else c.hand
        p.setPen(
            QPen(QColor(colour), max(4.0, r / 12), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        a = math.radians(self.angle % 360.0)
        p.drawLine(QPointF(0, 0), QPointF(0.75 * r * math.sin(a), -0.75 * r * math.cos(a)))
        p.setBrush(QColor(c.ink))
        p.drawEllipse(QPointF(0, 0), r / 14, r / 14)
        if self.stopped:
            self._paint_badge(p, r)
        p.end()

    def badge_rect(self) -> QRectF:
        """Where "STOPPED" is drawn, in widget coordinates (for layout checks)."""
        r = (min(self.width(), self.height()) - 8) / 2
        font = self.badge_font(r)
        m = QFontMetricsF(font)
        w, h = m.horizontalAdvance(BADGE) + m.height() * 0.6, m.height() * 1.2
        return QRectF(self.width() / 2 - w / 2, self.height() / 2 + 0.3 * r, w, h)

    def badge_font(self, r: float) -> QFont:
        """The badge's font: the theme's size, shrunk to stay inside the dial."""
        return fitted_font(self.theme.font(1.1, bold=True), (BADGE,), 1.2 * r, 0.1)

    def _paint_badge(self, p: QPainter, r: float) -> None:
        """'STOPPED' on an opaque plate drawn after the hand, so the hand never covers it."""
        box = self.badge_rect().translated(-self.width() / 2, -self.height() / 2)
        p.setPen(QPen(QColor(self.colours.alert), max(1.5, r / 45)))
        p.setBrush(QColor(self.colours.background))
        p.drawRoundedRect(box, box.height() / 4, box.height() / 4)
        p.setFont(self.badge_font(r))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, BADGE)


BADGE = "STOPPED"


def multiplier_text(multiplier: float, paused: bool, near_limit: bool) -> str:
    """The progress multiplier M in words.

    M is software progress relative to its historical, human-driven pace. Above 1 it is
    AI's speed-up of research; below 1 software progress is slower than it used to be,
    which "a 0.3x speed-up" would hide: say so, and why, in two lines (the reason shares
    the second line: a third line would be blank space under most readouts).
    """
    if multiplier >= 1.0 or not math.isfinite(multiplier):
        digits = ",.0f" if multiplier >= 1000 else ".1f"
        return f"AI research speed-up: {multiplier:{digits}}x"
    why = ""
    if paused:
        why = SLOW_BECAUSE["paused"]
    elif near_limit:
        why = SLOW_BECAUSE["near_limit"]
    return f"Software progress: {multiplier:.1f}x\nhistorical pace{why}"


class RsiClock(QWidget):
    """The dial with its title, the doubling time and the progress multiplier below it.

    Each readout has explicit line breaks (a number never wraps away from its unit), a
    font fitted to the clock's width (:data:`WIDEST`) and, with ``fixed_lines`` (the
    stage), a fixed height of its most lines (:data:`LINES`), so the dial does not jump
    when a text changes. A docked clock in the window reserves those lines as a minimum
    height while its window is at least :data:`RESERVE_FROM_HEIGHT` px tall (a readout that
    gains a line then moves nothing: it re-laid out and repainted the whole window, ~50
    ms); in a shorter window its labels take their text's height, so every line shows.
    """

    def __init__(
        self,
        theme: Theme,
        parent: QWidget | None = None,
        fixed_lines: bool = False,
        title: tuple[str, ...] = WIDEST["title"],
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.fixed_lines = fixed_lines
        self.colours = LIGHT
        # the lines each readout fits its font to, and reserves (the title: its own)
        self.widest = {**WIDEST, "title": title}
        self.lines = {**LINES, "title": len(title)}
        self.title = QLabel("\n".join(title))
        self.face = ClockFace(theme)
        self.doubling = QLabel()
        self.multiplier = QLabel()
        self.status = QLabel()
        self.readouts = {
            "title": self.title,
            "doubling": self.doubling,
            "multiplier": self.multiplier,
            "status": self.status,
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.face, 1)
        for label in self.readouts.values():
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if label is not self.title:  # held: a new text does not re-lay out the window
                layout.addWidget(Steady(label))
        self._status_alert = False
        self.apply_theme()

    def set_colours(self, colours: ClockColours) -> None:
        self.colours = colours
        self.face.colours = colours
        self.face.update()
        self.apply_theme()

    def apply_theme(self) -> None:
        self._fit_fonts()
        self._colour_status()
        self.face.updateGeometry()

    def _fit_fonts(self) -> None:
        width = 0.96 * (self.contentsRect().width() - 8)  # 4% for font hinting and rounding
        for key, label in self.readouts.items():
            relative, bold = SIZES[key]
            font = fitted_font(self.theme.font(relative, bold), self.widest[key], width, MIN_FONT)
            label.setFont(font)
            height = int(self.lines[key] * QFontMetricsF(font).lineSpacing() + 4)
            if self.fixed_lines:
                label.setFixedHeight(height)
            elif label is not self.title:
                tall = self.window().height() >= RESERVE_FROM_HEIGHT
                label.setMinimumHeight(height if tall else 0)
            if label is not self.status:
                label.setStyleSheet(f"color: {self.colours.text};")

    def _colour_status(self) -> None:
        colour = self.colours.alert if self._status_alert else self.colours.text
        self.status.setStyleSheet(f"color: {colour};")

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._fit_fonts()

    def show_snapshot(self, snap: Snapshot) -> None:
        h, m = snap.history, snap.view_month
        training = tuple(  # labs outside the development pause that still grow
            name
            for j, name in enumerate(snap.lab_names)
            if not h.paused[m, 0, j] and h.dc[m, 0, j] > 1e-9
        )
        self.set_state(
            snap.clock_angle,
            snap.doubling_months,
            snap.multiplier,
            snap.paused,
            snap.near_software_limit,
            training,
        )

    def set_state(
        self,
        angle: float,
        doubling_months: float,
        multiplier: float,
        paused: bool,
        near_limit: bool = False,
        training: tuple[str, ...] = (),
    ) -> None:
        stopped = paused and not (math.isfinite(doubling_months) and doubling_months > 0)
        self.face.set_state(angle, stopped or not math.isfinite(doubling_months))
        self.doubling.setText(doubling_text(doubling_months))
        self.multiplier.setText(multiplier_text(multiplier, paused, near_limit))
        if stopped and training:  # the leader stopped, but the race goes on
            one = len(training) == 1  # "Lab C keeps training"; two labs: two lines
            verb, sep = ("keeps", " ") if one else ("keep", "\n")
            self.status.setText(f"{' and '.join(training)}{sep}{verb} training")
        elif stopped:
            self.status.setText("Stopped:\ndevelopment pause")
        elif paused:
            self.status.setText("Development pause on\n(not every lab complies)")
        else:
            self.status.setText("Capability growing")
        if paused != self._status_alert:
            self._status_alert = paused
            self._colour_status()
