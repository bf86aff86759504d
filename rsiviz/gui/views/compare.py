"""Compare runs: keep named runs, overlay up to four, list what differs.

"Keep this run" stores the live run and its scenario in the view state as a run with role
"saved" ("Run A", "Run B", ...). Ticked runs are visible: the main plots draw every
visible run. The table lists the parameters, development pauses and labs in which the
ticked runs differ from the live run (:func:`rsiviz.core.compare.diff_runs`).
"""

from __future__ import annotations

import dataclasses
import string
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.compare import diff_runs
from rsiviz.core.viewstate import MAX_SAVED_SHOWN, Run
from rsiviz.gui.overlays import SAVED_STYLES

SAVED = "saved"
NOTE = (
    "Tick up to four kept runs to draw them on the main plots. The table lists what "
    "differs from the live run. Double-click a name to rename it."
)
CHANGE_MARK = {"changed": "changed", "added": "added", "removed": "removed"}


def next_label(taken: set[str]) -> str:
    """ "Run A", "Run B", ... "Run Z", then "Run 27", ...: the first one not taken."""
    letters = [f"Run {c}" for c in string.ascii_uppercase]
    numbers = (f"Run {i}" for i in range(27, 10_000))
    return next(label for label in [*letters, *numbers] if label not in taken)


