"""A caveat that takes few lines where the window allows: the longest of its wordings that
fits, else the shortest, wrapped."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class FittedNote(QLabel):
    """The longest of ``texts`` (the same words, ever shorter) that fits in ``lines`` lines
    at the label's width; the shortest, wrapped, when none does."""

    def __init__(self, texts: tuple[str, ...], lines: int = 1) -> None:
        super().__init__(texts[0])
        self.texts, self.lines = texts, lines
        self.setWordWrap(True)
        # its width comes from its place in the layout, never from its text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def fit(self) -> None:
        metrics = QFontMetrics(self.font())
        room = self.contentsRect().width() - 2 * self.margin() - 2  # 2: rounding, hinting
        box, wrap = QRect(0, 0, room, 1 << 20), int(Qt.TextFlag.TextWordWrap)
        most = self.lines * metrics.lineSpacing()
        text = next(
            (t for t in self.texts if metrics.boundingRect(box, wrap, t).height() <= most),
            self.texts[-1],
        )
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit()
