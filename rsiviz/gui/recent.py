"""File > Recent files: the last scenario files opened or saved, kept in the settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

MAX_RECENT = 8


class RecentFiles:
    """Remembers paths in ``settings`` and lists them in ``menu``; a click calls ``open_file``."""

    def __init__(self, settings: QSettings, menu: QMenu, open_file: Callable[[str], bool]) -> None:
        self.settings = settings
        self.menu = menu
        self.open_file = open_file
        self.fill()

    def files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def remember(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self.files() if f != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self.fill()

    def fill(self) -> None:
        self.menu.clear()
        files = self.files()
        for path in files:
            action = self.menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.menu.setEnabled(bool(files))
