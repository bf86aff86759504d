"""The uncertainty fan: how sure can anyone be, given these assumptions?

An ensemble (default 1,000 runs, seeded) over the parameters chosen as uncertain, run in
the background with and without the scenario's development pauses, drawn as median, 50%
and 90% bands of capability (top) and of the gap or the progress multiplier (bottom), with
the live run on top. The bands are also published to the view state, so the main plots
can show them. Conditional on these assumptions; not a forecast.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.fan import (
    DEFAULT_MEMBERS,
    MAX_MEMBERS,
    QUANTITIES,
    VARIANT_LABELS,
    WITH_PAUSE,
    WITHOUT_PAUSE,
    Fan,
    compute_fan,
)
from rsiviz.core.params import SPEC_BY_NAME
from rsiviz.core.scenario import Scenario
from rsiviz.core.viewstate import Band
from rsiviz.gui.params_panel import pretty_name
from rsiviz.gui.plot_items import UnitAxis, YearAxis, make_curve
from rsiviz.gui.theme import OKABE_ITO, Theme
from rsiviz.gui.units import multiplier_to_axis
from rsiviz.gui.views.fan_controls import Readouts, UncertaintyTable
from rsiviz.gui.views.recompute import Recompute, Work

# With the development pause: blue (the live run's colour); without: orange.
COLOURS = {WITH_PAUSE: OKABE_ITO["blue"], WITHOUT_PAUSE: OKABE_ITO["orange"]}
ALPHA_90, ALPHA_50 = 45, 90
CACHE_SIZE = 4  # fans kept for settings toggled back (undo, P then undo, A/B)
LOWER = {"gap": "Gap over oversight", "progress_multiplier": "Progress multiplier"}
AXIS_TITLES = {"capability": "Capability", "gap": "Gap", "progress_multiplier": "Multiplier"}
NOT_A_FORECAST = "Conditional on these assumptions (model and ranges), not a forecast."


def band_key(variant: str, quantity: str) -> str:
    """The view-state key of one published band, e.g. ``fan:with_development_pause:gap``."""
    return f"fan:{variant}:{quantity}"


def style_axes(plot: pg.PlotItem, theme: Theme, relative: float = 0.85) -> None:
    """Dark tick text and axis lines at the theme's size (pyqtgraph's grey fades on a
    projector)."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(theme.font(relative))
        axis.setPen(pg.mkPen("#222", width=max(1.0, theme.line_width(0.4))))
        axis.setTextPen("#111")


def axis_values(quantity: str, values: np.ndarray) -> np.ndarray:
    """Plot coordinates: the progress multiplier on a log10 axis, levels as they are."""
    return multiplier_to_axis(values) if quantity == "progress_multiplier" else values


class _FanItems:
    """The plot items of one variant on one plot: its 90% and 50% bands and the median.

    The variant with the development pause is drawn as filled bands; the one without as
    outlines (dotted: 90%, dashed: 50%), so the two never blend into a third colour.
    """

    def __init__(self, plot: pg.PlotItem, colour: str, filled: bool) -> None:
        self.edges = [make_curve(plot) for _ in range(4)]  # 5, 95, 25, 75
        self.colour, self.filled = colour, filled
        self.fills = []
        if filled:
            base = QColor(colour)
            for (lo, hi), alpha in (((0, 1), ALPHA_90), ((2, 3), ALPHA_50)):
                base.setAlpha(alpha)
                fill = pg.FillBetweenItem(self.edges[lo], self.edges[hi], brush=pg.mkBrush(base))
                fill.setZValue(-5)
                plot.addItem(fill)
                self.fills.append(fill)
        self.median = make_curve(plot)

    def apply_theme(self, theme: Theme) -> None:
        self.median.setPen(theme.make_pen(self.colour, Qt.PenStyle.SolidLine, 1.0))
        for i, edge in enumerate(self.edges):
            if self.filled:
                edge.setPen(pg.mkPen(None))
            else:
                style = Qt.PenStyle.DotLine if i < 2 else Qt.PenStyle.DashLine
                edge.setPen(theme.make_pen(self.colour, style, 0.6))

    def set_levels(self, years: np.ndarray, levels: dict[float, np.ndarray] | None) -> None:
        if levels is None:
            for curve in (*self.edges, self.median):
                curve.setData([], [])
            return
        for curve, level in zip(self.edges, (5.0, 95.0, 25.0, 75.0), strict=True):
            curve.setData(years, levels[level])
        self.median.setData(years, levels[50.0])


