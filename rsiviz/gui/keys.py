"""Keys go where the user is typing: a focused slider, box or text field keeps its keys.

The window's one-key shortcuts (Space play/stop, Right step, Up/Down speed, P, R) are
window-wide so they work whatever has the focus; but when a slider has the focus its arrow
keys must move the slider, and a text or number field must take what is typed into it.
Qt asks the focused widget first with a ShortcutOverride event; accepting it sends the key
to the widget instead of the shortcut.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

SLIDER_KEYS = {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
}
COMBO_KEYS = SLIDER_KEYS | {Qt.Key.Key_Space}


def widget_takes_key(widget: QObject, event: QKeyEvent) -> bool:
    """Whether ``widget`` (which has the focus) should get this key before any shortcut."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return False  # Ctrl+E, Ctrl+Z ... stay shortcuts everywhere
    key = event.key()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_F5, Qt.Key.Key_F11):
        return False
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True  # typing: digits, letters, space, arrows, Home/End
    if isinstance(widget, QComboBox):
        return key in COMBO_KEYS
    if isinstance(widget, QAbstractSlider):
        return key in SLIDER_KEYS
    return False


class FocusedWidgetKeys(QObject):
    """Event filter giving focused editors their keys: it sits on the widget that has the
    focus and follows it (``QApplication.focusChanged``). A filter on the application would
    see every event of every object, ~2,000 of them while the window is first shown and
    ~150 a second while a run plays, each a call into Python, for the one event type that
    matters here, which Qt sends to the focused widget."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.watched: QWidget | None = None
        app.focusChanged.connect(self._follow)
        self._follow(None, app.focusWidget())

    def _follow(self, _old: QWidget | None, now: QWidget | None) -> None:
        """Move the filter to ``now``, the newly focused widget (None: no focus)."""
        if self.watched is not None and shiboken6.isValid(self.watched):
            self.watched.removeEventFilter(self)
        self.watched = now
        if now is not None:
            now.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and widget_takes_key(watched, event)
        ):
            event.accept()  # the key goes to the widget, not to the shortcut
            return True
        return False


def install_focused_widget_keys(app: QApplication) -> FocusedWidgetKeys:
    """Install the filter for the application once (stateless: every window shares it);
    returns the one installed."""
    found = app.findChild(FocusedWidgetKeys)
    return found if found is not None else FocusedWidgetKeys(app)
