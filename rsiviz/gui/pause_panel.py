"""The development-pause control: one large button with its settings beside it, and a
dialog to schedule development pauses on a date or a condition before the run."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.interventions import CONDITION_METRICS, DevelopmentPause, Lab
from rsiviz.core.params import RELEASE_MODES, ParameterError
from rsiviz.gui.clock import fitted_font
from rsiviz.gui.theme import OKABE_ITO, Theme

RELEASE_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("as the parameters say", None),
    *((mode.replace("_", " "), mode) for mode in RELEASE_MODES),
)


def _release_box() -> QComboBox:
    box = QComboBox()
    for text, mode in RELEASE_CHOICES:
        box.addItem(text, mode)
    # Its longest choice no longer sets the panel's width (the list still shows it whole).
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    return box


START_TEXT = "DEVELOPMENT PAUSE  (P)"
END_TEXT = "END DEVELOPMENT PAUSE  (P)"
START_TIP = (
    "Start a coordinated development pause now: complying labs stop frontier training. "
    "The run without it stays on screen as a dotted ghost."
)


class PausePanel(QGroupBox):
    """Start a coordinated development pause now, with duration, release and compliance."""

    development_pause_requested = Signal(dict)  # keyword arguments for the controller
    end_requested = Signal()  # end the development pause in force now
    schedule_requested = Signal(object)  # DevelopmentPause
    clear_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # the dock names it
        self.theme = theme
        self.in_force = False
        self.button = QPushButton(START_TEXT)
        self.button.setToolTip(START_TIP)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.request)
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setValue(24)
        self.months.setSuffix(" months")
        self.until_oversight = QCheckBox("or until oversight catches up")
        self.release = _release_box()
        self.labs_box = QGroupBox("Labs that comply")
        self.labs_layout = QVBoxLayout(self.labs_box)
        self.lab_checks: list[QCheckBox] = []
        self.schedule = QPushButton("Schedule...")
        self.schedule.setToolTip("Schedule a development pause on a date or a condition")
        self.schedule.clicked.connect(self._on_schedule_clicked)
        self.clear = QPushButton("Clear all")
        self.clear.setToolTip("Remove every scheduled development pause")
        self.clear.clicked.connect(self.clear_requested)
        self.scheduled = QLabel()
        self.scheduled.setWordWrap(True)
        self._layout()
        self.set_labs([Lab()])
        self.apply_theme()

    def _fit_button(self) -> None:
        """The big button's words shrink (to 60% at most) to the panel's width, so the
        panel never makes the window wider than a small screen (800x600)."""
        padding = 2 * 8 * self.theme.scale + 24  # its stylesheet padding, the layout margins
        width = max(1.0, self.contentsRect().width() - padding)
        texts = (START_TEXT, END_TEXT)
        self.button.setFont(fitted_font(self.theme.font(1.35, bold=True), texts, width, 0.6))
        self.button.setMinimumWidth(1)  # its text no longer sets the panel's width

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._fit_button()

    def _layout(self) -> None:
        form = QFormLayout()
        # A field too wide for the space beside its label goes under it (the release
        # choice was cut at "as the parameters sa" in the 294 px column at 1024x768).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.release.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.release.setMinimumContentsLength(0)  # its minimum: the longest choice
        form.addRow("Duration", self.months)
        form.addRow(self.until_oversight)  # across both columns: the panel stays narrow
        form.addRow("Release", self.release)
        layout = QVBoxLayout(self)
        layout.addWidget(self.button)
        layout.addLayout(form)
        layout.addWidget(self.labs_box)
        row = QHBoxLayout()
        row.addWidget(self.schedule)
        row.addWidget(self.clear)
        layout.addLayout(row)
        layout.addWidget(self.scheduled)

    def set_labs(self, labs: Sequence[Lab]) -> None:
        for check in self.lab_checks:
            self.labs_layout.removeWidget(check)
            check.deleteLater()
        self.lab_checks = []
        for lab in labs:
            check = QCheckBox(lab.name)
            check.setChecked(lab.complies)
            self.labs_layout.addWidget(check)
            self.lab_checks.append(check)
        self.labs_box.setVisible(len(labs) > 1)
        self.apply_theme()

    def set_scheduled(self, pauses: Sequence[DevelopmentPause], start_year: float) -> None:
        lines = [p.describe_in_run(start_year) for p in pauses]
        self.scheduled.setText("\n".join(lines) if lines else "No development pause scheduled.")

    def settings(self) -> dict:
        """The development pause the button would start, as controller keyword arguments."""
        compliance = tuple(c.text() for c in self.lab_checks if c.isChecked())
        return {
            "months": float(self.months.value()),
            "release": self.release.currentData(),
            "compliance": compliance if len(self.lab_checks) > 1 else None,
            "until_oversight": self.until_oversight.isChecked(),
        }

    def request(self) -> None:
        """The button or P: start a development pause, or end the one in force (never
        stack a second one on top)."""
        if self.in_force:
            self.end_requested.emit()
        else:
            self.development_pause_requested.emit(self.settings())

    def set_in_force(self, on: bool) -> None:
        """A development pause is in force at the month on screen: offer to end it."""
        if on == self.in_force:
            return
        self.in_force = on
        if on:
            self.button.setText(END_TEXT)
            self.button.setToolTip(
                "End the development pause now: complying labs resume, released as the "
                "development pause says (instant, gradual or no catch-up)."
            )
        else:
            self.button.setText(START_TEXT)
            self.button.setToolTip(START_TIP)

    def _on_schedule_clicked(self) -> None:
        dialog = ScheduleDialog(self.theme, [c.text() for c in self.lab_checks], self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.pause is not None:
            self.schedule_requested.emit(dialog.pause)

    def apply_theme(self) -> None:
        t = self.theme
        self._fit_button()
        self.button.setMinimumHeight(int(72 * t.scale))
        self.button.setStyleSheet(
            f"QPushButton {{ background: {OKABE_ITO['vermillion']}; color: white; "
            f"border-radius: {int(8 * t.scale)}px; padding: {int(8 * t.scale)}px; }}"
            "QPushButton:pressed { background: #a84800; }"
        )
        for w in (
            self.months,
            self.until_oversight,
            self.release,
            self.schedule,
            self.clear,
            self.scheduled,
            self.labs_box,
            *self.lab_checks,
        ):
            w.setFont(t.font(0.85))
        self.setFont(t.font(0.95, bold=True))


class ScheduleDialog(QDialog):
    """Schedule a development pause on a date or an if-then condition."""

    def __init__(
        self,
        theme: Theme,
        lab_names: list[str],
        parent: QWidget | None = None,
        start_year: float = 2028.0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Schedule a development pause")
        self.lab_names = lab_names
        self.pause: DevelopmentPause | None = None
        self.trigger = QComboBox()
        self.trigger.addItem("on a date", "date")
        self.trigger.addItem("when a condition is met", "condition")
        self.year = QDoubleSpinBox()
        self.year.setRange(2000, 2200)
        self.year.setDecimals(2)
        self.year.setValue(start_year)
        self.metric_box = QComboBox()
        for name, text in CONDITION_METRICS.items():
            self.metric_box.addItem(text, name)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(-1e6, 1e6)
        self.threshold.setValue(1.0)
        self.months = QSpinBox()
        self.months.setRange(1, 600)
        self.months.setValue(24)
        self.until_oversight = QCheckBox("until oversight catches up (at most the duration)")
        self.release = _release_box()
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {OKABE_ITO['vermillion']}")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in (
            ("Start", self.trigger),
            ("Year", self.year),
            ("Condition", self.metric_box),
            ("Threshold x", self.threshold),
            ("Duration (months)", self.months),
            ("", self.until_oversight),
            ("Release", self.release),
        ):
            form.addRow(label, widget)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setFont(theme.font(0.9))

    def build(self) -> DevelopmentPause:
        months = float(self.months.value())
        return DevelopmentPause(
            trigger=self.trigger.currentData(),
            start=self.year.value(),
            metric=self.metric_box.currentData(),
            threshold=self.threshold.value(),
            months=months,
            until_oversight=self.until_oversight.isChecked(),
            max_months=months,
            release=self.release.currentData(),
        )

    def _on_buttons_accepted(self) -> None:
        try:
            self.pause = self.build()
        except ParameterError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
