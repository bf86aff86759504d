"""The uncertainty fan: how sure can anyone be, given these assumptions?

An ensemble (default 1,000 runs, seeded) over the parameters chosen as uncertain, run in
the background with and without the scenario's development pauses, drawn as median, 50%
and 90% bands of capability (top) and of the gap or the progress multiplier (bottom), with
the live run on top. The bands are also published to the view state, so the main plots
can show them. Conditional on these assumptions; not a forecast.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QProgressBar,
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
    assemble_fan,
    compute_fan_part,
    fan_variants,
)
from rsiviz.core.params import SPEC_BY_NAME
from rsiviz.core.scenario import Scenario
from rsiviz.core.viewstate import Band
from rsiviz.gui.params_panel import pretty_name
from rsiviz.gui.views.fan_controls import Readouts, UncertaintyTable
from rsiviz.gui.views.fan_draw import FanDrawing, prepare
from rsiviz.gui.views.fan_plots import COLOURS, FanPlots
from rsiviz.gui.views.recompute import Recompute, Work

CACHE_SIZE = 4  # fans kept for settings toggled back (undo, P then undo, A/B)
LOWER = {"gap": "Gap over oversight", "progress_multiplier": "Progress multiplier"}
NOT_A_FORECAST = "Conditional on these assumptions (model and ranges), not a forecast."
# While the run plays, the live line here is redrawn at most this often (the main plots
# show every frame): each redraw repaints every band of both plots, several ms a frame.
LIVE_INTERVAL_S = 0.1


def band_key(variant: str, quantity: str) -> str:
    """The view-state key of one published band, e.g. ``fan:with_development_pause:gap``."""
    return f"fan:{variant}:{quantity}"


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
    OFFLOADED = True  # its work runs in child processes (Jobs.compute_many)
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
        self.publish = QCheckBox("Bands on the main plots")  # short: it cannot wrap
        self.publish.setChecked(True)
        self._cache: dict[tuple[Any, ...], Fan] = {}
        # Bands shown on the main plots must follow the live run even while this dock
        # is hidden; otherwise a hidden fan waits until it is shown again.
        self.job = Recompute(
            self, active=lambda: self.isVisible() or self.publish.isChecked(), bar=ThinBar()
        )
        self.ctx.jobs.warm()  # the fan's child process imports numpy while the view opens
        self._frame: Any = None  # the newest live frame, drawn by _draw_live
        self._live_drawn = 0.0
        self._live_timer = QTimer(self, singleShot=True)
        self._live_timer.timeout.connect(self._draw_live)
        self._layout()
        self._connect()
        self.apply_theme()
        self.job.request(force=True)

    def _layout(self) -> None:
        left = _UnderBar(self.job.bar)
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        # The plots take the column's whole height: the choices sit beside them, so a short
        # window (a 1280x720 projector, the fan docked under the main plots) keeps its bands.
        col.addWidget(self.plots, 1)
        col.addWidget(self.legend)
        side = QWidget()
        form = QVBoxLayout(side)
        form.addWidget(self.caveat)
        sizes = QFormLayout()
        sizes.addRow("Lower plot:", self.lower)
        sizes.addRow("Runs (N):", self.members)
        sizes.addRow("Seed:", self.seed)
        form.addLayout(sizes)
        form.addWidget(self.status)
        form.addWidget(self.readouts)
        table_title = QLabel("Uncertain parameters (ticked) and their ranges:")
        table_title.setWordWrap(True)
        form.addWidget(table_title)
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
        self.table.resizeColumnsToContents()  # for this font ("loguniform" was cut)
        self.plots.setMinimumHeight(round(200 * t.scale))  # a squashed fan shows nothing
        self.job.bar.setFixedHeight(max(4, round(6 * t.scale)))
        self.legend.setFont(t.font(0.75))
        self.caveat.setFont(t.font(0.85, bold=True))

    # -- work (runs on a worker thread: touches no widget) ------------------------------
    def make_work(self, scenario: Scenario) -> Work:
        dists = self.table.distributions()  # read here, on the GUI thread
        members, seed = self.members.value(), self.seed.value()
        key = (scenario, tuple(sorted(dists.items())), members, seed)
        cached = self._cache.get(key)
        at = (self.readouts.level.value(), self.readouts.year.value())
        jobs = self.ctx.jobs

        def run(progress: Any) -> FanDrawing:
            fan = cached  # a setting undone or toggled back: no rerun
            if fan is None:
                inputs = (scenario, dists, members, seed)
                calls = [(compute_fan_part, (*inputs, v)) for v in fan_variants(scenario)]
                fan = assemble_fan(*inputs, jobs.compute_many(calls, progress))
            return prepare(fan, at)  # paths, bounds and readouts too: off the GUI thread

        self.status.setText(f"Running {members:,} runs (seed {seed})...")
        return run

    # -- handlers -----------------------------------------------------------------------
    def _on_inputs_changed(self) -> None:
        self.job.request(force=True)

    def _on_lower_changed(self, _: int) -> None:
        self.plots.set_lower(self.lower.currentData())
        self.plots.show_live(self.ctx.view_state.frame)

    def _on_frame(self, frame: Any) -> None:
        """Draw the live line now, or (playing, drawn less than LIVE_INTERVAL_S ago) the
        newest frame when that interval is up."""
        if not self.isVisible():
            return
        self._frame = frame
        wait = LIVE_INTERVAL_S - (time.monotonic() - self._live_drawn)
        if frame is not None and frame.playing and wait > 0:
            if not self._live_timer.isActive():
                self._live_timer.start(max(1, round(wait * 1000)))
            return
        self._draw_live()

    def _draw_live(self) -> None:
        self._live_timer.stop()
        self._live_drawn = time.monotonic()
        self.plots.show_live(self._frame)

    def show_result(self, drawing: FanDrawing) -> None:
        fan = drawing.fan
        key = (fan.scenario, tuple(sorted(fan.dists.items())), fan.members, fan.seed)
        self._cache.pop(key, None)
        self._cache[key] = fan  # newest last; ~7 MB a 1,000-run fan, so keep a few
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self.plots.show_fan(drawing)
        self.plots.show_live(self.ctx.view_state.frame)
        self.readouts.show_fan(fan, drawing.readings, drawing.readings_at)
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


class ThinBar(QProgressBar):
    """A progress bar a few pixels high, painted as two flat rectangles, opaque.

    While a fan computes, its progress steps come ~20 times a second, each repainting the
    bar at once (``QProgressBar.setValue``). The style's bar across the plots' width took
    ~1 ms a step, and, not opaque, made the plots beneath it repaint their top edge too:
    GUI time taken from the two cores the fan's children compute on."""

    def __init__(self) -> None:
        super().__init__()
        # opaque (the style's polish clears WA_OpaquePaintEvent on a progress bar): Qt
        # then repaints nothing beneath it
        self.setAutoFillBackground(True)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        palette = self.palette()
        p.fillRect(self.rect(), palette.color(QPalette.ColorRole.Mid))
        span = self.maximum() - self.minimum()
        share = 1.0 if span <= 0 else (self.value() - self.minimum()) / span
        done = self.rect()
        done.setWidth(round(self.width() * min(1.0, max(0.0, share))))
        p.fillRect(done, palette.color(QPalette.ColorRole.Highlight))


class _UnderBar(QWidget):
    """The plots' column, with the progress bar lying thin over its top edge: it takes no
    row, so nothing moves when it shows (the status line says what runs), and no empty
    row stays behind while it is hidden."""

    def __init__(self, bar: QProgressBar) -> None:
        super().__init__()
        self.bar = bar
        bar.setParent(self)
        bar.setTextVisible(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.bar.setGeometry(0, 0, self.width(), self.bar.height())
        self.bar.raise_()
