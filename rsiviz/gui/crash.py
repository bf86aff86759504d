"""Unexpected errors, calmly: a crash log in the user's data folder, a short dialog, no exit.

A global ``sys.excepthook`` catches what escapes a Qt slot. It writes a log (the traceback,
versions and the scenario on screen, so the problem can be reproduced) to
``<data folder>/crash-logs/``, shows one line in the window's banner and, outside presenter
mode, a dialog with the details to copy. On stage nothing pops up: the log is still written.
The run goes on. Qt's own warnings go to the same log folder's ``qt-messages.log`` and to
stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QMessageBox

from rsiviz import __version__
from rsiviz.core.atomic import atomic_write_text
from rsiviz.gui.paths import data_dir

MAX_LOGS_PER_SESSION = 20  # an error on every frame must not fill the disk
KEEP_LOGS = 50  # older crash logs are removed


def crash_dir() -> Path:
    return data_dir() / "crash-logs"


def write_crash_log(
    kind: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    scenario_text: str = "",
) -> Path | None:
    """Write one crash log; returns its path (None when it could not be written)."""
    from PySide6 import __version__ as pyside_version

    folder = crash_dir()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    lines = [
        f"rsiviz {__version__} crash log, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"Python {sys.version.split()[0]}, PySide6 {pyside_version}, {platform.platform()}",
        "",
        *traceback.format_exception(kind, exc, tb),
        "",
        "# The scenario on screen (open it with File > Open scenario to reproduce):",
        scenario_text,
    ]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}.log"
        atomic_write_text(path, "\n".join(lines))
        for old in sorted(folder.glob("crash-*.log"))[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)
    except OSError:
        return None
    return path


class ExceptionHook:
    """``sys.excepthook`` for the window: log, tell, carry on."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.logged = 0
        self.dialog: QMessageBox | None = None
        self.seen: list[str] = []  # one line per exception caught (tests read it)

    def install(self) -> None:
        sys.excepthook = self

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        text = f"Something went wrong ({kind.__name__}: {exc}). The window keeps running."
        self.seen.append(text)
        print(f"rsiviz: {text}", file=sys.stderr)
        path = None
        if self.logged < MAX_LOGS_PER_SESSION:
            self.logged += 1
            path = write_crash_log(kind, exc, tb, self._scenario_text())
        with contextlib.suppress(RuntimeError):  # the window may already be gone
            self.window.banner.show_message("error", text)
            if self.window.presenter is None:
                self._dialog(text, kind, exc, tb, path)

    def _scenario_text(self) -> str:
        from rsiviz.core.scenario import scenario_to_text

        try:
            return scenario_to_text(self.window.controller.current_scenario())
        except Exception as err:  # the log must still be written
            return f"(the scenario could not be written: {err})"

    def _dialog(
        self,
        text: str,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        path: Path | None,
    ) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one at a time: an error on every frame must not stack dialogs
        where = f"A crash log was written to:\n{path}" if path else "No crash log was written."
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("rsiviz: unexpected error")
        box.setText(f"{text}\n\n{where}")
        box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()  # not exec(): no nested event loop inside an exception hook
        self.dialog = box


def install_qt_message_log(sink: Callable[[str], None] | None = None) -> None:
    """Send Qt's warnings to stderr (as before) and, when given, to ``sink``."""

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind == QtMsgType.QtDebugMsg:
            return
        print(f"qt: {message}", file=sys.stderr)
        if sink is not None:
            sink(message)

    qInstallMessageHandler(handler)
