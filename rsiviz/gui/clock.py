"""The RSI clock: a dial whose hand turns once per capability doubling.

The angle comes from the controller (360 deg x elapsed months / doubling time, summed
month by month), so the hand visibly spins faster as AI automates AI research and
stands still during a development pause.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from rsiviz.gui.theme import OKABE_ITO, Theme

if TYPE_CHECKING:
    from rsiviz.core.viewstate import Snapshot


def doubling_text(months: float) -> str:
    """'Doubling every 4.2 months' or 'stopped' (never 'inf')."""
    if not math.isfinite(months) or months <= 0:
        return "Capability not growing"
    if months >= 24:
        return f"Capability doubles every {months / 12:.1f} years"
    return f"Capability doubles every {months:.1f} months"


class ClockFace(QWidget):
    """The dial itself (painted; no text beyond the 'stopped' badge)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
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
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.translate(self.width() / 2, self.height() / 2)
        r = side / 2
        p.setPen(QPen(QColor("#222222"), max(2.0, r / 30)))
        p.setBrush(QColor("#fdfaf2" if not self.stopped else "#fbe3d6"))
        p.drawEllipse(QPointF(0, 0), r, r)
        for i in range(12):  # twelve marks: the hand's progress through one doubling
            a = math.radians(i * 30)
            p.setPen(QPen(QColor("#444444"), max(1.5, r / (22 if i % 3 == 0 else 45))))
            p.drawLine(
                QPointF(0.82 * r * math.sin(a), -0.82 * r * math.cos(a)),
                QPointF(0.94 * r * math.sin(a), -0.94 * r * math.cos(a)),
            )
        colour = OKABE_ITO["vermillion"] if self.stopped else OKABE_ITO["blue"]
        p.setPen(
            QPen(QColor(colour), max(4.0, r / 12), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        a = math.radians(self.angle % 360.0)
        p.drawLine(QPointF(0, 0), QPointF(0.75 * r * math.sin(a), -0.75 * r * math.cos(a)))
        p.setBrush(QColor("#222222"))
        p.drawEllipse(QPointF(0, 0), r / 14, r / 14)
        if self.stopped:
            p.setPen(QColor(OKABE_ITO["vermillion"]))
            p.setFont(self.theme.font(1.1, bold=True))
            p.drawText(QRectF(-r, r * 0.2, 2 * r, r * 0.5), Qt.AlignmentFlag.AlignCenter, "STOPPED")
        p.end()


def multiplier_text(multiplier: float, paused: bool, near_limit: bool) -> str:
    """The progress multiplier M in words.

    M is software progress relative to its historical, human-driven pace. Above 1 it is
    AI's speed-up of research; below 1 software progress is slower than it used to be,
    which "a 0.3x speed-up" would hide: say so, and why.
    """
    if multiplier >= 1.0 or not math.isfinite(multiplier):
        return f"AI research speed-up: {multiplier:.1f}x"
    why = ""
    if paused:
        why = " (development pause)"
    elif near_limit:
        why = " (near its limit)"
    return f"Software progress: {multiplier:.1f}x historical pace{why}"


class RsiClock(QWidget):
    """The dial with its title, the doubling time and the progress multiplier beside it."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.title = QLabel("RSI clock: one turn per capability doubling")
        self.title.setWordWrap(True)
        self.face = ClockFace(theme)
        self.doubling = QLabel()
        self.multiplier = QLabel()
        self.status = QLabel()
        for label in (self.title, self.doubling, self.multiplier, self.status):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.face, 1)
        layout.addWidget(self.doubling)
        layout.addWidget(self.multiplier)
        layout.addWidget(self.status)
        self.apply_theme()

    def apply_theme(self) -> None:
        self.title.setFont(self.theme.font(0.9, bold=True))
        self.doubling.setFont(self.theme.font(1.15, bold=True))
        self.multiplier.setFont(self.theme.font(1.0))
        self.status.setFont(self.theme.font(1.0, bold=True))
        self.face.updateGeometry()

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
            verb = "keeps" if len(training) == 1 else "keep"
            self.status.setText(f"{' and '.join(training)} {verb} training")
            self.status.setStyleSheet(f"color: {OKABE_ITO['vermillion']}")
        elif stopped:
            self.status.setText("Stopped: development pause")
            self.status.setStyleSheet(f"color: {OKABE_ITO['vermillion']}")
        elif paused:
            self.status.setText("Development pause on (not every lab complies)")
            self.status.setStyleSheet(f"color: {OKABE_ITO['vermillion']}")
        else:
            self.status.setText("Running")
            self.status.setStyleSheet("color: #333333")
