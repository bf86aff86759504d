"""Colours, line styles, fonts and the UI scale shared by every widget.

Okabe-Ito colours (colour-blind safe) are paired with dash styles so that every curve
stays distinguishable in greyscale and on a washed-out projector.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

# Role -> (colour, Qt pen style). Capability is the hero curve: solid blue.
STYLES: dict[str, tuple[str, Qt.PenStyle]] = {
    "capability": (OKABE_ITO["blue"], Qt.PenStyle.SolidLine),
    "potential": (OKABE_ITO["blue"], Qt.PenStyle.DashLine),
    "oversight": (OKABE_ITO["green"], Qt.PenStyle.DashDotLine),
    "gap": (OKABE_ITO["vermillion"], Qt.PenStyle.SolidLine),
    "multiplier": (OKABE_ITO["purple"], Qt.PenStyle.SolidLine),
    "counterfactual": ("#555555", Qt.PenStyle.DotLine),
    "ghost": ("#9a9a9a", Qt.PenStyle.SolidLine),
    "pause": (OKABE_ITO["vermillion"], Qt.PenStyle.DashLine),
    "milestone": ("#777777", Qt.PenStyle.DotLine),
    "now": ("#333333", Qt.PenStyle.SolidLine),
}

# Race mode: one colour and dash per lab (lab 0 keeps the capability style).
LAB_STYLES: tuple[tuple[str, Qt.PenStyle], ...] = (
    (OKABE_ITO["blue"], Qt.PenStyle.SolidLine),
    (OKABE_ITO["orange"], Qt.PenStyle.DashLine),
    (OKABE_ITO["purple"], Qt.PenStyle.DotLine),
    (OKABE_ITO["sky_blue"], Qt.PenStyle.DashDotLine),
    (OKABE_ITO["yellow"], Qt.PenStyle.DashDotDotLine),
)

OVERHANG_FILL = QColor(0, 114, 178, 55)  # blue, translucent
# Opaque (vermillion at ~16% on white): a translucent full-height rectangle costs a
# blend of every pixel on every frame.
PAUSE_FILL = QColor("#f8e3d6")
BACKGROUND = "#ffffff"
FOREGROUND = "#111111"
# Warning text (development pause labels, "STOPPED"): vermillion darkened until it reads
# at >= 4.5:1 on white and on PAUSE_FILL (#D55E00 itself is only 3.9:1 on white).
ALERT_TEXT = "#A84400"
TEXT_CONTRAST = 4.5  # WCAG AA for normal-size text

BASE_POINT_SIZE = 13.0  # readable from the back of a room at 1920x1080
BASE_LINE_WIDTH = 3.0  # logical pixels, before ui scale and devicePixelRatio
MIN_SCALE, MAX_SCALE = 0.6, 3.0


@dataclass
class Theme:
    """The current UI scale (Ctrl+= / Ctrl+-) and the screen's devicePixelRatio."""

    scale: float = 1.0
    device_pixel_ratio: float = 1.0

    def zoomed(self, factor: float) -> float:
        """Multiply the scale by ``factor`` within the allowed range; return the new scale."""
        self.scale = min(MAX_SCALE, max(MIN_SCALE, self.scale * factor))
        return self.scale

    def point_size(self, relative: float = 1.0) -> float:
        return BASE_POINT_SIZE * self.scale * relative

    def font(self, relative: float = 1.0, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.point_size(relative))
        font.setBold(bold)
        return font

    def line_width(self, relative: float = 1.0) -> float:
        """Pen width in device-independent pixels, thicker on high-DPI screens."""
        return BASE_LINE_WIDTH * relative * self.scale * max(1.0, self.device_pixel_ratio) ** 0.5

    def pen(self, role: str, relative: float = 1.0, alpha: int = 255) -> QPen:
        colour, style = STYLES[role]
        return self.make_pen(colour, style, relative, alpha)

    def lab_pen(self, index: int, relative: float = 1.0, alpha: int = 255) -> QPen:
        colour, style = LAB_STYLES[index % len(LAB_STYLES)]
        return self.make_pen(colour, style, relative, alpha)

    def make_pen(
        self, colour: str, style: Qt.PenStyle, relative: float = 1.0, alpha: int = 255
    ) -> QPen:
        qcolour = QColor(colour)
        qcolour.setAlpha(alpha)
        pen = QPen(qcolour)
        pen.setWidthF(self.line_width(relative))
        pen.setStyle(style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setCosmetic(True)
        return pen


def relative_luminance(colour: str | QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black .. 1 white)."""
    c = QColor(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in (c.redF(), c.greenF(), c.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | QColor, b: str | QColor) -> float:
    """WCAG contrast ratio of two colours, 1 .. 21 (text needs >= 4.5)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(colour: str | QColor, background: str | QColor, amount: float) -> QColor:
    """``colour`` mixed ``amount`` (0..1) of the way towards ``background``, opaque.

    Fading by alpha would let a curve vanish into a dark background; a blend keeps it a
    known, opaque colour whose contrast can be checked.
    """
    c, bg = QColor(colour), QColor(background)
    mix = [
        round(x + (y - x) * amount) for x, y in zip(c.getRgb()[:3], bg.getRgb()[:3], strict=True)
    ]
    return QColor(*mix)
