"""Playback controls: Play/Stop, Step, Reset, speed and the scrubber.

The playback control is never called "pause": that word belongs to the development
pause, the intervention.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QWidget,
)

from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.controller import SPEED_RANGE
from rsiviz.gui.theme import Theme


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
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("Look back over what has run")
        self.year = QLabel("2026.0")
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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for w in (self.play, self.step, self.reset, QLabel("Speed"), self.speed):
            layout.addWidget(w)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(self.year)
        self.apply_theme()

    def _on_scrubber_value_changed(self, value: int) -> None:
        self.scrubbed.emit(value)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.play.setText("Stop" if snap.playing else "Play")
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, snap.live_month)
        self.scrubber.setValue(snap.view_month)
        self.scrubber.blockSignals(False)
        self.year.setText(f"{snap.year:.1f}")

    def show_speed(self, speed: float) -> None:
        self.speed.blockSignals(True)
        self.speed.setValue(speed)
        self.speed.blockSignals(False)

    def apply_theme(self) -> None:
        t = self.theme
        for w in self.findChildren(QWidget):
            w.setFont(t.font(1.0))
        self.year.setFont(t.font(1.6, bold=True))
        self.play.setMinimumWidth(int(90 * t.scale))
