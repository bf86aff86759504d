"""The fan's controls: which parameters are uncertain (and how), and the readouts.

:class:`UncertaintyTable` lists every parameter an ensemble can vary: a checkbox, the
distribution kind, low and high bounds and where they come from. The defaults are the
Forethought ranges of :data:`rsiviz.core.ensemble.DEFAULT_DISTRIBUTIONS`; a parameter
without a published range starts at its whole allowed range, marked "illustrative".
:class:`Readouts` shows the probabilities of :class:`rsiviz.core.fan.Fan`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
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
from rsiviz.gui.views.fan_draw import Readings, readings

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
        self._defaults: dict[str, Distribution] = {}  # exact bounds (the boxes round them)
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
        source = QLabel(dist.source if dist else "illustrative: whole allowed range")
        source.setToolTip(source.text())
        for col, widget in enumerate((check, label, kind, low, high, source)):
            self.setCellWidget(row, col, widget)
        check.toggled.connect(self.changed)
        kind.currentIndexChanged.connect(self.changed)
        low.editingFinished.connect(self.changed)
        high.editingFinished.connect(self.changed)
        self._rows[name] = (check, kind, low, high)
        spec_default = Distribution(kind.currentText(), spec.low, spec.high, source.text())
        self._defaults[name] = dist or spec_default

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
        """The checked rows as distributions; ParameterError names a bad row.

        A row left at its default gives the default itself, exact (the boxes show three
        decimals), so the fan equals ``rsiviz ensemble`` with the same N and seed.
        """
        out: dict[str, Distribution] = {}
        for row, (name, (check, kind, low, high)) in enumerate(self._rows.items()):
            default = self._defaults[name]
            shown = (kind.currentText(), low.value(), high.value())
            edited = shown != (
                default.kind,
                low.valueFromText(low.textFromValue(default.low)),
                high.valueFromText(high.textFromValue(default.high)),
            )
            source = self.cellWidget(row, 5)
            assert isinstance(source, QLabel)
            source.setText(f"set by you (default: {default.source})" if edited else default.source)
            if not check.isChecked():
                continue
            try:
                out[name] = Distribution(*shown, source.text()) if edited else default
            except ParameterError as exc:
                raise ParameterError(f"{name}: {exc}") from None
        return out


QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "capability",
        "P(capability reaches X by year Y)",
        "The share of runs whose frontier capability reaches X OOM above the start at some "
        "month up to year Y.",
    ),
    (
        "catch_up",
        "P(oversight catches up before the end)",
        "The share of runs in which capability gets ahead of oversight (gap above 0) and "
        "oversight catches up later in the run (gap back to 0 or below). Runs in which "
        "oversight never falls behind do not count.",
    ),
    (
        "m5",
        "P(progress multiplier reaches 5x)",
        "AI 2027's superhuman-coder milestone: software progress at 5x its historical pace, "
        "at some month of the run.",
    ),
    (
        "m25",
        "P(progress multiplier reaches 25x)",
        "AI 2027's superhuman-AI-researcher milestone: 25x the historical pace.",
    ),
)
VARIANT_HEADINGS = {WITH_PAUSE: "With the development pause", WITHOUT_PAUSE: "Without it"}


class Readouts(QWidget):
    """Probabilities for each variant: share of runs +- one standard error (Probability);
    the full text with N and seed is in each value's tooltip and in :attr:`header`.

    Wide, a question and its two values share a row under the two headings; narrower than
    that needs (a side panel at 1024x768), each question spans the row above its values,
    so no heading or value is cut off at the panel's edge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)  # two values side by side read as two
        self.level = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=60.0, value=8.0, suffix=" OOM")
        self.year = QDoubleSpinBox(decimals=0, minimum=2020.0, maximum=2090.0, value=2032.0)
        self.controls = QWidget()
        line = QGridLayout(self.controls)
        line.setContentsMargins(0, 0, 0, 0)
        for col, widget in enumerate((QLabel("X ="), self.level, QLabel("Y ="), self.year)):
            line.addWidget(widget, 0, col)
        line.setColumnStretch(4, 1)
        for box in (self.level, self.year):
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self._on_box_value_changed)
        self.header = QLabel("")
        self.header.setWordWrap(True)
        self.headings: dict[str, QLabel] = {}
        for variant in (WITH_PAUSE, WITHOUT_PAUSE):
            heading = QLabel(f"<b>{VARIANT_HEADINGS[variant]}</b>")
            heading.setWordWrap(True)
            heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.headings[variant] = heading
        self.questions: dict[str, QLabel] = {}
        self.labels: dict[tuple[str, str], QLabel] = {}
        for name, title, tip in QUESTIONS:
            question = QLabel(title)
            question.setWordWrap(True)
            question.setToolTip(tip)
            self.questions[name] = question
            for variant in (WITH_PAUSE, WITHOUT_PAUSE):
                label = QLabel("-")
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.labels[(name, variant)] = label
        self.stacked: bool | None = None  # None: not arranged yet
        self._arrange(stacked=False)
        self.fan: Fan | None = None

    def _column_widths(self) -> tuple[int, int, int]:
        """The narrowest the question column and each value column can be."""
        variants = (WITH_PAUSE, WITHOUT_PAUSE)
        question = max(q.minimumSizeHint().width() for q in self.questions.values())
        values = [
            max(
                [self.headings[v].minimumSizeHint().width()]
                + [self.labels[(name, v)].minimumSizeHint().width() for name in self.questions]
            )
            for v in variants
        ]
        return question, values[0], values[1]

    def wide_width(self) -> int:
        """The width below which the questions go above their values."""
        question, with_, without = self._column_widths()
        spacing = max(0, self.grid.horizontalSpacing())
        return question + with_ + without + 2 * spacing

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the stacked arrangement allows (whichever is shown now)."""
        hint = super().minimumSizeHint()
        question, with_, without = self._column_widths()
        spacing = max(0, self.grid.horizontalSpacing())
        width = max(
            question,
            with_ + without + spacing,
            self.header.minimumSizeHint().width(),
            self.controls.minimumSizeHint().width(),
        )
        return QSize(width, hint.height())

    def _arrange(self, stacked: bool) -> None:
        """Wide: question | with | without on one row; stacked: the question spans the
        row above its two values (two columns)."""
        if stacked == self.stacked:
            return
        self.stacked = stacked
        grid = self.grid
        widgets = [self.header, self.controls, *self.headings.values()]
        widgets += [*self.questions.values(), *self.labels.values()]
        for widget in widgets:
            grid.removeWidget(widget)
        span = 2 if stacked else 3
        grid.addWidget(self.header, 0, 0, 1, span)
        grid.addWidget(self.controls, 1, 0, 1, span)
        first = 0 if stacked else 1  # the column of the first value
        for col, heading in enumerate(self.headings.values(), start=first):
            grid.addWidget(heading, 2, col)
        row = 3
        for name, question in self.questions.items():
            grid.addWidget(question, row, 0, 1, 2 if stacked else 1)
            if stacked:
                row += 1
            for col, variant in enumerate((WITH_PAUSE, WITHOUT_PAUSE), start=first):
                grid.addWidget(self.labels[(name, variant)], row, col)
            row += 1
        stretches = (1, 1, 0) if stacked else (2, 1, 1)
        for col, stretch in enumerate(stretches):
            grid.setColumnStretch(col, stretch)

    def _rearrange(self) -> None:
        self._arrange(stacked=self.width() < self.wide_width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._rearrange()

    def _on_box_value_changed(self, _: float) -> None:
        if self.fan is not None:
            self.show_fan(self.fan)

    def show_fan(
        self, fan: Fan, found: Readings | None = None, at: tuple[float, float] | None = None
    ) -> None:
        """Fill every label from ``fan``; ``found``: its probabilities at (X, Y) = ``at``,
        counted on the worker thread (used when X and Y are still those)."""
        self.fan = fan
        first, last = float(fan.years[0]), float(fan.years[-1])
        if (self.year.minimum(), self.year.maximum()) != (round(first), round(last)):
            self.year.blockSignals(True)  # Y within the run; mid-run when it was outside
            value = self.year.value()
            self.year.setRange(round(first), round(last))
            self.year.setValue(value if first <= value <= last else round((first + last) / 2))
            self.year.blockSignals(False)
        self.header.setText(
            f"Share of the {fan.members:,} runs (seed {fan.seed}); \u00b1 one standard error. "
            "Hover a value for its count."
        )
        shown = (self.level.value(), self.year.value())
        if found is None or at != shown:
            found = readings(fan, *shown)  # counts over (T, N) arrays: a few ms
        for variant in (WITH_PAUSE, WITHOUT_PAUSE):
            probs: dict[str, Probability] = found.get(variant, {})
            for (name, var), label in self.labels.items():
                if var != variant:
                    continue
                prob = probs.get(name)
                label.setText("n/a" if prob is None else prob.short_text())
                label.setToolTip(
                    "No development pause in this scenario"
                    if prob is None
                    else f"{prob.what} ({VARIANT_LABELS[variant]}): {prob.text()}"
                )
        self._rearrange()  # the values' widths changed
