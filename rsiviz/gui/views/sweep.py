"""Sweep map view: an outcome over two parameters, computed in the background.

Choose the outcome (and its level where it needs one), the x and y parameters, their
ranges and grid sizes. The map is :func:`rsiviz.core.sweepmap.sweep_map` of the live
scenario, so a cell's value equals ``rsiviz sweep`` at the same grid. Clicking a cell
loads its two values into the live run (one undoable edit).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.atomic import atomic_save, atomic_write_text
from rsiviz.core.ensemble import METRICS, grid_values
from rsiviz.core.params import ParameterError, param_specs
from rsiviz.core.regime import REGIME_NAMES
from rsiviz.core.sweepmap import (
    LEVEL_UNITS,
    NOT_A_FORECAST,
    SweepMap,
    needs_level,
    sweep_map,
    sweep_map_csv,
)
from rsiviz.gui.views.sweep_plot import Legend, SweepPlot

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
        # Rows, so the controls fit a narrow column: the parameter, its range, N (one row
        # of three boxes cut "100.00 x", and N beside the parameter cut its name).
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(label), 0, 0)
        grid.addWidget(self.param, 0, 1, 1, 3)
        for col, (text, w) in enumerate((("from", self.low), ("to", self.high))):
            grid.addWidget(QLabel(text), 1, 2 * col)
            grid.addWidget(w, 1, 2 * col + 1)
        grid.addWidget(QLabel("N"), 2, 0)
        grid.addWidget(self.n, 2, 1, Qt.AlignmentFlag.AlignLeft)
        for w in (self.low, self.high, self.n, self.param):
            w.setMinimumWidth(40)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
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


class ControlColumn(QScrollArea):
    """The controls' column, as wide as it may be (its maximum): QScrollArea's own size
    hint is its widget's first one, taken before the view's font is set, and was narrower
    than the controls (the parameter boxes cut their text)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.maximumWidth(), super().sizeHint().height())


class SweepView(QWidget):
    """A heat map of an outcome over two parameters of the live scenario."""

    KEY = "sweep"
    TITLE = "Sweep map"

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.result: SweepMap | None = None
        self.plot = SweepPlot(ctx.theme)
        self.legend = Legend(ctx.theme)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot.title_changed.connect(self.title.setText)
        self._build_controls()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recompute)
        self._wire()
        self.apply_theme()
        self.schedule()
        self.recompute()  # now, so that a screenshot or test waiting for the jobs sees it

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
        self.readout = QLabel("Hover over a cell to read it; click it to load it into the run.")
        self.png_button = QPushButton("PNG...")
        self.png_button.setToolTip("Export the map as a picture")
        self.csv_button = QPushButton("CSV...")
        self.csv_button.setToolTip("Export the map's values (x, y, value, regime) as CSV")
        # Controls in a column left of the map: the view sits in a wide, low bottom dock.
        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        outcome = QGridLayout()
        outcome.addWidget(QLabel("Outcome"), 0, 0)
        outcome.addWidget(self.metric_box, 0, 1)
        outcome.addWidget(QLabel("level"), 1, 0)
        outcome.addWidget(self.level_box, 1, 1)
        col.addLayout(outcome)
        col.addWidget(self.x_axis)
        col.addWidget(self.y_axis)
        col.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.png_button)
        buttons.addWidget(self.csv_button)
        col.addLayout(buttons)
        col.addWidget(self.readout)
        col.addWidget(self.status)
        col.addStretch(1)
        scroll = ControlColumn()  # the column scrolls rather than forcing a tall dock
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(210)
        scroll.setMaximumWidth(340)
        self.metric_box.setMinimumWidth(60)
        for label in (self.readout, self.status):
            label.setWordWrap(True)
        # A map under ~150 px shows few cells and cuts its axis titles; docked under the main
        # plots of a short window, the dock keeps the map this tall (see Docks._bottom_height)
        self.plot.setMinimumSize(200, 160)
        # The title, map and legend: what "Export PNG" saves.
        self.map_box = QWidget()
        box = QVBoxLayout(self.map_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.plot, 1)
        box.addWidget(self.legend)
        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.map_box, 1)

    def _wire(self) -> None:
        self.metric_box.currentIndexChanged.connect(self.schedule)
        self.level_box.valueChanged.connect(self.schedule)
        self.plot.cell_clicked.connect(self._on_plot_cell_clicked)
        self.plot.cell_hovered.connect(self._on_plot_cell_hovered)
        self.png_button.clicked.connect(self._on_png_button_clicked)
        self.csv_button.clicked.connect(self._on_csv_button_clicked)
        jobs = self.ctx.jobs
        jobs.progress.connect(self._on_jobs_progress)
        # Re-compute when an edit is finished (not while a slider is dragged).
        self.ctx.controller.settled.connect(self._on_controller_settled)

    def apply_theme(self) -> None:
        font = self.ctx.theme.font(0.9)
        for w in self.findChildren(QWidget):
            w.setFont(font)
        self.plot.apply_theme()
        self.legend.apply_theme()
        self.legend.setFont(self.ctx.theme.font(0.75))
        for label in self.legend.findChildren(QLabel):
            label.setFont(self.ctx.theme.font(0.75))
        self.title.setFont(self.ctx.theme.font(0.95, bold=True))

    # -- computing ------------------------------------------------------------------------
    def schedule(self) -> None:
        """Re-compute once the controls settle."""
        metric = str(self.metric_box.currentData())
        self.level_box.setEnabled(needs_level(metric))
        self.level_box.setSuffix(f" {LEVEL_UNITS[metric]}" if needs_level(metric) else "")
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
        jobs = self.ctx.jobs
        self.progress.setRange(0, x[1].size * y[1].size)
        self.progress.setValue(0)
        self.status.setText(f"Computing {x[1].size} x {y[1].size} runs...")

        def work(progress: Any) -> SweepMap:
            return jobs.compute(sweep_map, (scenario, x, y, metric, level), progress)

        jobs.submit(JOB_KEY, work, self._on_job_done, self._on_job_failed, gated=False)

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

    def _on_controller_settled(self, _scenario: object) -> None:
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
        text = f"{value:.4g}" if value == value else "never reached"  # NaN != NaN
        regime = REGIME_NAMES[int(r.regime[j, i])]
        self.readout.setText(
            f"{r.x_name} = {r.xs[i]:.4g}\n{r.y_name} = {r.ys[j]:.4g}\n{r.metric} = {text} "
            f"({regime})"
        )

    # -- export ---------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        pixmap = self.map_box.grab()
        try:
            atomic_save(path, lambda tmp: pixmap.save(str(tmp)), OSError, "the picture")
        except OSError as exc:
            self.ctx.show_message("error", f"Could not write {path}: {exc}")
            return False
        return True

    def export_csv(self, path: str) -> bool:
        if self.result is None:
            self.ctx.show_message("error", "There is no sweep map to export yet")
            return False
        text = sweep_map_csv(self.result, self.ctx.controller.current_scenario().name)
        try:  # atomic: a failed export leaves an existing file as it was
            atomic_write_text(path, text)
        except OSError as exc:
            self.ctx.show_message("error", f"Could not write {path}: {exc.strerror or exc}")
            return False
        return True

    def _ask_and_export(self, default: str, kind: str, export: Any) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the sweep map", default, kind)
        if path:
            export(path)

    def _on_png_button_clicked(self) -> None:
        self._ask_and_export("sweep.png", "PNG (*.png)", self.export_png)

    def _on_csv_button_clicked(self) -> None:
        self._ask_and_export("sweep.csv", "CSV (*.csv)", self.export_csv)
