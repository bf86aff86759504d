"""The status bar's view of background work: what runs, how far it is, and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from rsiviz.gui.jobs import Jobs
from rsiviz.gui.theme import Theme

# What the status bar calls each job (a key not listed shows as itself).
JOB_NAMES = {
    "fan": "Uncertainty fan",
    "sweep": "Sweep map",
    "sensitivity": "Sensitivity",
    "replication": "Replication",
    "export": "Video export",
}


class JobsIndicator(QWidget):
    """'Sweep map 40%  [Cancel]' while a job runs; hidden when nothing does."""

    def __init__(self, jobs: Jobs, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.theme = theme
        self.key: str | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.bar.setMaximumWidth(220)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.cancel):
            row.addWidget(w)
        jobs.started.connect(self._on_jobs_started)
        jobs.progress.connect(self._on_jobs_progress)
        jobs.finished.connect(self._on_jobs_finished)
        self.apply_theme()
        self.hide()

    def _on_jobs_started(self, key: str) -> None:
        self.key = key
        self.label.setText(JOB_NAMES.get(key, key))
        self.bar.setRange(0, 0)
        self.show()

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key != self.key:
            self._on_jobs_started(key)
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(min(done, total))

    def _on_jobs_finished(self, key: str) -> None:
        if not self.jobs.busy():
            self.key = None
            self.hide()

    def _on_cancel_clicked(self) -> None:
        if self.key is not None:
            self.jobs.cancel(self.key)

    def apply_theme(self) -> None:
        font = self.theme.font(0.85)
        for w in (self.label, self.bar, self.cancel):
            w.setFont(font)
