"""A message strip inside the window: plain-language errors and notices, never tracebacks."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from rsiviz.gui.theme import Theme

INFO_SECONDS = 6
_STYLES = {
    "error": "background: #D55E00; color: white;",
    "info": "background: #e8f1f8; color: #111111;",
}


class Banner(QLabel):
    """Shows the last message; errors stay until clicked, notices fade after a while."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.level = ""
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.apply_theme()
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        self.level = level
        self.setText(text + ("   (click to dismiss)" if level == "error" else ""))
        self.setStyleSheet(_STYLES.get(level, _STYLES["info"]) + " padding: 6px;")
        self.show()
        if level == "error":
            self._timer.stop()
        else:
            self._timer.start(INFO_SECONDS * 1000)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()

    def _on_timer_timeout(self) -> None:
        if self.level != "error":
            self.hide()

    def apply_theme(self) -> None:
        self.setFont(self.theme.font(1.0, bold=True))
