"""The stage: what the audience sees in presenter mode and in exported pictures and videos.

A large caption above the two plots, the RSI clock beside them, no panels, no tooltips.
It has its own :class:`Plots` and :class:`RsiClock` fed by a controller's snapshots, so the
same widget serves the fullscreen presenter window and offscreen exports.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from rsiviz.core.story import BeatState
from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.clock import RsiClock
from rsiviz.gui.controller import Controller
from rsiviz.gui.plots import Plots
from rsiviz.gui.stage_style import (
    STAGE_SCALE,
    THEMES,
    apply_stage_style,
    fit_axis_titles,
    fix_year_axis,
)
from rsiviz.gui.steady import Steady
from rsiviz.gui.story_player import StoryPlayer
from rsiviz.gui.theme import Theme

REFERENCE_WIDTH = 1920.0  # the stage's fonts are STAGE_SCALE at this width, in proportion
CAPTION_SIZE = 1.9  # the caption's font, relative to the stage's base size
CAPTION_LINES = 2  # the caption shrinks (down to the floor) until the longest fits this
# The smallest caption: a line 1/30 of the screen high, about 24 pt on a 720-pt-high
# slide, the usual minimum for reading from the back of a room.
CAPTION_FLOOR = 1 / 30
CLOCK_SHARE = 0.2  # of the stage's width, for the RSI clock and its readouts
KEYS_HELP = (
    ("PageDown  Right  Down  Space  Enter", "next beat (finishes a beat that is playing)"),
    ("PageUp  Left  Up  Backspace", "previous beat (exactly as it was)"),
    ("Home", "back to the first beat"),
    ("End", "the last beat"),
    ("B  .", "blank the screen (again: back)"),
    ("T", "projector / dark theme"),
    ("N", "show / hide the beat counter (3/9)"),
    ("F1  ?", "show / hide this list"),
    ("Esc", "leave presenter mode"),
)


class Stage(QWidget):
    """Caption, plots and RSI clock, styled for a projector; driven by ``controller``."""

    def __init__(
        self,
        controller: Controller,
        theme_name: str = "projector",
        parent: QWidget | None = None,
        draw: bool = True,
        plots: Plots | None = None,
    ) -> None:
        """``draw=False``: the run is drawn at the controller's next snapshot; ``plots``:
        made by :meth:`make_plots` beforehand (a caller that builds the stage in pieces
        does both: :meth:`OffscreenStage.build`)."""
        super().__init__(parent)
        self.controller = controller
        self.plots = plots if plots is not None else self.make_plots()
        self.theme = self.plots.theme
        self.colours = THEMES[theme_name]
        self.highlight = "none"
        self._legend_key: tuple | None = None
        self.beats: tuple[BeatState, ...] = ()  # the story's: room for its longest caption
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.year = QLabel()
        self.year.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.clock = RsiClock(self.theme, fixed_lines=True)
        self.footer = QLabel()  # exports: "not a forecast", the version and the story
        self.footer.hide()
        self.blank = QWidget(self)  # covers everything when the speaker blanks the screen
        self.blank.hide()
        self.help = QLabel(self)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.hide()
        self._layout()
        for w in (self, self.plots, self.clock, self.caption):
            w.setToolTip("")
        controller.view_state.events.frame.connect(self._on_controller_snapshot)
        self.apply_theme()
        if draw:
            controller.emit_snapshot()

    @staticmethod
    def make_plots() -> Plots:
        """The stage's plots, unstyled: :meth:`apply_theme` styles them (with the stage's
        pens and fonts) when the stage is made."""
        return Plots(Theme(scale=STAGE_SCALE), styled=False)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(Steady(self.year))  # a new year does not re-lay out the stage
        body = QGridLayout()
        body.addWidget(self.plots, 0, 0)
        body.addWidget(self.clock, 0, 1)
        body.setColumnStretch(0, 1)
        col = QVBoxLayout(self)
        # The stage takes the size it is given (a projector's, an export's): the clock's
        # and caption's fixed sizes for the last size must not hold it at that size.
        col.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        col.setContentsMargins(24, 16, 24, 16)
        col.addLayout(top)
        col.addLayout(body, 1)
        col.addWidget(self.footer)

    # -- appearance ---------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.colours = THEMES[name]
        self.apply_theme()

    def scale_to_width(self, width: int, base: float = STAGE_SCALE) -> None:
        """Fonts and lines in proportion to ``width`` (a 3840-px slide gets twice 1920's)."""
        self.theme.scale = base * width / REFERENCE_WIDTH
        self.apply_theme()

    def apply_theme(self) -> None:
        t, c = self.theme, self.colours
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"background: {c.background}; color: {c.foreground};")
        self.caption.setStyleSheet(f"color: {c.caption};")
        self.year.setFont(t.font(CAPTION_SIZE, bold=True))
        self.year.setFixedWidth(int(QFontMetricsF(self.year.font()).horizontalAdvance("2099.9_")))
        self.footer.setFont(t.font(0.75))
        self.footer.setStyleSheet(f"color: {c.foreground};")
        self.blank.setStyleSheet("background: #000000;")
        self.help.setFont(t.font(1.0))
        self.help.setStyleSheet(
            f"background: {c.background}; color: {c.foreground}; "
            f"border: {max(2, int(2 * t.scale))}px solid {c.foreground}; padding: 18px;"
        )
        self.help.setText(
            "<table cellspacing='8'>"
            + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in KEYS_HELP)
            + "</table>"
        )
        self.clock.set_colours(c.clock())
        self.fit_layout()
        self.restyle()

    def restyle(self) -> None:
        self.plots.apply_theme()  # everyday pens first: the stage style scales them once
        apply_stage_style(self.plots, self.colours, self.highlight)
        self._fix_axis_width()
        fix_year_axis(self.plots)
        fit_axis_titles(self.plots, self.colours)

    # -- layout -------------------------------------------------------------------------
    def set_beats(self, beats: Sequence[BeatState]) -> None:
        """Reserve room for the longest caption and the widest axis of ``beats``, so the
        chart does not move from one beat to the next."""
        if tuple(beats) != self.beats:
            self.beats = tuple(beats)
            self.fit_layout()
            self.restyle()

    def _fix_axis_width(self) -> None:
        """The left axes as wide as the widest any beat needs (units change the ticks)."""
        plots = self.plots
        now = plots.unit, plots.lower_mode
        widths = []
        for state in self.beats or ():
            plots.unit, plots.lower_mode = state.units, state.lower
            widths.append(plots._left_axis_width())
        plots.unit, plots.lower_mode = now
        width = max([plots._left_axis_width(), *widths])
        for plot in (plots.top, plots.bottom):
            plot.getAxis("left").setWidth(width)

    def set_footer(self, text: str) -> None:
        self.footer.setText(text)
        self.footer.setVisible(bool(text))

    def fit_layout(self) -> None:
        """Caption font and height for this size, and the clock's column width."""
        self.clock.setFixedWidth(max(160, int(CLOCK_SHARE * self.width())))
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right() - self.year.width() - 8
        font, height = caption_fit(
            self.theme.font(CAPTION_SIZE, bold=True),
            [s.caption for s in self.beats] or [self.caption.text()],
            max(width, 50),
            CAPTION_FLOOR * self.height(),
        )
        self.caption.setFont(font)
        self.caption.setFixedHeight(height)

    # -- beats --------------------------------------------------------------------------
    def show_beat(self, state: BeatState) -> None:
        """Caption and view settings of a story beat."""
        player = self.sender()
        if isinstance(player, StoryPlayer) and player.states:
            self.set_beats(player.states)
        self.caption.setText(state.caption)
        self.plots.show_counterfactual = state.counterfactual
        if self.plots.unit != state.units:
            self.plots.set_unit(state.units)
        if self.plots.lower_mode != state.lower:
            self.plots.set_lower_mode(state.lower)
        self.highlight = state.highlight
        self.plots.show_snapshot(self.controller.snapshot())
        self.restyle()

    def _on_controller_snapshot(self, snap: Snapshot) -> None:
        self.plots.show_snapshot(snap)
        key = (
            snap.counterfactual is None or not self.plots.show_counterfactual,
            snap.ghost is None,
            snap.lab_names,
        )
        self.clock.show_snapshot(snap)
        self.year.setText(f"{snap.year:.1f}")
        if key != self._legend_key:
            self._legend_key = key
            self.restyle()  # the legend was rebuilt in everyday colours

    # -- overlays -----------------------------------------------------------------------
    def set_blank(self, on: bool) -> None:
        self.blank.setGeometry(self.rect())
        self.blank.setVisible(on)
        self.blank.raise_()

    def set_help(self, on: bool) -> None:
        self.help.adjustSize()
        self.help.move(
            (self.width() - self.help.width()) // 2, (self.height() - self.help.height()) // 2
        )
        self.help.setVisible(on)
        self.help.raise_()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        if self.theme.scale != STAGE_SCALE * self.width() / REFERENCE_WIDTH:
            # fonts and lines in proportion to the width, as every export lays the stage
            # out (and as tests/gui/test_layout.py checks it): the presenter's full-screen
            # stage at 1024 px had 1920 px fonts, and the clock's readouts were cut off
            self.scale_to_width(self.width())
        self.fit_layout()
        self.blank.setGeometry(self.rect())
        if self.help.isVisible():
            self.set_help(True)


def caption_fit(
    font: QFont, captions: Sequence[str], width: int, floor_px: float
) -> tuple[QFont, int]:
    """The font for ``captions`` in ``width`` px and the height of the longest.

    The font shrinks in 5% steps until every caption fits in :data:`CAPTION_LINES` lines,
    but never below ``floor_px`` line height; the height is then that of the longest.
    """
    fitted = QFont(font)
    size = font.pointSizeF()
    while True:
        lines = max(_lines(fitted, text, width) for text in captions)
        smaller = QFont(fitted)
        smaller.setPointSizeF(fitted.pointSizeF() - 0.05 * size)
        if lines <= CAPTION_LINES or QFontMetricsF(smaller).height() < floor_px:
            break
        fitted = smaller
    return fitted, int(lines * QFontMetricsF(fitted).lineSpacing() + 6)


def _lines(font: QFont, text: str, width: int) -> int:
    metrics = QFontMetricsF(font)
    flags = int(Qt.TextFlag.TextWordWrap.value)
    box = metrics.boundingRect(QRectF(0, 0, width, 100_000), flags, text)
    return max(1, round(box.height() / metrics.lineSpacing()))
