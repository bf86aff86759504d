"""A holder that keeps a readout's text changes from re-laying out the whole window.

A ``QLabel`` whose text changes calls ``updateGeometry()``, and Qt then re-lays out every
layout up to the top-level window, whether or not any size hint changed: the readouts
that change every frame (the clock's, the year, the status line) made the main window
lay out its docks and repaint most of its area 60 times a second. :class:`Steady` holds
one such widget outside any layout: it relays the widget's size hints to its own layout
and tells that layout only when they change enough to matter (a height, a width grown,
or a width shrunk by more than :data:`SHRINK`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QWidget

# A width hint that shrinks by less than this fraction is not passed on: a readout whose
# number gets one digit shorter keeps its place instead of moving its neighbours.
SHRINK = 0.2


class Steady(QWidget):
    """Holds ``child`` (a frequently changing label), filling this widget's rectangle."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        child.move(0, 0)
        # Opaque (it fills this holder with its own background, the colour its parents
        # show): a new text repaints the label alone. Transparent, every new text also
        # repainted what lies under it: the clock's dock with its title bar and buttons,
        # styled from scratch every frame (about a tenth of a live frame's work).
        child.setAutoFillBackground(True)
        self._hint = QSize()
        self._minimum = QSize()
        self._take_hints()
        child.installEventFilter(self)
        self.setVisible(not child.isHidden())

    # -- what the layout sees -------------------------------------------------------------
    def sizeHint(self) -> QSize:
        if not self.isVisible():  # hidden, the child's changes post no LayoutRequest here
            self._take_hints()
        return self._hint

    def minimumSizeHint(self) -> QSize:
        if not self.isVisible():
            self._take_hints()
        return self._minimum

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        if self._changed():
            self._take_hints()
            self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return self.child.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        return self.child.heightForWidth(width)

    # -- keeping up with the child --------------------------------------------------------
    def _take_hints(self) -> None:
        child = self.child
        self._hint = child.sizeHint()
        self._minimum = child.minimumSizeHint()
        self._hfw = child.heightForWidth(self.width()) if child.hasHeightForWidth() else -1
        if self.sizePolicy() != child.sizePolicy():
            self.setSizePolicy(child.sizePolicy())
        if self.minimumSize() != child.minimumSize():
            self.setMinimumSize(child.minimumSize())
        if self.maximumSize() != child.maximumSize():
            self.setMaximumSize(child.maximumSize())

    def _changed(self) -> bool:
        child = self.child
        if (
            child.sizePolicy() != self.sizePolicy()
            or child.minimumSize() != self.minimumSize()
            or child.maximumSize() != self.maximumSize()
        ):
            return True
        hfw = child.heightForWidth(self.width()) if child.hasHeightForWidth() else -1
        if hfw != self._hfw:
            return True
        for new, old in ((child.sizeHint(), self._hint), (child.minimumSizeHint(), self._minimum)):
            if new.height() != old.height() or new.width() > old.width():
                return True
            if new.width() < (1.0 - SHRINK) * old.width():
                return True
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            if self._changed():
                self._take_hints()
                self.updateGeometry()
            return True
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.child and kind in (QEvent.Type.Polish, QEvent.Type.StyleChange):
            # A style sheet's polish turns the fill off (the stage's "background: ..."
            # then paints it, but Qt no longer counts the label opaque): on again.
            self.child.setAutoFillBackground(True)
        if watched is self.child and kind in (QEvent.Type.HideToParent, QEvent.Type.ShowToParent):
            self.setVisible(kind == QEvent.Type.ShowToParent)
        return False

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self.child.setGeometry(self.rect())
        if self.child.hasHeightForWidth():
            self._hfw = self.child.heightForWidth(self.width())
