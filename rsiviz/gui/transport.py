"""Playback controls: Play/Stop, Step, Reset, speed and the scrubber.

The playback control is never called "pause": that word belongs to the development
pause, the intervention.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.controller import SPEED_RANGE
from rsiviz.gui.scrubber import Scrubber
from rsiviz.gui.steady import Steady
from rsiviz.gui.theme import OKABE_ITO, Theme


class Transport(QWidget):
    """Emits playback intents; shows the playhead."""

    play_toggled = Signal()
    step_requested = Signal()
    reset_requested = Signal()
    speed_changed = Signal(float)
    scrubbed = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.play = QPushButton("Play")
        self.step = QPushButton("Step")
        self.reset = QPushButton("Reset")
        self.speed = QDoubleSpinBox()
        self.speed.setRange(*SPEED_RANGE)
        self.speed.setDecimals(1)
        self.speed.setSuffix(" months/s")
        self.speed.setToolTip("Simulated months per second of real time")
        # Full width when there is room; a narrow window may shorten it to its number.
        self.speed.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.scrubber = Scrubber(Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("Look back over what has run")
        self.year = QLabel("2026.0")
        self.status = QLabel()
        self.status.setWordWrap(True)  # a narrow window wraps it; it never sets the width
        self._play_emphasised: bool | None = None
        for button, tip, signal in (
            (self.play, "Play / Stop the animation (Space)", self.play_toggled),
            (self.step, "Advance one simulated month (Right arrow)", self.step_requested),
            (self.reset, "Back to the start (R)", self.reset_requested),
        ):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(signal)
        self.scrubber.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.valueChanged.connect(self.speed_changed)
        self.scrubber.valueChanged.connect(self._on_scrubber_value_changed)
        layout = QHBoxLayout()
        layout.setContentsMargins(6, 2, 6, 2)
        self.speed_label = QLabel("Speed")
        for w in (self.play, self.step, self.reset, self.speed_label, self.speed):
            layout.addWidget(w)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(Steady(self.year))  # a new text does not re-lay out the window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(layout)
        outer.addWidget(Steady(self.status))
        self.apply_theme()

    def _on_scrubber_value_changed(self, value: int) -> None:
        self.scrubbed.emit(value)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.play.setText("Stop" if snap.playing else "Play")
        self.status.setText(status_text(snap))
        self._emphasise_play(snap.live_month == 0 and not snap.playing)
        self.scrubber.set_span(snap.live_month, snap.view_month)
        self.year.setText(f"{snap.year:.1f}")

    def show_speed(self, speed: float) -> None:
        self.speed.blockSignals(True)
        self.speed.setValue(speed)
        self.speed.blockSignals(False)

    def _emphasise_play(self, on: bool) -> None:
        """Before the first Play, Play is the button that stands out (not the development
        pause's big orange one)."""
        if on == self._play_emphasised:
            return
        self._play_emphasised = on
        self.play.setStyleSheet(
            f"background: {OKABE_ITO['blue']}; color: white; font-weight: bold;" if on else ""
        )

    def apply_theme(self) -> None:
        t = self.theme
        for w in self.findChildren(QWidget):
            w.setFont(t.font(1.0))
        self.year.setFont(t.font(1.6, bold=True))
        # Never "202": the year keeps room for all its digits at any window size.
        self.year.setMinimumWidth(QFontMetrics(self.year.font()).horizontalAdvance("0000.0") + 4)
        self.status.setFont(t.font(0.9))
        # As narrow as their words (a style's 80 px minimum made the row 618 px wide).
        metrics = QFontMetrics(t.font(1.0))
        for button in (self.play, self.step, self.reset):
            words = max(metrics.horizontalAdvance(w) for w in ("Play", "Stop", button.text()))
            button.setMinimumWidth(int(words + 20 * t.scale))
        self.play.setMinimumWidth(int(90 * t.scale))


def status_text(snap: Snapshot) -> str:
    """What the run is doing, in words that are true of the picture."""
    pause = "; a development pause is in force" if snap.paused else ""
    if snap.view_month < snap.live_month:
        return f"Looking back at {snap.year:.1f} (the run has reached further){pause}"
    if snap.ended:
        return f"Ended in {snap.year:.1f}{pause}. Reset (R) to play again."
    if snap.playing:
        return f"Playing{pause}"
    if snap.live_month == 0:
        return "Ready: press Play (Space) to run the model, or Step (Right) month by month."
    return f"Stopped at {snap.year:.1f}{pause}. Play (Space) goes on."
