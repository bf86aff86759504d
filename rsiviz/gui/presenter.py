"""Presenter mode: a story on a fullscreen stage, stepped through with a clicker.

Presentation clickers send PageDown / PageUp (some send Right / Left), and B or "." for a
blank screen. Nothing pops up uninvited on stage: no dialogs, no tooltips, the key list only
on F1 or "?", and the mouse cursor disappears over the stage after a second of stillness.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from rsiviz.core.story import BeatState, Story
from rsiviz.gui.controller import Controller
from rsiviz.gui.presenter_view import BeatCounter, PresenterView
from rsiviz.gui.stage import Stage
from rsiviz.gui.story_player import StoryPlayer
from rsiviz.gui.theme import Theme

CURSOR_HIDE_MS = 1000
KEYS: dict[int, str] = {
    Qt.Key.Key_PageDown: "next",
    Qt.Key.Key_Right: "next",
    Qt.Key.Key_Space: "next",
    Qt.Key.Key_Down: "next",
    Qt.Key.Key_Return: "next",
    Qt.Key.Key_Enter: "next",
    Qt.Key.Key_PageUp: "previous",
    Qt.Key.Key_Left: "previous",
    Qt.Key.Key_Up: "previous",
    Qt.Key.Key_Backspace: "previous",
    Qt.Key.Key_B: "blank",
    Qt.Key.Key_Period: "blank",
    Qt.Key.Key_Home: "restart",
    Qt.Key.Key_End: "last",
    Qt.Key.Key_F1: "help",
    Qt.Key.Key_Question: "help",
    Qt.Key.Key_T: "theme",
    Qt.Key.Key_N: "counter",
    Qt.Key.Key_Escape: "leave",
}


def key_action(key: int, text: str = "") -> str | None:
    """What a key press means on stage (None: ignored, so a stray key does nothing)."""
    if text in ("?", "."):
        return "help" if text == "?" else "blank"
    return KEYS.get(key)


class StageWindow(Stage):
    """The stage as a top-level window that takes the clicker's keys."""

    key_pressed = Signal(str)

    def __init__(self, controller: Controller, theme_name: str = "projector") -> None:
        super().__init__(controller, theme_name)
        self.setWindowTitle("rsiviz presenter")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = key_action(event.key(), event.text())
        if action is None:
            event.ignore()
            return
        event.accept()
        self.key_pressed.emit(action)


class Presenter(QObject):
    """Presenter mode for one controller: the stage window, the story player and the keys."""

    finished = Signal()

    def __init__(
        self,
        controller: Controller,
        story: Story,
        theme_name: str = "projector",
        parent: QObject | None = None,
        player: StoryPlayer | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        # The window passes its own player, so the story's place outlives presenter mode.
        self.player = player or StoryPlayer(controller, self)
        self.stage = StageWindow(controller, theme_name)
        self.blanked = False
        self._stopped = False
        self.player.beat_changed.connect(self.stage.show_beat)
        self.stage.key_pressed.connect(self.handle)
        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.setInterval(CURSOR_HIDE_MS)
        self._cursor_timer.timeout.connect(self._on_cursor_timer_timeout)
        self.counter = BeatCounter(self.stage)
        self.view: PresenterView | None = None  # the speaker's screen, with two screens
        self.player.beat_changed.connect(self._on_player_beat_changed)
        self.player.load(story)

    def _on_player_beat_changed(self, state: BeatState) -> None:
        states = self.player.states
        colour = self.stage.colours.foreground
        self.counter.show_beat(state.index, len(states), self.stage.theme.point_size(0.8), colour)
        if self.view is not None:
            following = states[state.index + 1] if state.index + 1 < len(states) else None
            self.view.show_beat(state, following)

    @property
    def cursor_hidden(self) -> bool:
        return self.stage.cursor().shape() == Qt.CursorShape.BlankCursor

    def start(
        self,
        fullscreen: bool = True,
        screen: QScreen | None = None,
        speaker_screen: QScreen | None = None,
    ) -> None:
        """Show the stage (on ``screen``: the projector, when there is a second screen) and,
        on ``speaker_screen``, the presenter view with notes, next beat and time."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if screen is not None:
            self.stage.setScreen(screen)
            self.stage.setGeometry(screen.geometry())
        if fullscreen:
            self.stage.showFullScreen()
        else:
            self.stage.show()
        if speaker_screen is not None and speaker_screen is not screen:
            self.view = PresenterView(Theme(), len(self.player.states))
            self.view.setScreen(speaker_screen)
            self.view.setGeometry(speaker_screen.availableGeometry())
            self._on_player_beat_changed(self.player.state)
            self.view.show()
        self.stage.activateWindow()
        self.stage.setFocus()
        self._cursor_timer.start()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._cursor_timer.stop()
        self.player._stop()
        # A closed stage must not keep redrawing every frame of the window's run.
        self.controller.view_state.events.frame.disconnect(self.stage._on_controller_snapshot)
        self.player.beat_changed.disconnect(self.stage.show_beat)
        self.stage.close()
        if self.view is not None:
            self.view.close()
            self.view.deleteLater()
        # Closed is not gone: without these, every F5 + Esc left a hidden stage (about 100
        # widgets, 7 MB) behind.
        self.stage.deleteLater()
        self.finished.emit()
        self.deleteLater()

    def handle(self, action: str) -> None:
        """One stage action: next, previous, restart, last, blank, help, theme, counter, leave."""
        if self.blanked and action in ("next", "previous", "blank"):
            self.set_blank(False)  # the first key after a blank only brings the picture back
            return
        if action == "next":
            self.player.next()
        elif action == "previous":
            self.player.previous()
        elif action == "restart":
            self.player.restart()
        elif action == "last":
            self.player.go_to(len(self.player.states) - 1)
        elif action == "blank":
            self.set_blank(True)
        elif action == "help":
            self.stage.set_help(not self.stage.help.isVisible())
        elif action == "theme":
            dark = self.stage.colours.name == "dark"
            self.stage.set_theme("projector" if dark else "dark")
        elif action == "counter":
            self.counter.wanted = not self.counter.wanted
            self.counter.place()
        elif action == "leave":
            self.stop()

    def set_blank(self, on: bool) -> None:
        self.blanked = on
        self.stage.set_blank(on)
        if on:
            self.counter.hide()  # a blank screen is blank
        else:
            self.counter.place()

    # -- no tooltips, and a cursor that disappears --------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ToolTip, QEvent.Type.WhatsThis):
            return True
        if kind == QEvent.Type.MouseMove and self.stage.isVisible():
            self._show_cursor()
        if kind == QEvent.Type.Resize and watched is self.stage:
            self.counter.place()
        return False

    def _show_cursor(self) -> None:
        self.stage.unsetCursor()
        self.stage.plots.viewport().unsetCursor()
        self._cursor_timer.start()

    def _on_cursor_timer_timeout(self) -> None:
        self.stage.setCursor(Qt.CursorShape.BlankCursor)
        self.stage.plots.viewport().setCursor(Qt.CursorShape.BlankCursor)


def projector_screen(window: QWidget) -> QScreen | None:
    """With two screens, the one the window is not on (the speaker keeps the window)."""
    here = window.screen()
    others = [s for s in QGuiApplication.screens() if s is not here]
    return others[0] if others else here
