"""Nothing the user made is lost: unsaved edits are autosaved and offered back after a crash.

Every few seconds, while the scenario on screen differs from the one last opened or saved
(parameters, development pauses) or there are kept runs to compare, the session writes them
to ``<data folder>/autosave/<pid>/`` (``current.toml`` and ``run-N.toml``, scenario files
written atomically). A lock file held by the running session tells a live session's folder
from the one a crash or kill left behind: at the next start those are offered back. A clean
quit removes the session's folder.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from rsiviz.core.scenario import Scenario, ScenarioError, load_scenario, save_scenario
from rsiviz.core.viewstate import Run

AUTOSAVE_MS = int(os.environ.get("RSIVIZ_AUTOSAVE_MS", "4000"))


@dataclass(frozen=True)
class Session:
    """What a session that did not end cleanly left behind."""

    folder: Path
    saved_at: float  # seconds since the epoch
    current: Scenario
    kept: tuple[Scenario, ...]  # kept runs, each named by its label


def autosave_root(data: Path) -> Path:
    return data / "autosave"


class Autosave(QObject):
    """Autosaves a controller's unsaved edits and kept runs; see the module docstring."""

    def __init__(
        self,
        controller: Any,
        data: Path,
        interval_ms: int = AUTOSAVE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.root = autosave_root(data)
        self.folder = self.root / str(os.getpid())
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock = QLockFile(str(self.root / f"{os.getpid()}.lock"))
        self.lock.tryLock(0)
        # The scenario as last opened or saved; None: what is on screen is in no file.
        self.baseline: Scenario | None = controller.current_scenario()
        self._written: tuple[str, ...] = ()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        controller.scenario_changed.connect(self._on_controller_scenario_changed)

    # -- state ----------------------------------------------------------------------------
    def kept_runs(self) -> list[Run]:
        return self.controller.view_state.runs_with_role("saved")

    @property
    def dirty(self) -> bool:
        """Edits since the scenario was opened or saved, or kept runs (never in a file)."""
        current = self.controller.current_scenario()
        return current != self.baseline or bool(self.kept_runs())

    def mark_saved(self) -> None:
        """The scenario on screen is now in a file the user chose."""
        self.baseline = self.controller.current_scenario()
        self.save_now()

    def _on_controller_scenario_changed(self, scenario: Scenario) -> None:
        self.baseline = self.controller.current_scenario()

    # -- writing --------------------------------------------------------------------------
    def save_now(self) -> None:
        """Write the unsaved state (or remove it when there is none); quick when unchanged."""
        if not self.dirty:
            self.clear()
            return
        current = self.controller.current_scenario()
        kept = [dataclasses.replace(r.scenario, name=r.label) for r in self.kept_runs()]
        key = tuple(repr(s) for s in (current, *kept))
        if key == self._written:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        save_scenario(current, self.folder / "current.toml")
        for i, scenario in enumerate(kept, 1):
            save_scenario(scenario, self.folder / f"run-{i}.toml")
        for extra in self.folder.glob("run-*.toml"):
            if int(extra.stem.split("-")[1]) > len(kept):
                extra.unlink(missing_ok=True)
        self._written = key

    def clear(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        self._written = ()

    def close(self) -> None:
        """A clean end: nothing to offer back next time."""
        self.timer.stop()
        self.clear()
        self.lock.unlock()

    # -- the user's choices -------------------------------------------------------------
    def may_quit(self, parent: QWidget, save_file: Callable[[str], bool]) -> bool:
        """Before quitting with unsaved edits ask: Save, Discard or Cancel (False: stay)."""
        if not self.dirty:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent,
            "rsiviz: unsaved changes",
            "The scenario on screen has changes that are in no file"
            + (" and kept runs" if self.kept_runs() else "")
            + ". Save the scenario before quitting?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Cancel:
            return False
        if answer == buttons.Save:
            path, _ = QFileDialog.getSaveFileName(
                parent, "Save scenario", "scenario.toml", "Scenarios (*.toml)"
            )
            return bool(path) and save_file(path)
        return True

    def offer_restore(self, parent: QWidget, show_message: Callable[[str, str], None]) -> bool:
        """After a crash or kill, offer the newest session's edits back; True if restored.

        Every session left behind is removed afterwards (the newest, when restored, lives on
        as this session's autosave).
        """
        sessions = left_behind(self.root.parent)
        if not sessions:
            return False
        newest = sessions[0]
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent,
            "rsiviz: restore unsaved edits?",
            f"rsiviz did not close normally last time. Restore {describe(newest)}?",
            buttons.Yes | buttons.No,
            buttons.Yes,
        )
        restored = answer == buttons.Yes
        if restored:
            self.restore(newest)
            show_message("info", f"Restored {describe(newest)}.")
        for session in sessions:
            discard(session)
        return restored

    def restore(self, session: Session) -> None:
        """Load an autosaved session: its scenario (still unsaved) and its kept runs."""
        ctl = self.controller
        ctl.load(session.current)
        for scenario in session.kept:
            history = scenario.simulation().run()
            run = Run(f"saved:{scenario.name}", "saved", scenario.name, history, scenario)
            ctl.view_state.set_run(run)
        self.baseline = None  # what is on screen is in no file yet
        self.save_now()


def left_behind(data: Path) -> list[Session]:
    """Sessions whose process ended without a clean quit (newest first).

    A folder whose lock is still held belongs to a running rsiviz and is left alone; an
    unreadable folder is skipped (and kept, so nothing is deleted that could be read later).
    """
    root = autosave_root(data)
    found: list[Session] = []
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if not folder.is_dir() or folder.name == str(os.getpid()):
            continue
        lock = QLockFile(str(root / f"{folder.name}.lock"))
        if not lock.tryLock(0):
            continue  # another rsiviz is running with it
        lock.unlock()
        try:
            current = load_scenario(folder / "current.toml")
            kept = tuple(
                load_scenario(p)
                for p in sorted(folder.glob("run-*.toml"), key=lambda p: int(p.stem[4:]))
            )
        except (ScenarioError, OSError, ValueError):
            continue
        saved_at = (folder / "current.toml").stat().st_mtime
        found.append(Session(folder, saved_at, current, kept))
    return sorted(found, key=lambda s: -s.saved_at)


def discard(session: Session) -> None:
    shutil.rmtree(session.folder, ignore_errors=True)


def describe(session: Session) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.saved_at))
    runs = f" and {len(session.kept)} kept run(s)" if session.kept else ""
    return f"'{session.current.name}' with unsaved edits{runs}, last saved {when}"
