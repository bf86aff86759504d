"""Replication: the Forethought paper's figures beside the model's, and AI 2027's milestones.

The model is configured like Davidson and Houlden (2025) and run as a Monte Carlo in the
background (``ctx.jobs``, with progress); each figure of the paper's results table is shown
beside the model's with its source and a pass/fail mark (within 5 points), above a
histogram of the years of progress in the best 12-month window. Below, AI 2027's
progress-multiplier milestones: when the live run and the illustrative preset
``ai2027_milestones`` reach them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.history import History
from rsiviz.core.literature import (
    AI2027_CITATION,
    AI2027_MILESTONES,
    FORETHOUGHT_CITATION,
    ForethoughtResult,
    forethought_rows,
    milestone_years,
    replicate_forethought,
)
from rsiviz.core.params import Params
from rsiviz.core.scenario import ScenarioError, load_preset
from rsiviz.gui.theme import OKABE_ITO

JOB_KEY = "replication"
AI2027_PRESET = "ai2027_milestones"
DEFAULT_DRAWS = 5000
BIN_YEARS = 0.5  # histogram bins of half a year of progress, up to HIST_MAX (last bin: more)
HIST_MAX = 20.0
MIN_HEIGHT_PX = 300  # the text's least height beside the histogram (a short bottom dock)
STACKED_MIN_PX = 100  # ... and above it: both fit a dock under a 1280x720 window's plots
HIST_MIN_PX = 160  # the histogram's least height (beside the text; 140 under it)
WIDE_PX = 900  # narrower than this (at UI scale 1): the histogram goes below the table
NOT_REPRODUCED = (
    "Not reproduced here: the paper's model variants (retraining from scratch; a gradual "
    "boost from pre-ASARA systems), which this model's set-up does not have."
)
METHOD = (
    "Set-up as in the paper: no compute growth, AI research fully automated from the start, "
    "initial pace 4 software doublings a year times f, 48 months; f, r, p drawn log-uniform "
    "(2-32, 0.4-3.6, 0.15-0.6), distance to limits uniform 6-16 years. One year of progress "
    "= 8 software doublings. Paper: its results table (the summary rounds these to ~60%, "
    "~20%, ~40%, ~10%). Pass: within 5 percentage points."
)
SHORT_SOURCE = "Davidson and Houlden (2025), Results table"


class ReplicationView(QWidget):
    """Paper vs model with sources and pass marks, the distribution, the milestones."""

    KEY = "replication"
    TITLE = "Replication: Forethought and AI 2027"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: ForethoughtResult | None = None
        self._preset_changes = ""
        self._live: tuple[int, int] | None = None
        self.heading = QLabel(f"<b>{FORETHOUGHT_CITATION}</b>")
        self.method = QLabel(METHOD)
        self.draws = QSpinBox()
        self.draws.setRange(500, 200_000)
        self.draws.setSingleStep(1000)
        self.draws.setValue(DEFAULT_DRAWS)
        self.draws.setPrefix("draws ")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        self.run_button = QPushButton("Run again")
        self.run_button.clicked.connect(self.start)
        self.bar = QProgressBar()
        self.status = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Figure", "Paper", "Model", "Result", "Source"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.missing = QLabel(NOT_REPRODUCED)
        self.hist = pg.PlotWidget(enableMenu=False)
        self.hist.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=BIN_YEARS * 0.9)
        self.hist.addItem(self.bars)
        self.marks = [
            pg.InfiniteLine(
                pos=v,
                angle=90,
                movable=False,
                label=f"{v:g} years",
                labelOpts={"position": height, "color": "#333333"},
            )
            for v, height in ((3.0, 0.92), (10.0, 0.8))
        ]
        for line in self.marks:
            self.hist.addItem(line)
        self.milestones = QLabel()
        self.load_preset = QPushButton("Load the AI 2027 milestones preset (illustrative)")
        self.load_preset.clicked.connect(self._on_load_preset_clicked)
        self._preset_years = self._preset_milestones()
        self._build_layout()
        ctx.jobs.progress.connect(self._on_jobs_progress)
        ctx.view_state.events.frame.connect(self._on_frame)
        self.apply_theme()
        self._show_milestones(None)
        self.start()

    def _build_layout(self) -> None:
        """Everything in a scroll area, so a narrow or short dock never cuts text off."""
        controls = QHBoxLayout()
        for widget in (self.draws, self.seed, self.run_button):
            controls.addWidget(widget)
        controls.addWidget(self.bar, 1)
        inner = QWidget()
        left = QVBoxLayout()
        for widget in (self.heading, self.method, self.missing, self.milestones):
            widget.setWordWrap(True)
        left.addWidget(self.heading)
        left.addLayout(controls)
        for widget in (self.status, self.table, self.milestones, self.load_preset):
            left.addWidget(widget)
        for widget in (self.method, self.missing):  # how, below what
            left.addWidget(widget)
        left.addStretch(1)
        inner.setLayout(left)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the histogram beside the text when wide, below it when narrow (resizeEvent); it
        # stays outside the scroll area so that it always fills the dock's height
        # stacked until the first resizeEvent: a dock is first sized to the least height of
        # the view as made (side by side asks for more, and a new dock kept it)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 4, 4)
        self.box.addWidget(scroll, 3)
        self.box.addWidget(self.hist, 2)
        self.scroll = scroll

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_PX * self.ctx.theme.scale
        self.box.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self._fit_scroll(wide)

    def _fit_scroll(self, wide: bool) -> None:
        """The text scrolls; stacked above the histogram it asks for less height, or the
        dock's least height (text and histogram) took the main plots' room (15 px high at
        1280x720)."""
        scale = self.ctx.theme.scale
        self.scroll.setMinimumHeight(round((MIN_HEIGHT_PX if wide else STACKED_MIN_PX) * scale))
        self.hist.setMinimumHeight(round((HIST_MIN_PX if wide else HIST_MIN_PX - 20) * scale))

    # -- the Monte Carlo ----------------------------------------------------------------------
    def start(self) -> None:
        """Run the replication in the background (a newer request replaces a running one)."""
        draws, seed = self.draws.value(), self.seed.value()
        self.bar.setValue(0)
        self.status.setText(f"Running {draws:,} draws in the background...")
        self.ctx.jobs.submit(
            JOB_KEY,
            lambda progress: replicate_forethought(draws, seed, progress.report),
            self._on_job_done,
            self._on_job_error,
        )

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key == JOB_KEY and total > 0:
            self.bar.setMaximum(total)
            self.bar.setValue(done)

    def _on_job_error(self, message: str) -> None:
        self.status.setText(f"The replication failed: {message}")
        self.ctx.show_message("error", f"Replication failed: {message}")

    def _on_job_done(self, result: ForethoughtResult) -> None:
        self.result = result
        self.bar.setValue(self.bar.maximum())
        rows = forethought_rows(result)
        passed = sum(row.passed for row in rows)
        self.status.setText(
            f"{result.draws:,} draws, seed {result.seed}: {passed} of {len(rows)} figures "
            "within 5 points of the paper."
        )
        self._fill_table(result)
        self._fill_histogram(result.years_of_progress)

    def _fill_table(self, result: ForethoughtResult) -> None:
        rows = forethought_rows(result)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            mark = "\u2713 pass" if row.passed else "\u2717 fail"
            cells = (row.label, f"{row.paper:.0%}", f"{row.model:.1%}", mark, SHORT_SOURCE)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(row.source if j == 4 else text)
                self.table.setItem(i, j, item)
            colour = OKABE_ITO["green"] if row.passed else OKABE_ITO["vermillion"]
            self.table.item(i, 3).setForeground(pg.mkColor(colour))
        self._fit_table()

    def _fill_histogram(self, years: np.ndarray) -> None:
        edges = np.arange(0.0, HIST_MAX + BIN_YEARS, BIN_YEARS)
        counts, _ = np.histogram(np.minimum(years, HIST_MAX - 1e-9), bins=edges)
        share = 100.0 * counts / max(1, years.size)
        self.bars.setOpts(x=edges[:-1] + BIN_YEARS / 2, height=share, width=BIN_YEARS * 0.9)
        self.hist.setXRange(0, HIST_MAX, padding=0.01)
        self.hist.setYRange(0, float(share.max()) * 1.1 if share.size else 1.0, padding=0)

    # -- AI 2027 milestones ---------------------------------------------------------------------
    def _preset_milestones(self) -> dict[float, float | None]:
        try:
            preset = load_preset(AI2027_PRESET)
        except ScenarioError as exc:
            self.ctx.show_message("error", str(exc))
            return {}
        defaults = Params().to_dict()
        self._preset_changes = ", ".join(
            f"{name} {value:g}"
            for name, value in preset.params.to_dict().items()
            if value != defaults[name] and isinstance(value, float)
        )
        hist = preset.simulation().run()
        return {level: year for level, _name, year in milestone_years(hist)}

    def _on_frame(self, snapshot: Any) -> None:
        key = (id(snapshot.history), snapshot.live_month)
        if key != self._live:  # only when the live run has new months
            self._live = key
            self._show_milestones(snapshot.history)

    def _show_milestones(self, history: History | None) -> None:
        live = {} if history is None else {lv: y for lv, _n, y in milestone_years(history)}
        rows = []
        for level, name in AI2027_MILESTONES:
            here = _year(live.get(level)) if history is not None else "-"
            rows.append(
                f"<tr><td>{level:g}x</td><td>{name}</td><td>{here}</td>"
                f"<td>{_year(self._preset_years.get(level))}</td></tr>"
            )
        text = (
            f"<b>AI 2027 milestones</b> ({AI2027_CITATION}): AI R&amp;D progress multiplier. "
            "The lower plot draws them as reference lines (progress multiplier).<br>"
            '<table cellpadding="3"><tr><th>multiplier</th><th>milestone</th>'
            "<th>this run so far</th><th>AI 2027 preset</th></tr>"
            + "".join(rows)
            + f"</table>The preset is illustrative: it sets {self._preset_changes} (each "
            "inside Forethought's ranges); the rest are the defaults."
        )
        if text != self.milestones.text():  # the live run changes every month while playing
            self.milestones.setText(text)

    def _on_load_preset_clicked(self) -> None:
        try:
            self.ctx.controller.load(load_preset(AI2027_PRESET))
        except ScenarioError as exc:
            self.ctx.show_message("error", str(exc))

    # -- look -------------------------------------------------------------------------------------
    def _fit_table(self) -> None:
        header = self.table.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        row_height = self.table.fontMetrics().height() + 8
        for r in range(self.table.rowCount()):
            self.table.setRowHeight(r, row_height)
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height)

    def apply_theme(self) -> None:
        t = self.ctx.theme
        for widget in (
            self.heading,
            self.method,
            self.draws,
            self.seed,
            self.run_button,
            self.status,
            self.table,
            self.missing,
            self.milestones,
            self.load_preset,
        ):
            widget.setFont(t.font(0.8))
        self.table.horizontalHeader().setFont(t.font(0.8, bold=True))
        self.hist.setBackground("w")
        self.bars.setOpts(brush=pg.mkBrush(OKABE_ITO["blue"]), pen=pg.mkPen(None))
        for line in self.marks:
            line.setPen(t.pen("milestone", 0.8))
            line.label.setFont(t.font(0.75))
        self.hist.setLabel("bottom", "years of progress in the best 12-month window", color="#111")
        self.hist.setLabel("left", "% of draws", color="#111")
        for name in ("left", "bottom"):
            self.hist.getAxis(name).setTickFont(t.font(0.75))
        self._fit_table()
        # a short bottom dock still shows the table and the top of the histogram
        self._fit_scroll(self.box.direction() == QBoxLayout.Direction.LeftToRight)


def _year(year: float | None) -> str:
    return "not reached" if year is None else f"{year:.2f}"
