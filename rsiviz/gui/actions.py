"""Menus and keyboard shortcuts: every action lives in a menu, most have a key.

Space play/stop, Right step, P development pause, R reset, F11 fullscreen, Esc leaves
fullscreen, Ctrl+= / Ctrl+- scale the whole UI for projectors, Ctrl+Z undo, Ctrl+Shift+Z
(or Ctrl+Y) redo of parameter and development-pause edits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from rsiviz.gui.plots import LOWER_MODES
from rsiviz.gui.units import CAPABILITY_UNITS


class Actions:
    """All QActions of the window, created once and added to its menus."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.open = self._make("&Open scenario...", QKeySequence.StandardKey.Open)
        self.save = self._make("&Save scenario as...", QKeySequence.StandardKey.SaveAs)
        self.quit = self._make("&Quit", QKeySequence.StandardKey.Quit)
        self.play = self._make("&Play / Stop", "Space")
        self.step = self._make("S&tep one month", "Right")
        self.reset = self._make("&Reset", "R")
        self.faster = self._make("Fast&er", "Up")
        self.slower = self._make("S&lower", "Down")
        self.development_pause = self._make("Start &development pause now", "P")
        self.schedule_pause = self._make("&Schedule a development pause...")
        self.clear_pauses = self._make("&Clear development pauses")
        self.zoom_in = self._make("&Larger (projector)", "Ctrl+=")
        self.zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out = self._make("&Smaller", "Ctrl+-")
        self.zoom_reset = self._make("&Normal size", "Ctrl+0")
        self.fullscreen = self._make("&Fullscreen", "F11")
        self.fullscreen.setCheckable(True)
        self.leave_fullscreen = self._make("L&eave fullscreen", "Esc")
        self.reset_params = self._make("Reset &all parameters")
        self.about = self._make("&About the model")
        self.open_story = self._make("Open s&tory...")
        self.export = self._make("&Export...", "Ctrl+E")
        self.present = self._make("&Presenter mode", "F5")
        self.reset_layout = self._make("Reset &layout")
        self.show_bands = self._make("Uncertainty &bands on the main plots")
        self.show_bands.setCheckable(True)
        # -- undo / redo of parameter and development-pause edits
        self.undo = self._make("&Undo", "Ctrl+Z")
        self.redo = self._make("&Redo", "Ctrl+Shift+Z")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.story_menu = QMenu("Stor&ies", window)
        self.views_menu = QMenu("&Views", window)
        self.panels_menu = QMenu("&Panels", window)
        self.units = self._choice(CAPABILITY_UNITS, "oom")
        self.lower = self._choice(LOWER_MODES, "gap")
        self.preset_menu = QMenu("&Presets", window)
        self.recent_menu = QMenu("&Recent files", window)
        self._menus()

    def _make(self, text: str, key: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self.window)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            # Window-wide, so a focused slider or button never swallows the key.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.window.addAction(action)
        return action

    def _choice(self, options: dict[str, str], current: str) -> dict[str, QAction]:
        group = QActionGroup(self.window)
        out = {}
        for key, text in options.items():
            action = QAction(text, self.window, checkable=True)
            action.setData(key)
            action.setChecked(key == current)
            group.addAction(action)
            out[key] = action
        return out

    def _menus(self) -> None:
        bar = self.window.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.open, self.save])
        file.addMenu(self.preset_menu)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addAction(self.open_story)
        file.addMenu(self.story_menu)
        file.addSeparator()
        file.addAction(self.export)
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        play = bar.addMenu("&Playback")
        play.addActions([self.play, self.step, self.reset, self.faster, self.slower])
        pause = bar.addMenu("&Intervention")
        pause.addActions([self.development_pause, self.schedule_pause, self.clear_pauses])
        view = bar.addMenu("&View")
        units = view.addMenu("Capability &units")
        units.addActions(list(self.units.values()))
        lower = view.addMenu("&Lower plot")
        lower.addActions(list(self.lower.values()))
        view.addSeparator()
        view.addMenu(self.views_menu)
        view.addMenu(self.panels_menu)
        view.addAction(self.show_bands)
        view.addAction(self.reset_layout)
        view.addSeparator()
        view.addActions(
            [self.zoom_in, self.zoom_out, self.zoom_reset, self.fullscreen, self.leave_fullscreen]
        )
        view.addSeparator()
        view.addAction(self.present)
        params = bar.addMenu("P&arameters")
        params.addAction(self.reset_params)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about)
