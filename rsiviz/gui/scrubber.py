"""The transport's scrubber: a slider that repaints only where its handle was and is.

While a run plays, the scrubber's range and value both grow every frame and its handle
stays at the right end, so nothing on it changes; ``QSlider`` repainted it whole anyway,
and Fusion draws the groove as an antialiased rounded rectangle (about 7% of a live frame's
work). :class:`Scrubber` repaints the handle's old and new places only, and nothing when
the handle did not move, provided the style draws everything but the handle the same at
every value: checked by drawing the slider at two values and comparing the pixels outside
the handles, once per size, style, palette and state. A style that fills the groove up to
the handle (macOS, Windows 11) fails the check and gets ``QSlider``'s whole repaints.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QAbstractSlider, QSlider, QStyle, QStyleOptionSlider

_MARGIN = 2  # px repainted around the handle: antialiasing, focus and hover frames


class Scrubber(QSlider):
    """A ``QSlider`` whose value and range changes repaint only its handle."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._handle: QRect | None = None  # where the handle was last painted
        self._checked: tuple[Any, bool] | None = None  # (what was checked, the answer)
        self.partial_updates = 0  # (tests)

    def _option(self) -> QStyleOptionSlider:
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        return opt

    def _handle_rect(self, opt: QStyleOptionSlider | None = None) -> QRect:
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider,
            opt or self._option(),
            QStyle.SubControl.SC_SliderHandle,
            self,
        )

    def set_span(self, maximum: int, value: int) -> None:
        """Range 0..``maximum`` and ``value`` in one change (the handle's move from one to
        the other is repainted once, not twice); no signals."""
        self.blockSignals(True)
        self._batch = [False]
        try:
            self.setRange(0, maximum)
            self.setValue(value)
        finally:
            changed, self._batch = self._batch[0], None
            self.blockSignals(False)
        if changed:
            self._moved()

    _batch: list[bool] | None = None  # within set_span: whether anything changed

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        kinds = (
            QAbstractSlider.SliderChange.SliderValueChange,
            QAbstractSlider.SliderChange.SliderRangeChange,
        )
        if change not in kinds:
            super().sliderChange(change)
        elif self._batch is not None:
            self._batch[0] = True
        else:
            self._moved()

    def _moved(self) -> None:
        """The value or range changed: repaint the handle's old and new places, or all."""
        if self._handle is None or not self.handle_only():
            self.update()
            return
        new = self._handle_rect()
        if new != self._handle:
            m = _MARGIN
            self.update(self._handle.united(new).adjusted(-m, -m, m, m))
            self._handle = new
        self.partial_updates += 1

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        self._handle = self._handle_rect()

    def resizeEvent(self, event: Any) -> None:
        self._handle = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        self._handle = None  # a new style, palette, font or state: repaint whole
        super().changeEvent(event)

    def handle_only(self) -> bool:
        """Whether the style draws this slider, but for its handle, the same at any value
        (see the module's docstring)."""
        opt = self._option()
        key = (
            self.size(),
            id(self.style()),
            self.palette().cacheKey(),
            int(opt.state.value) if hasattr(opt.state, "value") else int(opt.state),
            int(opt.activeSubControls.value)
            if hasattr(opt.activeSubControls, "value")
            else int(opt.activeSubControls),
            self.orientation(),
        )
        if self._checked is not None and self._checked[0] == key:
            return self._checked[1]
        answer = self._draws_groove_alike(opt)
        self._checked = (key, answer)
        return answer

    def _draws_groove_alike(self, opt: QStyleOptionSlider) -> bool:
        w, h = self.width(), self.height()
        if w < 8 or h < 4:
            return False
        images, handles = [], []
        for position in (20, 80):
            o = QStyleOptionSlider(opt)
            o.minimum, o.maximum = 0, 100
            o.sliderPosition = o.sliderValue = position
            image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor(0, 0, 0, 0))
            painter = QPainter(image)
            self.style().drawComplexControl(QStyle.ComplexControl.CC_Slider, o, painter, self)
            painter.end()
            images.append(image)
            handles.append(self._handle_rect(o))
        m = _MARGIN
        for handle in handles:  # blank out both handles (and their margins) in both images
            box = handle.adjusted(-m, -m, m, m)
            for image in images:
                painter = QPainter(image)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                painter.fillRect(box, QColor(0, 0, 0, 0))
                painter.end()
        return images[0] == images[1]
