"""A caveat that takes one line where the window allows: the longest of its wordings that
fits, else the shortest, wrapped."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class FittedNote(QLabel):
    """The longest of ``texts`` (the same words, ever shorter) that fits on one line at
    the label's width; the shortest, wrapped, when none does."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        super().__init__(texts[0])
        self.texts = texts
        self.setWordWrap(True)
        # its width comes from its place in the layout, never from its text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def fit(self) -> None:
        metrics = QFontMetrics(self.font())
        room = self.contentsRect().width() - 2 * self.margin() - 2  # 2: rounding, hinting
        text = next((t for t in self.texts if metrics.horizontalAdvance(t) <= room), None)
        if text is None:
            text = self.texts[-1]
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit()