class CompareView(QWidget):
    """Kept runs (tick to overlay, rename, delete, load) and the table of differences."""

    KEY = "compare"
    TITLE = "Compare runs"

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.keep_button = QPushButton("Keep this run")
        self.keep_button.setToolTip("Store the live run and its scenario as a named run")
        self.load_button = QPushButton("Load into live run")
        self.delete_button = QPushButton("Delete")
        self.runs_list = QListWidget()
        self.runs_list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.empty = QLabel("")
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self._layout()
        self._refreshing = False
        self._compared: Any = None
        self.keep_button.clicked.connect(self.keep_run)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.runs_list.itemChanged.connect(self._on_runs_list_item_changed)
        self.runs_list.currentRowChanged.connect(self._update_buttons)
        ctx.view_state.events.runs.connect(self._on_view_state_runs)
        self.apply_theme()
        self.refresh()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for b in (self.keep_button, self.load_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.runs_list)
        right = QWidget()
        col2 = QVBoxLayout(right)
        col2.setContentsMargins(0, 0, 0, 0)
        col2.addWidget(self.empty)
        col2.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setChildrenCollapsible(False)
        self._split = split
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)

    def apply_theme(self) -> None:
        font = self.ctx.theme.font(0.9)
        for w in (self, *self.findChildren(QWidget)):
            w.setFont(font)
        # Room for a name like "Run A" and its line sample, whatever the UI scale.
        self.runs_list.setMinimumWidth(self.runs_list.fontMetrics().horizontalAdvance("M") * 9)

    # -- the kept runs ------------------------------------------------------------------
    def saved_runs(self) -> list[Run]:
        return [r for r in self.ctx.view_state.runs.values() if r.role == SAVED]

    def keep_run(self) -> Run:
        """Store the live run (run to its end, so it is complete) as the next named run."""
        scenario = self.ctx.controller.current_scenario()
        history = scenario.simulation().run()
        saved = self.saved_runs()
        label = next_label({r.label for r in saved} | {r.key[len(SAVED) + 1 :] for r in saved})
        visible = sum(r.visible for r in saved) < MAX_SAVED_SHOWN
        run = Run(f"{SAVED}:{label}", SAVED, label, history, scenario, visible)
        self.ctx.view_state.set_run(run)
        self.ctx.show_message("info", f"Kept the live run as {label}")
        return run

    def set_visible(self, key: str, visible: bool) -> bool:
        """Show or hide a kept run on the main plots; at most MAX_SAVED_SHOWN at once."""
        run = self.ctx.view_state.runs[key]
        shown = sum(r.visible for r in self.saved_runs() if r.key != key)
        if visible and shown >= MAX_SAVED_SHOWN:
            self.ctx.show_message(
                "info",
                f"Up to {MAX_SAVED_SHOWN} kept runs can be shown at once: untick one first.",
            )
            self.refresh()
            return False
        if run.visible != visible:
            self.ctx.view_state.set_run(dataclasses.replace(run, visible=visible))
        return True

    def rename(self, key: str, label: str) -> bool:
        label = label.strip()
        others = {r.label for r in self.saved_runs() if r.key != key}
        if not label or label in others:
            why = "is empty" if not label else "is already taken"
            self.ctx.show_message("error", f"Run not renamed: the name {label!r} {why}")
            self.refresh()
            return False
        run = self.ctx.view_state.runs[key]
        self.ctx.view_state.set_run(dataclasses.replace(run, label=label))
        return True

    def delete(self, key: str) -> None:
        self.ctx.view_state.remove_run(key)

    def ticked(self) -> list[Run]:
        return [r for r in self.saved_runs() if r.visible]

    # -- drawing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the list of kept runs and the table from the view state."""
        self._refreshing = True
        current = self._current_key()
        self.runs_list.clear()
        slot = 0
        for run in self.saved_runs():
            item = QListWidgetItem(run.label)
            if run.visible and slot < MAX_SAVED_SHOWN:
                item.setIcon(self._line_icon(slot))  # the line style it has on the plots
                slot += 1
            item.setData(Qt.ItemDataRole.UserRole, run.key)
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
            )
            item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            item.setToolTip(f"{run.scenario.name}: tick to draw it on the main plots")
            self.runs_list.addItem(item)
            if run.key == current:
                self.runs_list.setCurrentItem(item)
        self._refreshing = False
        self._update_buttons()
        self._fill_table()

    def _line_icon(self, slot: int) -> QIcon:
        colour, style = SAVED_STYLES[slot % len(SAVED_STYLES)]
        size = self.runs_list.fontMetrics().height()
        pixmap = QPixmap(size * 2, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setPen(self.ctx.theme.make_pen(colour, style, 0.8))
        painter.drawLine(0, size // 2, size * 2, size // 2)
        painter.end()
        return QIcon(pixmap)

    def _fill_table(self) -> None:
        runs = self.ticked()
        live = self._compared = self.ctx.controller.current_scenario()
        rows = diff_runs([live, *(r.scenario for r in runs)])
        headers = ["What", "Unit", "Live run", *(r.label for r in runs)]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for i, row in enumerate(rows):
            name = f"lab: {row.name}" if row.section == "lab" else row.name
            cells = [name, row.unit, *row.values]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                change = row.change[j - 3] if j >= 3 else ""
                if change:
                    item.setFont(bold)
                    item.setToolTip(f"{CHANGE_MARK.get(change, change)} compared with the live run")
                self.table.setItem(i, j, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty.setText(self._summary(len(runs), len(rows)))

    def _summary(self, ticked: int, differences: int) -> str:
        if not self.saved_runs():
            return 'No kept runs yet: press "Keep this run" to store the live run.'
        if not ticked:
            return "Tick a kept run to compare it with the live run."
        if not differences:
            return (
                "The ticked runs have the same parameters and development pauses as the live run."
            )
        return f"{differences} differences from the live run (bold: differs):"

    def _current_key(self) -> str | None:
        item = self.runs_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        has = self._current_key() is not None
        self.load_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- events ---------------------------------------------------------------------------
    def _on_view_state_runs(self, key: str) -> None:
        if self._refreshing:
            return
        if key.startswith(f"{SAVED}:"):
            self.refresh()
        elif key == "live" and self.ctx.controller.current_scenario() != self._compared:
            # The live run is set often (every re-run and development pause): compare only
            # when its scenario has really changed.
            self._fill_table()

    def _on_runs_list_item_changed(self, item: QListWidgetItem) -> None:
        if self._refreshing:
            return
        key = str(item.data(Qt.ItemDataRole.UserRole))
        run = self.ctx.view_state.runs.get(key)
        if run is None:
            return
        if item.text() != run.label:
            self.rename(key, item.text())
        else:
            self.set_visible(key, item.checkState() == Qt.CheckState.Checked)

    def _on_delete_button_clicked(self) -> None:
        key = self._current_key()
        if key is not None:
            self.delete(key)

    def _on_load_button_clicked(self) -> None:
        key = self._current_key()
        run = None if key is None else self.ctx.view_state.runs.get(key)
        if run is not None:
            self.ctx.controller.load(run.scenario)
            self.ctx.show_message("info", f"Loaded {run.label} into the live run")
