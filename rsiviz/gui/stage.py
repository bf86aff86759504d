"""The stage: what the audience sees in presenter mode and in exported pictures and videos.

A large caption above the two plots, the RSI clock beside them, no panels, no tooltips.
It has its own :class:`Plots` and :class:`RsiClock` fed by a controller's snapshots, so the
same widget serves the fullscreen presenter window and offscreen exports.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from rsiviz.core.story import BeatState
from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.clock import RsiClock
from rsiviz.gui.controller import Controller
from rsiviz.gui.plots import Plots
from rsiviz.gui.stage_style import STAGE_SCALE, THEMES, apply_stage_style
from rsiviz.gui.theme import Theme

REFERENCE_WIDTH = 1920.0  # the stage's fonts are STAGE_SCALE at this width, in proportion
KEYS_HELP = (
    ("PageDown  Right  Space", "next beat (finishes a beat that is playing)"),
    ("PageUp  Left", "previous beat (exactly as it was)"),
    ("Home", "back to the first beat"),
    ("B  .", "blank the screen (again: back)"),
    ("T", "projector / dark theme"),
    ("F1  ?", "show / hide this list"),
    ("Esc", "leave presenter mode"),
)


class Stage(QWidget):
    """Caption, plots and RSI clock, styled for a projector; driven by ``controller``."""

    def __init__(
        self, controller: Controller, theme_name: str = "projector", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.theme = Theme(scale=STAGE_SCALE)
        self.colours = THEMES[theme_name]
        self.highlight = "none"
        self._legend_key: tuple | None = None
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.year = QLabel()
        self.year.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.plots = Plots(self.theme)
        self.clock = RsiClock(self.theme)
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
        controller.emit_snapshot()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.year)
        body = QGridLayout()
        body.addWidget(self.plots, 0, 0)
        body.addWidget(self.clock, 0, 1)
        body.setColumnStretch(0, 5)
        body.setColumnStretch(1, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 16, 24, 16)
        col.addLayout(top)
        col.addLayout(body, 1)

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
        self.caption.setFont(t.font(1.9, bold=True))
        self.caption.setStyleSheet(f"color: {c.caption};")
        self.year.setFont(t.font(1.9, bold=True))
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
        self.clock.apply_theme()
        self.restyle()

    def restyle(self) -> None:
        self.plots.apply_theme()  # everyday pens first: the stage style scales them once
        apply_stage_style(self.plots, self.colours, self.highlight)

    # -- beats --------------------------------------------------------------------------
    def show_beat(self, state: BeatState) -> None:
        """Caption and view settings of a story beat."""
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
        if not snap.paused:  # the clock's own "Running" grey is meant for a light page
            self.clock.status.setStyleSheet(f"color: {self.colours.foreground};")
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
        self.blank.setGeometry(self.rect())
        if self.help.isVisible():
            self.set_help(True)
