"""The parameter panel, generated from :func:`rsiviz.core.params.param_specs`.

One row per parameter: a slider (logarithmic where the spec says so) or a choice box,
its value with units, and a tooltip with the explanation and the source (or the word
"illustrative"). Double-click a slider to reset it; "Reset all" resets every one.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.params import Params, ParamSpec, param_specs
from rsiviz.gui.fitted_note import FittedNote
from rsiviz.gui.theme import Theme

# The panel's caveat, ever shorter (FittedNote, in 2 lines): a narrow panel keeps its rows
# for sliders.
NOTES = (
    "Curves are conditional on these assumptions, not a forecast. "
    "* marks an illustrative value (no published estimate).",
    "Not a forecast. * = illustrative: no published estimate.",
)
STEPS = 1000


def slider_to_value(spec: ParamSpec, position: int) -> float:
    """Slider position 0..STEPS -> parameter value (log or linear), rounded to 4 digits."""
    assert spec.low is not None and spec.high is not None
    frac = min(max(position, 0), STEPS) / STEPS
    if spec.log_scale:
        value = spec.low * (spec.high / spec.low) ** frac
    else:
        value = spec.low + (spec.high - spec.low) * frac
    return float(f"{value:.4g}")


def value_to_slider(spec: ParamSpec, value: float) -> int:
    assert spec.low is not None and spec.high is not None
    if spec.log_scale:
        frac = math.log(value / spec.low) / math.log(spec.high / spec.low)
    else:
        frac = (value - spec.low) / (spec.high - spec.low)
    return round(min(max(frac, 0.0), 1.0) * STEPS)


def pretty_name(spec: ParamSpec) -> str:
    """'software_returns' -> 'Software returns'; 'pause_*' names say 'development pause'."""
    name = spec.name
    if name.startswith("pause_"):
        name = "development_" + name
    return name.replace("_", " ").capitalize()


def tooltip(spec: ParamSpec) -> str:
    source = "illustrative (no published value)" if spec.is_illustrative else spec.source
    symbol = f" ({spec.symbol})" if spec.symbol else ""
    unit = f" {spec.unit}" if spec.unit else ""
    return (
        f"<b>{spec.name}</b>{symbol}<br>{spec.explanation}<br><i>Source: {source}</i>"
        f"<br>Range: {spec.range_text()}{unit}; default {spec.default}{unit}."
        f"<br>Double-click to reset."
    )


def value_text(spec: ParamSpec, value: float | str) -> str:
    if isinstance(value, str):
        return value
    unit = f" {spec.unit}" if spec.unit else ""
    return f"{value:.4g}{unit}"


class ResettableSlider(QSlider):
    """A horizontal slider that reports double-clicks (reset to default)."""

    double_clicked = Signal()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit()
        event.accept()


class HoverFilter(QObject):
    """Reports the mouse entering or leaving a parameter's row (its ``param`` property)."""

    hovered = Signal(str)  # parameter name; "" when the mouse leaves

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Enter:
            self.hovered.emit(str(watched.property("param") or ""))
        elif event.type() == QEvent.Type.Leave:
            self.hovered.emit("")
        return False


class ParamsPanel(QScrollArea):
    """Every parameter as a control; emits intents, never changes the model itself.

    ``param_hovered(name)`` tells other views (the explain view) which parameter's row the
    mouse is over, and ``""`` when it leaves, so they can highlight that parameter.
    """

    param_hovered = Signal(str)

    param_changed = Signal(str, object)  # name, value
    param_reset = Signal(str)
    reset_all_requested = Signal()
    dragging_changed = Signal(bool)  # a slider is held down / released

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.controls: dict[str, QSlider | QComboBox] = {}
        self.value_labels: dict[str, QLabel] = {}
        self.name_labels: dict[str, QLabel] = {}
        inner = QWidget()
        outer = QVBoxLayout(inner)
        self.note = FittedNote(NOTES, lines=2)
        outer.addWidget(self.note)
        grid = QGridLayout()
        outer.addLayout(grid)
        for row, spec in enumerate(param_specs()):
            self._add_row(grid, row, spec)
        self.reset_all = QPushButton("Reset all parameters")
        self.reset_all.clicked.connect(self.reset_all_requested)
        outer.addWidget(self.reset_all)
        outer.addStretch(1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.set_params(Params())
        self.apply_theme()

    def _add_row(self, grid: QGridLayout, row: int, spec: ParamSpec) -> None:
        mark = " *" if spec.is_illustrative else ""
        name = QLabel(pretty_name(spec) + mark)
        name.setWordWrap(True)
        value = QLabel()
        control: QSlider | QComboBox
        if spec.is_choice:
            control = QComboBox()
            control.addItems(list(spec.choices))
            control.currentTextChanged.connect(
                lambda text, n=spec.name: self.param_changed.emit(n, text)
            )
        else:
            control = ResettableSlider(Qt.Orientation.Horizontal)
            control.setRange(0, STEPS)
            control.valueChanged.connect(lambda pos, s=spec: self._on_slider_moved(s, pos))
            control.sliderPressed.connect(lambda: self.dragging_changed.emit(True))
            control.sliderReleased.connect(lambda: self.dragging_changed.emit(False))
            control.double_clicked.connect(lambda n=spec.name: self.param_reset.emit(n))
        hover = self.findChild(HoverFilter)
        if hover is None:  # one filter for every row
            hover = HoverFilter(self)
            hover.hovered.connect(self.param_hovered)
        for widget in (name, value, control):
            widget.setToolTip(tooltip(spec))
            widget.setProperty("param", spec.name)
            widget.installEventFilter(hover)
        grid.addWidget(name, 2 * row, 0)
        grid.addWidget(value, 2 * row, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(control, 2 * row + 1, 0, 1, 2)
        self.controls[spec.name] = control
        self.value_labels[spec.name] = value
        self.name_labels[spec.name] = name

    def _on_slider_moved(self, spec: ParamSpec, position: int) -> None:
        value = slider_to_value(spec, position)
        self.value_labels[spec.name].setText(value_text(spec, value))
        self.param_changed.emit(spec.name, value)

    def focus_param(self, name: str) -> None:
        """Scroll to ``name``'s control and give it the keyboard focus."""
        control = self.controls.get(name)
        if control is None:
            return
        self.ensureWidgetVisible(self.name_labels[name])
        self.ensureWidgetVisible(control)
        control.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_params(self, params: Params) -> None:
        """Show ``params`` without emitting change intents."""
        for spec in param_specs():
            value = getattr(params, spec.name)
            control = self.controls[spec.name]
            control.blockSignals(True)
            if isinstance(control, QComboBox):
                control.setCurrentText(str(value))
            else:
                control.setValue(value_to_slider(spec, float(value)))
            control.blockSignals(False)
            self.value_labels[spec.name].setText(value_text(spec, value))

    def apply_theme(self) -> None:
        font = self.theme.font(0.85)
        for widget in (
            *self.name_labels.values(),
            *self.value_labels.values(),
            *self.controls.values(),
            self.note,
            self.reset_all,
        ):
            widget.setFont(font)
        self.note.setFont(self.theme.font(0.85, bold=True))
        # Never clip the rows: the panel is at least as wide as its widest row.
        inner = self.widget()
        if inner is not None:
            inner.layout().activate()  # so the size hint reflects the new fonts
            bar = self.verticalScrollBar().sizeHint().width()
            self.setMinimumWidth(inner.minimumSizeHint().width() + bar + 4)
