"""A small view for the dock tests: it shows the year of the live frame it was sent."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rsiviz.core.viewstate import Snapshot


class EchoView(QWidget):
    KEY = "echo"
    TITLE = "Echo"

    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.label = QLabel("no frame yet")
        QVBoxLayout(self).addWidget(self.label)
        self.themed = 0
        ctx.view_state.events.frame.connect(self._on_frame)

    def _on_frame(self, snap: Snapshot) -> None:
        self.label.setText(f"{snap.year:.2f}")

    def apply_theme(self) -> None:
        self.themed += 1


class OtherView(EchoView):
    KEY = "other"
    TITLE = "Other"
