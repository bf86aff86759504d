"""The speaker's own screen in presenter mode, and the stage's beat counter.

With two screens the stage goes to the projector and this view opens on the laptop: the beat
number, what the audience reads now, the speaker's notes for it (``note`` in the story
file), the next beat's caption, the year, and the time since presenter mode started. On one
screen it stays closed (the stage covers the screen). The beat counter ("3/9") sits in a
corner of the stage; N hides and shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rsiviz.core.story import BeatState
from rsiviz.gui.theme import Theme


def counter_text(index: int, total: int) -> str:
    return f"{index + 1}/{total}"


def elapsed_text(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class BeatCounter(QLabel):
    """'3/9' in the stage's lower right corner, above everything but the blank screen."""

    def __init__(self, stage: QWidget) -> None:
        super().__init__(stage)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.wanted = True

    def show_beat(self, index: int, total: int, point_size: float, colour: str) -> None:
        self.setText(counter_text(index, total))
        font = self.font()
        font.setPointSizeF(point_size)
        self.setFont(font)
        self.setStyleSheet(f"color: {colour}; background: transparent;")
        self.adjustSize()
        self.place()

    def place(self) -> None:
        stage = self.parentWidget()
        if stage is None:
            return
        margin = max(6, self.height() // 3)
        self.move(stage.width() - self.width() - margin, stage.height() - self.height() - margin)
        self.setVisible(self.wanted)
        self.raise_()


class PresenterView(QWidget):
    """Notes, next beat and elapsed time, for the speaker's screen."""

    def __init__(self, theme: Theme, total: int) -> None:
        super().__init__()
        self.setWindowTitle("rsiviz: presenter view")
        self.theme = theme
        self.total = total
        self.beat = QLabel()
        self.caption = QLabel()
        self.note = QLabel()
        self.next = QLabel()
        self.clock = QLabel("0:00")
        for label in (self.caption, self.note, self.next):
            label.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (self.beat, self.caption, self.note, self.next):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignRight)
        self.elapsed = QElapsedTimer()
        self.elapsed.start()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        self.apply_theme()

    def apply_theme(self) -> None:
        t = self.theme
        self.beat.setFont(t.font(1.1, bold=True))
        self.caption.setFont(t.font(1.6, bold=True))
        self.note.setFont(t.font(1.2))
        self.next.setFont(t.font(1.0))
        self.clock.setFont(t.font(2.0, bold=True))

    def show_beat(self, state: BeatState, following: BeatState | None) -> None:
        self.beat.setText(f"Beat {counter_text(state.index, self.total)}  ({state.year:.1f})")
        self.caption.setText(state.caption)
        self.note.setText(state.note or "(no notes for this beat)")
        self.next.setText(f"Next: {following.caption}" if following else "Last beat.")

    def _on_timer_timeout(self) -> None:
        self.clock.setText(elapsed_text(self.elapsed.elapsed()))
