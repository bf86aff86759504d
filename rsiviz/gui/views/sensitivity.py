"""Sensitivity: which assumption moves the outcome most? A tornado chart.

Each parameter is swept over its range with the others at their current values
(:func:`rsiviz.core.sensitivity.compute_tornado`, in the background); one horizontal bar per
parameter spans the outcomes it produced, largest effect at the top. Clicking a bar
focuses that parameter's slider. Points where the outcome is never reached within the run
are drawn at the run's end with an arrow (year outcomes) or counted in the label.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.ensemble import METRICS
from rsiviz.core.params import SPEC_BY_NAME
from rsiviz.core.scenario import Scenario
from rsiviz.core.sensitivity import DEFAULT_LEVELS, Tornado, TornadoBar, compute_tornado
from rsiviz.gui.params_panel import pretty_name
from rsiviz.gui.theme import OKABE_ITO, Theme
from rsiviz.gui.views.fan_plots import style_axes
from rsiviz.gui.views.recompute import Recompute, Work

OUTCOMES: dict[str, str] = {
    "year_capability_reaches": "Year capability reaches LEVEL OOM",
    "peak_gap": "Peak gap over oversight (OOM)",
    "final_gap": "Gap at the end of the run (OOM)",
    "peak_progress_multiplier": "Peak progress multiplier (x)",
    "year_multiplier_reaches": "Year the progress multiplier reaches LEVELx",
    "final_capability": "Capability at the end (OOM above start)",
    "peak_overhang": "Largest overhang (OOM)",
    "min_doubling_time_months": "Shortest capability doubling time (months)",
}
assert set(OUTCOMES) == set(METRICS), "every sweep metric needs a label here"
BAR, LOW_END, HIGH_END = OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"], OKABE_ITO["blue"]
EXPLAIN = (
    "Bar: the outcomes over the parameter's sourced (or whole allowed) range, the others "
    "held. \u25cb low end, \u25a0 high end; dotted: current run. Click a bar for its slider."
)


def bar_label(bar: TornadoBar) -> str:
    """Row label: the parameter, its swept range, and how often the outcome never came."""
    spec = SPEC_BY_NAME[bar.name]
    text = f"{pretty_name(spec)} ({bar.values[0]:.3g}\u2013{bar.values[-1]:.3g})"
    never = int(bar.never.sum())
    if never == bar.values.size:
        return f"{text}: never reached"
    if bar.effect == 0.0:
        return f"{text}: no effect"
    if never:
        return f"{text}: {never} of {bar.values.size} never"
    return text


def unmoved(tornado: Tornado) -> str:
    """Sentences naming the parameters that get no row: no effect, or never reached."""
    out = ""
    for title, pick in (
        ("No effect in this scenario", lambda b: b.effect == 0 and not b.never.all()),
        ("Never reached at any value", lambda b: b.never.all()),
    ):
        names = [pretty_name(SPEC_BY_NAME[b.name]).lower() for b in tornado.bars if pick(b)]
        if names:
            out += f" {title}: {', '.join(names)}."
    return out


class TornadoPlot(pg.PlotWidget):
    """Horizontal bars, one row per parameter (row 0 at the top)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(background="w", enableMenu=False)
        self.theme = theme
        self.tornado: Tornado | None = None
        self.shown: tuple[TornadoBar, ...] = ()
        self.plotItem.disableAutoRange()  # ranges are set from each result
        self.plotItem.setMouseEnabled(x=False, y=False)
        self.plotItem.hideButtons()
        self.plotItem.showGrid(x=True, alpha=0.15)
        self.bars = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.6, brush=BAR)
        self.addItem(self.bars)
        self.low = pg.ScatterPlotItem(
            symbol="o", brush=pg.mkBrush("w"), pen=pg.mkPen(LOW_END, width=2)
        )
        self.high = pg.ScatterPlotItem(
            symbol="s", brush=pg.mkBrush(HIGH_END), pen=pg.mkPen(HIGH_END)
        )
        self.never = pg.ScatterPlotItem(
            symbol="t2", brush=pg.mkBrush("#555555"), pen=pg.mkPen(None)
        )
        for item in (self.low, self.high, self.never):
            item.setZValue(5)
            self.addItem(item)
        self.baseline = pg.InfiniteLine(angle=90, movable=False)
        self.addItem(self.baseline, ignoreBounds=True)
        self.apply_theme()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As tall as the rows need: in the view's scroll area, the text under the chart
        shows without scrolling whenever the dock has room for both."""
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def apply_theme(self) -> None:
        t = self.theme
        self.baseline.setPen(t.make_pen("#333333", Qt.PenStyle.DotLine, 0.6))
        size = 9 * t.scale
        for item in (self.low, self.high, self.never):
            item.setSize(size)
        style_axes(self.plotItem, t, 0.8)

    def show_tornado(self, tornado: Tornado, title: str) -> None:
        self.tornado = tornado
        # Rows for the parameters that move the outcome; the rest are named in the text.
        bars = self.shown = tuple(b for b in tornado.bars if b.effect > 0)
        # room for each row's label, within what a 720-pixel-high window can give a dock
        self.setMinimumHeight(round(min(60 + 18 * len(bars), 200) * self.theme.scale))
        ys = np.arange(len(bars), dtype=float)
        spans = [b.span or (tornado.baseline, tornado.baseline) for b in bars]
        x0 = np.array([s[0] for s in spans])
        x1 = np.array([s[1] for s in spans])
        width = np.where(x1 - x0 > 0, x1 - x0, 0.0)
        finite = np.concatenate([x0, x1, [tornado.baseline]])
        finite = finite[np.isfinite(finite)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        tick = max(hi - lo, 1e-6) * 0.004  # zero-width bars still show a hairline
        self.bars.setOpts(x0=x0, width=np.maximum(width, tick), y=ys, height=0.6)
        self.low.setData(*self._ends(bars, 0, ys))
        self.high.setData(*self._ends(bars, -1, ys))
        never_x = [b.censor for b in bars if b.censor is not None and b.never.any()]
        never_y = [
            y for b, y in zip(bars, ys, strict=True) if b.censor is not None and b.never.any()
        ]
        self.never.setData(never_x, never_y)
        self.baseline.setVisible(math.isfinite(tornado.baseline))
        if math.isfinite(tornado.baseline):
            self.baseline.setValue(tornado.baseline)
        axis = self.plotItem.getAxis("left")
        axis.setTicks([[(float(y), bar_label(b)) for y, b in zip(ys, bars, strict=True)]])
        self.plotItem.invertY(True)
        self.setYRange(-0.6, len(bars) - 0.4, padding=0)
        self.setXRange(lo, hi + 1e-6, padding=0.04)
        self.plotItem.setLabel("bottom", title)

    @staticmethod
    def _ends(
        bars: tuple[TornadoBar, ...], index: int, ys: np.ndarray
    ) -> tuple[list[float], list[float]]:
        xs, yy = [], []
        for bar, y in zip(bars, ys, strict=True):
            value = bar.outcomes[index]
            if math.isfinite(value):
                xs.append(float(value))
                yy.append(float(y))
        return xs, yy

    def row_at(self, scene_pos: Any) -> str | None:
        """The parameter of the bar row under a scene position, or None."""
        if self.tornado is None or not self.plotItem.sceneBoundingRect().contains(scene_pos):
            return None
        y = self.plotItem.vb.mapSceneToView(scene_pos).y()
        row = round(y)
        if 0 <= row < len(self.shown) and abs(y - row) <= 0.45:
            return self.shown[row].name
        return None


class SensitivityView(QWidget):
    """A tornado chart of a chosen outcome; click a bar to focus its slider."""

    KEY = "sensitivity"
    OFFLOADED = True  # its work runs in a child process (Jobs.compute)
    TITLE = "Sensitivity"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outcome = QComboBox()
        for key, text in OUTCOMES.items():
            self.outcome.addItem(text.replace("LEVEL", "X"), key)
        self.level = QDoubleSpinBox(decimals=1, minimum=0.1, maximum=1e4)
        self.level.setKeyboardTracking(False)
        self.level_label = QLabel("X =")
        self.plot = TornadoPlot(ctx.theme)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.explain = QLabel(EXPLAIN)
        self.explain.setWordWrap(True)
        self.job = Recompute(self)  # hidden: no CPU spent; recomputes when shown
        row = QHBoxLayout()
        row.addWidget(QLabel("Outcome:"))
        row.addWidget(self.outcome, 1)
        row.addWidget(self.level_label)
        row.addWidget(self.level)
        row.addWidget(self.job.bar)
        # The chart and its text scroll together: in a low dock (1024x768, 1280x720) the
        # text wrapped under the chart does not fit, and squeezed it was drawn over the axis.
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.plot, 1)
        inner.addWidget(self.status)
        inner.addWidget(self.explain)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addLayout(row)
        col.addWidget(self.scroll, 1)
        self.outcome.currentIndexChanged.connect(self._on_outcome_changed)
        self.level.valueChanged.connect(self._on_level_changed)
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self._on_outcome_changed(0)
        self.apply_theme()

    def apply_theme(self) -> None:
        self.setFont(self.ctx.theme.font(0.85))  # not the dock title's bold
        self.explain.setFont(self.ctx.theme.font(0.75))
        self.plot.apply_theme()

    @property
    def metric(self) -> str:
        return str(self.outcome.currentData())

    def make_work(self, scenario: Scenario) -> Work:
        metric, level, jobs = self.metric, self.level.value(), self.ctx.jobs

        def run(progress: Any) -> Tornado:
            return jobs.compute(compute_tornado, (scenario, metric, level), progress)

        return run

    def _on_outcome_changed(self, _: int) -> None:
        needs = self.metric in DEFAULT_LEVELS
        self.level.blockSignals(True)
        self.level.setValue(DEFAULT_LEVELS.get(self.metric, 1.0))
        self.level.setSuffix(" OOM" if self.metric == "year_capability_reaches" else "x")
        self.level.blockSignals(False)
        self.level.setVisible(needs)
        self.level_label.setVisible(needs)
        self.job.request(force=True)

    def _on_level_changed(self, _: float) -> None:
        self.job.request(force=True)

    def show_result(self, tornado: Tornado) -> None:
        text = OUTCOMES[tornado.metric].replace("LEVEL", f"{tornado.level:g}")
        self.plot.show_tornado(tornado, text)
        base = "never within the run" if math.isnan(tornado.baseline) else f"{tornado.baseline:.5g}"
        never = (
            " \u25bc at the right edge: never reached by the end of the run (the bar is a lower bound)."
            if any(b.is_lower_bound for b in tornado.bars)
            else ""
        )
        self.status.setText(
            f"Current run: {base}. {tornado.members} runs in one batch.{never}{unmoved(tornado)}"
        )

    def _on_plot_clicked(self, event: Any) -> None:
        name = self.plot.row_at(event.scenePos())
        if name is not None:
            self.ctx.focus_param(name)
