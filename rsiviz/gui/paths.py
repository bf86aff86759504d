"""Where the app keeps the user's files: settings come from QSettings; this is the data folder
(autosave, crash logs). ``RSIVIZ_DATA_DIR`` overrides it (tests, portable installs)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths


def data_dir() -> Path:
    """``~/.local/share/rsiviz/rsiviz`` on Linux, ``%LOCALAPPDATA%\\rsiviz\\rsiviz`` on Windows,
    ``~/Library/Application Support/rsiviz/rsiviz`` on macOS (Qt's AppDataLocation)."""
    override = os.environ.get("RSIVIZ_DATA_DIR")
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".rsiviz")