class FanPlots(pg.GraphicsLayoutWidget):
    """Capability (top) and the gap or the progress multiplier (bottom), linked in time."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.setBackground("w")
        self.lower = "gap"
        self.top = self.addPlot(
            0, 0, axisItems={"left": UnitAxis("oom"), "bottom": YearAxis("bottom")}
        )
        self.bottom = self.addPlot(
            1, 0, axisItems={"left": UnitAxis("gap"), "bottom": YearAxis("bottom")}
        )
        self.bottom.setXLink(self.top)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        for plot in (self.top, self.bottom):
            # Auto-range is off: besides repainting twice, pyqtgraph's auto-range over
            # FillBetweenItems of still-empty curves crashes (segfault) on the next paint.
            plot.disableAutoRange()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.15)
        self.items = {
            (plot_name, v): _FanItems(plot, COLOURS[v], filled=v == WITH_PAUSE)
            for plot_name, plot in (("top", self.top), ("bottom", self.bottom))
            for v in (WITHOUT_PAUSE, WITH_PAUSE)
        }
        self.live = {"top": make_curve(self.top), "bottom": make_curve(self.bottom)}
        for curve in self.live.values():
            curve.setZValue(10)  # the live run on top of every band
        self.zero = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        self.bottom.addItem(self.zero, ignoreBounds=True)
        self.fan: Fan | None = None
        self.apply_theme()

    def apply_theme(self) -> None:
        t = self.theme
        for items in self.items.values():
            items.apply_theme(t)
        for curve in self.live.values():
            curve.setPen(t.make_pen("#111111", Qt.PenStyle.SolidLine, 0.8))
        self.zero.setPen(t.make_pen("#777777", Qt.PenStyle.DotLine, 0.5))
        for plot in (self.top, self.bottom):
            style_axes(plot, t)
        style = {"font-size": f"{t.point_size(0.85):.0f}pt", "color": "#111"}
        self.top.setLabel("left", AXIS_TITLES["capability"], **style)
        self.bottom.setLabel("left", AXIS_TITLES[self.lower], **style)
        self.top.getAxis("bottom").setStyle(showValues=False)  # the lower plot has the years

    def set_lower(self, quantity: str) -> None:
        self.lower = quantity
        axis = self.bottom.getAxis("left")
        assert isinstance(axis, UnitAxis)
        axis.unit = "multiplier" if quantity == "progress_multiplier" else "gap"
        self.zero.setVisible(quantity == "gap")
        self.bottom.setLabel("left", AXIS_TITLES[quantity])
        if self.fan is not None:
            self.show_fan(self.fan)

    def show_fan(self, fan: Fan) -> None:
        """Draw every band of ``fan``; a variant it lacks is cleared."""
        self.fan = fan
        for (plot_name, variant), items in self.items.items():
            q = "capability" if plot_name == "top" else self.lower
            levels = fan.bands.get(variant, {}).get(q)
            shown = None if levels is None else {k: axis_values(q, v) for k, v in levels.items()}
            items.set_levels(fan.years, shown)
        x0, x1 = float(fan.years[0]), float(fan.years[-1])
        self.top.setXRange(x0, x1, padding=0.01)
        for plot, q in ((self.top, "capability"), (self.bottom, self.lower)):
            stack = np.array(
                [axis_values(q, fan.bands[v][q][lv]) for v in fan.variants for lv in (5.0, 95.0)]
            )
            lo, hi = float(np.nanmin(stack)), float(np.nanmax(stack))
            plot.setYRange(lo, hi + 1e-6, padding=0.05)

    def show_live(self, frame: Any) -> None:
        """The live run up to the month on screen (``frame`` is a view-state Snapshot)."""
        if frame is None:
            for curve in self.live.values():
                curve.setData([], [])
            return
        h, n = frame.history, frame.view_month + 1
        years = h.time[:n]
        top = h.capability()[:n, 0]
        lower = h.gap()[:n, 0] if self.lower == "gap" else h.progress_multiplier()[:n, 0]
        bottom = axis_values(self.lower, lower)
        self.live["top"].setData(years, top)
        self.live["bottom"].setData(years, bottom)
        if self.fan is None:  # no bands yet: frame the live run (the years of the run)
            self.top.setXRange(float(h.years[0]), float(h.years[-1]), padding=0.01)
            for plot, values in ((self.top, top), (self.bottom, bottom)):
                _widen_y(plot, float(np.min(values)), float(np.max(values)))


def _widen_y(plot: pg.PlotItem, lo: float, hi: float) -> None:
    """Grow the y range to hold [lo, hi] (never shrink it: no jitter while playing)."""
    (y0, y1) = plot.viewRange()[1]
    if lo < y0 or hi > y1:
        plot.setYRange(min(lo, y0), max(hi, y1, lo + 1.0), padding=0.05)


def legend_html() -> str:
    """The legend, one line under the plots (outside the data)."""
    with_, without = COLOURS[WITH_PAUSE], COLOURS[WITHOUT_PAUSE]
    return (
        f"<span style='color:{with_}'>&#9632;</span> With the development pause: median, "
        f"bands of the middle 50% and 90% of runs &nbsp; <span style='color:{without}'>"
        "<b>&#8212;</b></span> Without: median, dashed 50%, dotted 90% &nbsp; "
        "<b>&#8212;</b> Live run"
    )


class FanView(QWidget):
    """An ensemble's bands, its controls and its readouts."""

    KEY = "fan"
    TITLE = "Uncertainty fan"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plots = FanPlots(ctx.theme)
        self.legend = QLabel(legend_html())
        self.legend.setWordWrap(True)
        self.caveat = QLabel(NOT_A_FORECAST)
        self.caveat.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.table = UncertaintyTable()
        self.readouts = Readouts()
        self.members = QSpinBox(minimum=1, maximum=MAX_MEMBERS, value=DEFAULT_MEMBERS)
        self.members.setGroupSeparatorShown(True)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=ctx.controller.scenario.seed)
        self.lower = QComboBox()
        for key, text in LOWER.items():
            self.lower.addItem(text, key)
        self.publish = QCheckBox("Show the bands on the main plots")
        self.publish.setChecked(True)
        self._cache: dict[tuple[Any, ...], Fan] = {}
        # Bands shown on the main plots must follow the live run even while this dock
        # is hidden; otherwise a hidden fan waits until it is shown again.
        self.job = Recompute(self, active=lambda: self.isVisible() or self.publish.isChecked())
        self._layout()
        self._connect()
        self.apply_theme()
        self.job.request(force=True)

    def _layout(self) -> None:
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        top_row = QHBoxLayout()
        top_row.addWidget(QLabel("Lower plot:"))
        top_row.addWidget(self.lower)
        top_row.addWidget(self.job.bar, 1)
        col.addLayout(top_row)
        col.addWidget(self.plots, 1)
        col.addWidget(self.legend)
        side = QWidget()
        form = QVBoxLayout(side)
        form.addWidget(self.caveat)
        sizes = QFormLayout()
        sizes.addRow("Runs (N):", self.members)
        sizes.addRow("Seed:", self.seed)
        form.addLayout(sizes)
        form.addWidget(self.status)
        form.addWidget(self.readouts)
        form.addWidget(QLabel("Uncertain parameters (ticked) and their ranges:"))
        form.addWidget(self.table, 1)
        form.addWidget(self.publish)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        # Narrow docks: text wraps and the table scrolls sideways inside itself.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.table.setMinimumHeight(200)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 440])  # the controls need about 420 px; the plots stretch
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(split)

    def _connect(self) -> None:
        self.table.changed.connect(self._on_inputs_changed)
        self.members.editingFinished.connect(self._on_inputs_changed)
        self.seed.editingFinished.connect(self._on_inputs_changed)
        self.lower.currentIndexChanged.connect(self._on_lower_changed)
        self.publish.toggled.connect(self._on_publish_toggled)
        self.ctx.view_state.events.frame.connect(self._on_frame)

    def apply_theme(self) -> None:
        t = self.ctx.theme
        self.plots.apply_theme()
        self.setFont(t.font(0.85))  # not the dock title's bold
        self.plots.setMinimumHeight(round(200 * t.scale))  # a squashed fan shows nothing
        self.legend.setFont(t.font(0.75))
        self.caveat.setFont(t.font(0.85, bold=True))

    # -- work (runs on a worker thread: touches no widget) ------------------------------
    def make_work(self, scenario: Scenario) -> Work:
        dists = self.table.distributions()  # read here, on the GUI thread
        members, seed = self.members.value(), self.seed.value()
        key = (scenario, tuple(sorted(dists.items())), members, seed)
        cached = self._cache.get(key)

        def run(progress: Any) -> Fan:
            if cached is not None:  # a setting undone or toggled back: no rerun
                return cached
            return compute_fan(scenario, dists, members, seed, progress.report)

        self.status.setText(f"Running {members:,} runs (seed {seed})...")
        return run

    # -- handlers -----------------------------------------------------------------------
    def _on_inputs_changed(self) -> None:
        self.job.request(force=True)

    def _on_lower_changed(self, _: int) -> None:
        self.plots.set_lower(self.lower.currentData())
        self.plots.show_live(self.ctx.view_state.frame)

    def _on_frame(self, frame: Any) -> None:
        if self.isVisible():
            self.plots.show_live(frame)

    def show_result(self, fan: Fan) -> None:
        key = (fan.scenario, tuple(sorted(fan.dists.items())), fan.members, fan.seed)
        self._cache.pop(key, None)
        self._cache[key] = fan  # newest last; ~7 MB a 1,000-run fan, so keep a few
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self.plots.show_fan(fan)
        self.plots.show_live(self.ctx.view_state.frame)
        self.readouts.show_fan(fan)
        names = [pretty_name(SPEC_BY_NAME[n]).lower() for n in sorted(fan.dists)]
        varied = ", ".join(names) or "none (every run is the same)"
        self.status.setText(f"N = {fan.members:,} runs, seed {fan.seed}. Uncertain: {varied}.")
        self._publish(fan)

    def _on_publish_toggled(self, _: bool) -> None:
        if self.plots.fan is not None:
            self._publish(self.plots.fan)
        self.job.request()  # bands hidden while this view was too may be out of date

    def _publish(self, fan: Fan) -> None:
        """Put the bands into the view state (and drop a variant this fan lacks)."""
        vs = self.ctx.view_state
        for variant in (WITH_PAUSE, WITHOUT_PAUSE):
            for q in QUANTITIES:
                key = band_key(variant, q)
                if variant not in fan.series:
                    if key in vs.bands:
                        vs.remove_band(key)
                    continue
                label = f"{VARIANT_LABELS[variant].capitalize()} ({fan.members:,} runs)"
                levels = fan.bands[variant][q]
                vs.set_band(
                    Band(
                        key,
                        label,
                        q,
                        fan.years,
                        levels,
                        fan.members,
                        fan.seed,
                        self.publish.isChecked(),
                        group=self.KEY,
                    )
                )
