"""Calibration: METR's time horizons, the fitted trend, and the model in the same units.

Points are METR's 50% time horizons with their confidence intervals (log scale, labelled in
human working time); the line and shaded band are the OLS trend since 2023 and its 95%
band; the model's horizon is back-cast before the start year at its own doubling time and
run forward from it. A readout says whether the current setting fits the data, and why
(:func:`rsiviz.core.literature.check_calibration`). It follows the sliders: each new set of
parameters in the live frame redraws it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from rsiviz.core.calibration import (
    METR_CITATION,
    METR_DOUBLING_2023_DAYS,
    METR_DOUBLING_ALL_DAYS,
    MetrPoint,
    all_time_fit,
    default_fit,
    load_metr,
)
from rsiviz.core.literature import CalibrationCheck, check_calibration, days_text, horizon_track
from rsiviz.core.params import Params
from rsiviz.core.resources import ResourceError
from rsiviz.gui.plot_items import UnitAxis, YearAxis, make_curve
from rsiviz.gui.theme import OKABE_ITO

KEY_HTML = (
    "<b>&#9679;</b> METR, state of the art (bars: 95% CI) &nbsp; &#9675; other models<br>"
    "<b>&#8212;</b> trend since 2023, grey band: its 95% band &nbsp; &#183;&#183;&#183; trend "
    "over all points<br>"
    f'<span style="color:{OKABE_ITO["vermillion"]}"><b>- -</b></span> model back-cast at its '
    f'doubling time &nbsp; <span style="color:{OKABE_ITO["blue"]}"><b>&#8212;</b></span> model '
    "run from the start year"
)
FIRST_YEAR = 2019.0
YEARS_AHEAD = 3.0  # forecast shown beyond the start year
UPDATE_MS = 80  # coalesce a dragged slider into a redraw at most ~12 times a second
WIDE_PX = 700  # narrower than this (at UI scale 1): the text goes below the plot
MIN_PLOT_PX = 200  # the plot never shrinks below this height (at UI scale 1)
MAX_LOG_MINUTES = 8.0  # 10^8 minutes (~800 work-years): far beyond the data, keeps ticks sane


class CalibrationView(QWidget):
    """METR's data, the fit and its band, and the model's back-cast and forecast."""

    KEY = "calibration"
    TITLE = "Calibration: METR time horizons"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.params: Params = ctx.controller.scenario.params
        self.check: CalibrationCheck | None = None
        self._dirty = False
        self.readout = QLabel()
        self.criterion = QLabel()
        self.doubling = QLabel()
        self.source = QLabel(
            f"Data: {METR_CITATION}. The curves are conditional on the model's assumptions, not a forecast."
        )
        self.key = QLabel(KEY_HTML)
        for label in (self.readout, self.criterion, self.key, self.doubling, self.source):
            label.setWordWrap(True)
        self.plot = pg.PlotWidget(
            axisItems={"left": UnitAxis("metr"), "bottom": YearAxis("bottom")}, enableMenu=False
        )
        self.plot.setBackground("w")
        self.plot.hideButtons()
        # the plot beside its text when the dock is wide, above it when narrow (resizeEvent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.box.addWidget(self.plot, 3)
        column = QWidget()
        text = QVBoxLayout(column)
        text.setContentsMargins(0, 0, 0, 0)
        for label in (self.readout, self.criterion, self.key, self.doubling, self.source):
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text.addWidget(label)
        text.addStretch(1)
        scroll = QScrollArea()  # a short dock scrolls the text instead of cutting it off
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.box.addWidget(scroll, 2)
        self._make_items()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_MS)
        self._timer.timeout.connect(self.update_model)
        ctx.view_state.events.frame.connect(self._on_frame)
        self.apply_theme()
        self.update_model()

    # -- items, made once -------------------------------------------------------------------
    def _make_items(self) -> None:
        p = self.plot
        try:
            self.points = load_metr()
            self.fit, self.fit_all = default_fit(), all_time_fit()
        except (ResourceError, ValueError) as exc:
            self.points, self.fit, self.fit_all = [], None, None
            self.ctx.show_message("error", str(exc))
        self.band_lo, self.band_hi = make_curve(p), make_curve(p)
        self.band = pg.FillBetweenItem(self.band_lo, self.band_hi, brush=(0, 0, 0, 28))
        p.addItem(self.band)
        self.trend = make_curve(p)
        self.trend_all = make_curve(p)
        self.errors = pg.ErrorBarItem(beam=0.06)
        p.addItem(self.errors)
        self.sota = pg.ScatterPlotItem()
        self.other = pg.ScatterPlotItem()
        p.addItem(self.sota)
        p.addItem(self.other)
        self.backcast = make_curve(p)
        self.forecast = make_curve(p)
        self.start = pg.InfiniteLine(angle=90, movable=False)
        p.addItem(self.start)
        self._set_points(self.points)

    def _set_points(self, points: list[MetrPoint]) -> None:
        for item, sota in ((self.sota, True), (self.other, False)):
            sel = [pt for pt in points if pt.state_of_the_art is sota]
            item.setData([pt.year for pt in sel], [math.log10(pt.p50_minutes) for pt in sel])
        if points:
            x = np.array([pt.year for pt in points])
            mid = np.log10([pt.p50_minutes for pt in points])
            self.errors.setData(
                x=x,
                y=mid,
                top=np.log10([pt.ci_high for pt in points]) - mid,
                bottom=mid - np.log10([pt.ci_low for pt in points]),
            )

    # -- updates ----------------------------------------------------------------------------
    def _on_frame(self, snapshot: Any) -> None:
        if snapshot.params != self.params:
            self.params = snapshot.params
            self._dirty = True
            if self.isVisible():  # a hidden dock catches up when it is shown
                self._timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_PX * self.ctx.theme.scale
        self.box.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.update_model()

    def update_model(self) -> None:
        """Recompute the verdict and the model's curves for the current parameters."""
        p = self.params
        self._dirty = False
        self.check = check_calibration(p)
        track = horizon_track(p, forecast_years=YEARS_AHEAD)
        self.backcast.setData(track.backcast_years, np.log10(track.backcast_minutes))
        fc = np.log10(np.maximum(track.forecast_minutes, 1e-6))
        self.forecast.setData(track.forecast_years, np.minimum(fc, MAX_LOG_MINUTES + 1))
        self.start.setValue(p.start_year)
        self._update_trend(p.start_year + YEARS_AHEAD)
        self._update_text(self.check)
        self._update_range(p.start_year, fc)

    def _update_trend(self, end: float) -> None:
        if self.fit is None or self.fit_all is None:
            return
        years = np.linspace(2023.0, end, 60)
        mid, lo, hi = self.fit.curves(years)
        self.trend.setData(years, np.log10(mid))
        self.band_lo.setData(years, np.log10(lo))
        self.band_hi.setData(years, np.log10(hi))
        years_all = np.linspace(FIRST_YEAR, end, 60)
        self.trend_all.setData(years_all, np.log10(self.fit_all.curves(years_all)[0]))

    def _update_text(self, chk: CalibrationCheck) -> None:
        colour = OKABE_ITO["green"] if chk.fits else OKABE_ITO["vermillion"]
        mark = "\u2713" if chk.fits else "\u2717"
        self.readout.setText(f'<span style="color:{colour}">{mark} {chk.verdict()}</span>')
        self.criterion.setText(chk.criterion())
        fit, fit_all = self.fit, self.fit_all
        if fit is None or fit_all is None:
            return
        self.doubling.setText(
            f"Doubling time of the horizon. Fit since 2023: <b>{fit.doubling_days:.1f} days</b> "
            f"(METR: {METR_DOUBLING_2023_DAYS} days). Fit over all {fit_all.n} state-of-the-art "
            f"points since 2019: <b>{fit_all.doubling_days:.1f} days</b> (METR: "
            f"{METR_DOUBLING_ALL_DAYS} days). This setting at {chk.start_year:g}: "
            f"<b>{days_text(chk.model_doubling_days)}</b>."
        )

    def _update_range(self, start_year: float, forecast: np.ndarray) -> None:
        finite = forecast[np.isfinite(forecast)]
        top = max(4.0, float(finite.max()) if finite.size else 4.0)
        self.plot.setXRange(FIRST_YEAR, start_year + YEARS_AHEAD, padding=0.02)
        self.plot.setYRange(-2.2, min(top, MAX_LOG_MINUTES) + 0.3, padding=0)

    def apply_theme(self) -> None:
        t = self.ctx.theme
        self.readout.setFont(t.font(1.0, bold=True))
        for label in (self.criterion, self.key, self.doubling, self.source):
            label.setFont(t.font(0.8))
        self.trend.setPen(t.make_pen("#333333", Qt.PenStyle.SolidLine, 0.8))
        self.trend_all.setPen(t.make_pen("#777777", Qt.PenStyle.DotLine, 0.7))
        self.backcast.setPen(t.make_pen(OKABE_ITO["vermillion"], Qt.PenStyle.DashLine, 1.0))
        self.forecast.setPen(t.pen("capability", 1.0))
        self.start.setPen(t.make_pen("#888888", Qt.PenStyle.SolidLine, 0.4))
        self.plot.setMinimumHeight(round(MIN_PLOT_PX * t.scale))
        self.plot.setMinimumWidth(round(MIN_PLOT_PX * 1.5 * t.scale))
        size = 9 * t.scale
        self.sota.setSymbol("o")
        self.sota.setSize(size)
        self.sota.setBrush(pg.mkBrush("#111111"))
        self.other.setSymbol("o")
        self.other.setSize(size)
        self.other.setBrush(pg.mkBrush("#ffffff"))
        self.other.setPen(pg.mkPen("#111111", width=1.5))
        self.errors.setOpts(pen=pg.mkPen("#555555", width=max(1.0, t.line_width(0.3))))
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(t.font(0.8))
            axis.setTextPen("#111")
