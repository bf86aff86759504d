"""Sweep map view: an outcome over two parameters, computed in the background.

Choose the outcome (and its level where it needs one), the x and y parameters, their
ranges and grid sizes. The map is :func:`rsiviz.core.sweepmap.sweep_map` of the live
scenario, so a cell's value equals ``rsiviz sweep`` at the same grid. Clicking a cell
loads its two values into the live run (one undoable edit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.ensemble import METRICS, grid_values
from rsiviz.core.params import ParameterError, param_specs
from rsiviz.core.regime import REGIME_NAMES
from rsiviz.core.sweepmap import NOT_A_FORECAST, SweepMap, needs_level, sweep_map, sweep_map_csv
from rsiviz.gui.views.sweep_plot import SweepPlot

JOB_KEY = "sweep"
DEFAULT_X, DEFAULT_Y = "software_returns", "full_automation_speedup"
DEFAULT_METRIC = "peak_progress_multiplier"
DEFAULT_N = 50
DEBOUNCE_MS = 250  # a slider drag or typing re-computes once it settles
NUMERIC = tuple(s for s in param_specs() if not s.is_choice)


class AxisChooser(QWidget):
    """Parameter, low, high and N for one axis of the map."""

    def __init__(self, label: str, name: str, on_change: Any) -> None:
        super().__init__()
        self.param = QComboBox()
        for spec in NUMERIC:
            self.param.addItem(spec.name, spec.name)
            self.param.setItemData(
                self.param.count() - 1, spec.explanation, Qt.ItemDataRole.ToolTipRole
            )
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        self.n = QSpinBox()
        self.n.setRange(2, 200)
        self.n.setValue(DEFAULT_N)
        self.n.setToolTip("Grid points along this axis")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(label))
        row.addWidget(self.param, 2)
        for text, w in (("from", self.low), ("to", self.high), ("N", self.n)):
            row.addWidget(QLabel(text))
            row.addWidget(w, 1)
        self.param.currentIndexChanged.connect(self._on_param_changed)
        self.set_param(name)
        for w in (self.low, self.high, self.n):
            w.valueChanged.connect(on_change)
        self.param.currentIndexChanged.connect(on_change)

    @property
    def name(self) -> str:
        return str(self.param.currentData())

    def set_param(self, name: str) -> None:
        self.param.setCurrentIndex(self.param.findData(name))
        self._on_param_changed()

    def _on_param_changed(self) -> None:
        spec = next(s for s in NUMERIC if s.name == self.name)
        assert spec.low is not None and spec.high is not None
        decimals = 4 if spec.high - spec.low < 10 else 2
        for box, value in ((self.low, spec.low), (self.high, spec.high)):
            box.blockSignals(True)
            box.setDecimals(decimals)
            box.setRange(spec.low, spec.high)
            box.setValue(value)
            box.setSuffix(f" {spec.unit}" if spec.unit else "")
            box.blockSignals(False)

    def grid(self) -> tuple[str, Any]:
        """(name, values); raises ParameterError naming the axis when the range is empty."""
        if self.high.value() <= self.low.value():
            raise ParameterError(f"{self.name}: 'to' must be above 'from'")
        return self.name, grid_values(
            self.name, self.low.value(), self.high.value(), self.n.value()
        )


class SweepView(QWidget):
    """A heat map of an outcome over two parameters of the live scenario."""

    KEY = "sweep"
    TITLE = "Sweep map"

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.result: SweepMap | None = None
        self.plot = SweepPlot(ctx.theme)
        self._build_controls()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recompute)
        self._wire()
        self.apply_theme()
        self.schedule()

    # -- layout -------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.metric_box = QComboBox()
        for name, (text, _) in METRICS.items():
            self.metric_box.addItem(name, name)
            self.metric_box.setItemData(
                self.metric_box.count() - 1, text, Qt.ItemDataRole.ToolTipRole
            )
        self.metric_box.setCurrentIndex(self.metric_box.findData(DEFAULT_METRIC))
        self.level_box = QDoubleSpinBox()
        self.level_box.setRange(-100.0, 1e6)
        self.level_box.setValue(10.0)
        self.level_box.setToolTip("The level the year_*_reaches outcomes wait for")
        self.x_axis = AxisChooser("x", DEFAULT_X, self.schedule)
        self.y_axis = AxisChooser("y", DEFAULT_Y, self.schedule)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.readout = QLabel("Hover over the map to read a cell; click it to load it.")
        self.png_button = QPushButton("Export PNG...")
        self.csv_button = QPushButton("Export CSV...")
        top = QGridLayout()
        top.addWidget(QLabel("Outcome"), 0, 0)
        top.addWidget(self.metric_box, 0, 1)
        top.addWidget(QLabel("level"), 0, 2)
        top.addWidget(self.level_box, 0, 3)
        top.addWidget(self.progress, 0, 4)
        top.addWidget(self.png_button, 0, 5)
        top.addWidget(self.csv_button, 0, 6)
        top.addWidget(self.x_axis, 1, 0, 1, 7)
        top.addWidget(self.y_axis, 2, 0, 1, 7)
        top.setColumnStretch(1, 2)
        top.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.status)

    def _wire(self) -> None:
        self.metric_box.currentIndexChanged.connect(self.schedule)
        self.level_box.valueChanged.connect(self.schedule)
        self.plot.cell_clicked.connect(self._on_plot_cell_clicked)
        self.plot.cell_hovered.connect(self._on_plot_cell_hovered)
        self.png_button.clicked.connect(self._on_png_button_clicked)
        self.csv_button.clicked.connect(self._on_csv_button_clicked)
        jobs = self.ctx.jobs
        jobs.progress.connect(self._on_jobs_progress)
        controller = self.ctx.controller
        for signal in ("params_changed", "scenario_changed"):
            if hasattr(controller, signal):
                getattr(controller, signal).connect(self._on_controller_changed)

    def apply_theme(self) -> None:
        font = self.ctx.theme.font(0.9)
        for w in self.findChildren(QWidget):
            if w is not self.plot and not isinstance(w, type(self.plot)):
                w.setFont(font)
        self.plot.apply_theme()

    # -- computing ------------------------------------------------------------------------
    def schedule(self) -> None:
        """Re-compute once the controls settle."""
        self.level_box.setEnabled(needs_level(self.metric_box.currentData()))
        self._timer.start()

    def recompute(self) -> None:
        """Submit the sweep of the live scenario to the background jobs (latest wins)."""
        self._timer.stop()
        try:
            x, y = self.x_axis.grid(), self.y_axis.grid()
            if x[0] == y[0]:
                raise ParameterError("choose two different parameters for x and y")
        except ParameterError as exc:
            self.status.setText(f"Sweep map not computed: {exc}")
            return
        scenario = self.ctx.controller.current_scenario()
        metric, level = str(self.metric_box.currentData()), float(self.level_box.value())
        self.progress.setRange(0, x[1].size * y[1].size)
        self.progress.setValue(0)
        self.status.setText(f"Computing {x[1].size} x {y[1].size} runs...")

        def work(progress: Any) -> SweepMap:
            return sweep_map(scenario, x, y, metric, level, progress=progress.report)

        self.ctx.jobs.submit(JOB_KEY, work, self._on_job_done, self._on_job_failed)

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key == JOB_KEY:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_job_done(self, result: SweepMap) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.plot.show_map(result)
        self._mark_current()
        never = int((result.values != result.values).sum())
        note = f" {never} cells never reach the level." if never else ""
        self.status.setText(f"Each cell is one run; values are {NOT_A_FORECAST}.{note}")

    def _on_job_failed(self, message: str) -> None:
        self.status.setText(f"Sweep map not computed: {message}")

    def _on_controller_changed(self, *_: object) -> None:
        self._mark_current()
        self.schedule()

    def _mark_current(self) -> None:
        params = self.ctx.controller.current_scenario().params
        x, y = self.x_axis.name, self.y_axis.name
        self.plot.mark(x, float(getattr(params, x)), y, float(getattr(params, y)))

    # -- cells ----------------------------------------------------------------------------
    def _on_plot_cell_clicked(self, i: int, j: int) -> None:
        r = self.result
        if r is None:
            return
        # Both values in one event-loop turn: the controller applies them as one undo step
        # (sealed first, so two quick clicks are two steps, not one slider drag).
        self.ctx.controller.seal_undo()
        self.ctx.controller.set_param(r.x_name, float(r.xs[i]))
        self.ctx.controller.set_param(r.y_name, float(r.ys[j]))
        self.ctx.show_message(
            "info", f"Loaded {r.x_name} = {r.xs[i]:.4g}, {r.y_name} = {r.ys[j]:.4g}"
        )

    def _on_plot_cell_hovered(self, i: int, j: int) -> None:
        r = self.result
        if r is None or i < 0:
            return
        value = float(r.values[j, i])
        text = f"{value:.4g}" if value == value else "never reached"
        regime = REGIME_NAMES[int(r.regime[j, i])]
        self.readout.setText(
            f"{r.x_name} = {r.xs[i]:.4g}, {r.y_name} = {r.ys[j]:.4g}: {r.metric} = {text} "
            f"({regime}). Click to load this point."
        )

    # -- export ---------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        ok = self.plot.grab().save(path)
        if not ok:
            self.ctx.show_message("error", f"Could not write the picture {path}")
        return bool(ok)

    def export_csv(self, path: str) -> bool:
        if self.result is None:
            self.ctx.show_message("error", "There is no sweep map to export yet")
            return False
        name = self.ctx.controller.current_scenario().name
        try:
            Path(path).write_text(sweep_map_csv(self.result, name), encoding="utf-8")
        except OSError as exc:
            self.ctx.show_message("error", f"Could not write {path}: {exc.strerror or exc}")
            return False
        return True

    def _on_png_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the sweep map", "sweep.png", "PNG (*.png)"
        )
        if path:
            self.export_png(path)

    def _on_csv_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the sweep map", "sweep.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(path)
