"""The fan's controls: which parameters are uncertain (and how), and the readouts.

:class:`UncertaintyTable` lists every parameter an ensemble can vary: a checkbox, the
distribution kind, low and high bounds and where they come from. The defaults are the
Forethought ranges of :data:`rsiviz.core.ensemble.DEFAULT_DISTRIBUTIONS`; a parameter
without a published range starts at its whole allowed range, marked "illustrative".
:class:`Readouts` shows the probabilities of :class:`rsiviz.core.fan.Fan`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QTableWidget,
    QWidget,
)

from rsiviz.core.ensemble import DEFAULT_DISTRIBUTIONS, Distribution
from rsiviz.core.fan import VARIANT_LABELS, WITH_PAUSE, WITHOUT_PAUSE, Fan, Probability
from rsiviz.core.params import SPEC_BY_NAME, ParameterError
from rsiviz.core.sensitivity import tornado_params
from rsiviz.gui.params_panel import pretty_name

COLUMNS = ("", "Parameter", "Kind", "Low", "High", "Source")


class UncertaintyTable(QTableWidget):
    """One row per parameter a member axis can vary; emits :attr:`changed` on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().hide()
        self.names = tornado_params()
        self._rows: dict[str, tuple[QCheckBox, QComboBox, QDoubleSpinBox, QDoubleSpinBox]] = {}
        self.setRowCount(len(self.names))
        for row, name in enumerate(self.names):
            self._add_row(row, name)
        self.resizeColumnsToContents()
        self.horizontalHeader().setStretchLastSection(True)

    def _add_row(self, row: int, name: str) -> None:
        spec = SPEC_BY_NAME[name]
        assert spec.low is not None and spec.high is not None
        dist = DEFAULT_DISTRIBUTIONS.get(name)
        check = QCheckBox()
        check.setChecked(dist is not None)
        kind = QComboBox()
        kind.addItems(["uniform", "loguniform"])
        kind.setCurrentText(dist.kind if dist else ("loguniform" if spec.log_scale else "uniform"))
        low, high = (self._bound(spec.low, spec.high) for _ in range(2))
        low.setValue(dist.low if dist else spec.low)
        high.setValue(dist.high if dist else spec.high)
        label = QLabel(pretty_name(spec))
        label.setToolTip(spec.explanation)
        source = QLabel(dist.source if dist else "illustrative (whole allowed range)")
        source.setToolTip(source.text())
        for col, widget in enumerate((check, label, kind, low, high, source)):
            self.setCellWidget(row, col, widget)
        check.toggled.connect(self.changed)
        kind.currentIndexChanged.connect(self.changed)
        low.editingFinished.connect(self.changed)
        high.editingFinished.connect(self.changed)
        self._rows[name] = (check, kind, low, high)

    @staticmethod
    def _bound(lo: float, hi: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(3)
        box.setRange(lo, hi)
        box.setSingleStep((hi - lo) / 100)
        box.setKeyboardTracking(False)
        return box

    def set_checked(self, name: str, checked: bool) -> None:
        self._rows[name][0].setChecked(checked)

    def set_bounds(self, name: str, low: float, high: float, kind: str | None = None) -> None:
        _, kind_box, low_box, high_box = self._rows[name]
        if kind is not None:
            kind_box.setCurrentText(kind)
        low_box.setValue(low)
        high_box.setValue(high)
        self.changed.emit()

    def distributions(self) -> dict[str, Distribution]:
        """The checked rows as distributions; ParameterError names a bad row."""
        out: dict[str, Distribution] = {}
        for name, (check, kind, low, high) in self._rows.items():
            if not check.isChecked():
                continue
            source = self.cellWidget(self.names.index(name), 5)
            assert isinstance(source, QLabel)
            try:
                out[name] = Distribution(
                    kind.currentText(), low.value(), high.value(), source.text()
                )
            except ParameterError as exc:
                raise ParameterError(f"{name}: {exc}") from None
        return out


class Readouts(QWidget):
    """Probabilities for each variant, with N, seed and standard error (see Probability)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.level = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=60.0, value=8.0, suffix=" OOM")
        self.year = QDoubleSpinBox(decimals=0, minimum=2020.0, maximum=2090.0, value=2032.0)
        for box in (self.level, self.year):
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self._on_box_value_changed)
        row = QWidget()
        line = QGridLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel("P(capability reaches"), 0, 0)
        line.addWidget(self.level, 0, 1)
        line.addWidget(QLabel("by"), 0, 2)
        line.addWidget(self.year, 0, 3)
        line.addWidget(QLabel(")"), 0, 4)
        grid.addWidget(row, 0, 0, 1, 2)
        self.labels: dict[tuple[str, str], QLabel] = {}
        names = ("capability", "catch_up", "m5", "m25")
        titles = (
            "",
            "P(oversight catches up before the end)",
            "P(progress multiplier reaches 5x)",
            "P(progress multiplier reaches 25x)",
        )
        tips = (
            "The share of runs whose frontier capability reaches this level at some "
            "month up to this year.",
            "The share of runs in which capability gets ahead of oversight (gap > 0) and "
            "oversight catches up later in the run (gap back to 0 or below).",
            "AI 2027's superhuman-coder milestone: software progress 5x its historical pace.",
            "AI 2027's superhuman-AI-researcher milestone: 25x the historical pace.",
        )
        r = 1
        for name, title, tip in zip(names, titles, tips, strict=True):
            if title:
                heading = QLabel(title)
                heading.setToolTip(tip)
                grid.addWidget(heading, r, 0, 1, 2)
                r += 1
            row.setToolTip(tips[0])
            for variant in (WITH_PAUSE, WITHOUT_PAUSE):
                label = QLabel("-")
                label.setToolTip(tip)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.labels[(name, variant)] = label
                grid.addWidget(label, r, 0)
                r += 1
        self.fan: Fan | None = None

    def _on_box_value_changed(self, _: float) -> None:
        if self.fan is not None:
            self.show_fan(self.fan)
        self.changed.emit()

    def show_fan(self, fan: Fan) -> None:
        """Fill every label from ``fan`` (cheap: counts over (T, N) arrays)."""
        self.fan = fan
        for variant in (WITH_PAUSE, WITHOUT_PAUSE):
            present = variant in fan.series
            values: dict[str, Probability | None] = {
                "capability": fan.p_capability_reaches(
                    self.level.value(), self.year.value(), variant
                )
                if present
                else None,
                "catch_up": fan.p_oversight_catches_up(variant) if present else None,
                "m5": fan.p_multiplier_reaches(5.0, variant) if present else None,
                "m25": fan.p_multiplier_reaches(25.0, variant) if present else None,
            }
            for name, prob in values.items():
                label = self.labels[(name, variant)]
                label.setVisible(prob is not None)
                if prob is not None:
                    label.setText(f"  {VARIANT_LABELS[variant].capitalize()}: {prob.text()}")
