"""The two linked plots: capability/potential/oversight above, gap or multiplier below.

Every plot item is created once (in ``__init__``); a frame only calls ``setData`` and,
when the data outgrow them, ``setYRange``. Auto-range is off: pyqtgraph's auto-range
repaints twice per frame.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from rsiviz.core.history import History
from rsiviz.core.viewstate import Band, Run, Snapshot
from rsiviz.gui.legend import RowLegend
from rsiviz.gui.overlays import BandOverlays, RunOverlays
from rsiviz.gui.overlays import _set as set_curve
from rsiviz.gui.plot_items import (
    GridLines,
    SpanMarks,
    UnitAxis,
    YearAxis,
    fit_title,
    make_curve,
    quiet_hidden_axes,
)
from rsiviz.gui.strip_items import GrowingFill
from rsiviz.gui.theme import OVERHANG_FILL, Theme
from rsiviz.gui.units import (
    AXIS_TITLES,
    MILESTONES,
    level_to_axis,
    multiplier_to_axis,
    spans,
)

MAX_LABS = 5
LOWER_MODES = {"gap": "Gap over oversight", "multiplier": "Progress multiplier"}


# While a run plays, a y range that must grow grows this share of its span further.
GROW_ROOM = 0.15


class Plots(pg.GraphicsLayoutWidget):
    """Capability (top) and gap / progress multiplier (bottom) on a linked time axis."""

    def __init__(self, theme: Theme, parent: object = None, styled: bool = True) -> None:
        """``styled=False``: the owner applies the theme once it is built (the window does:
        styling twice cost start-up time)."""
        super().__init__(parent)
        self.theme = theme
        self.unit = "oom"
        self.lower_mode = "gap"
        self.snapshot: Snapshot | None = None
        self.show_counterfactual = True
        # Uncertainty bands (the fan's) on these plots too: off unless asked for (View menu);
        # the fan view shows them with its own key.
        self.show_bands = False
        self.reserve_legend = True
        # Below this height (px) the lower plot drops its "Year" title: its ticks are years
        # plainly, and a short window (a 1280x720 projector with a view docked below the
        # plots) needs the room for the curves. 0: always shown (the stage, the exports).
        self.year_title_from = 0
        self._y_ranges: dict[str, tuple[float, float]] = {}
        self.draft = False  # while playing: curves drawn without antialiasing
        self._ghost_key: tuple | None = None
        self._ghost_vals: tuple[list, list] = ([], [])
        self.setBackground("w")
        # The view paints every pixel it repaints (its background is always opaque): Qt
        # need not paint the widgets behind it first. Under the stage's style sheet it
        # did, the whole stage behind the plots, for every live frame's thin strip.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        # The plots make their own view boxes: a view box made here and handed over stayed
        # owned by Python, and PySide6 6.11 (Python 3.11) crashed painting after it was freed.
        # No context menus (enableMenu=False at once: pyqtgraph builds each view box's menu
        # of widgets otherwise, ~10 ms a plot at startup, to drop it again)
        self.top = self.addPlot(
            row=0,
            col=0,
            axisItems={"left": UnitAxis("oom"), "bottom": YearAxis("bottom")},
            enableMenu=False,
        )
        self.bottom = self.addPlot(
            row=1,
            col=0,
            axisItems={"left": UnitAxis("gap"), "bottom": YearAxis("bottom")},
            enableMenu=False,
        )
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        self.bottom.setXLink(self.top)
        for plot in (self.top, self.bottom):
            quiet_hidden_axes(plot)
            plot.disableAutoRange()
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        self.grids = [
            GridLines(plot, name) for plot in (self.top, self.bottom) for name in ("left", "bottom")
        ]
        self._make_top_items()
        self._make_bottom_items()
        self.run_overlays = RunOverlays(self.top, self.bottom, theme)
        self.band_overlays = BandOverlays(theme)
        self.title_colour = "#111111"  # the stage sets its theme's
        for plot in (self.top, self.bottom):  # titles fit the laid-out plots
            plot.getViewBox().sigResized.connect(self.fit_axis_titles)
        if styled:
            self.apply_theme()

    # -- construction -----------------------------------------------------------------
    def _make_top_items(self) -> None:
        top = self.top
        self.ghost_cap = make_curve(top)
        self.cf_cap = make_curve(top)
        self.cf_over = make_curve(top)
        self.potential = make_curve(top)
        self.frontier = make_curve(top)
        self.overhang = GrowingFill(self.frontier, self.potential, brush=OVERHANG_FILL)
        self.overhang.setZValue(-10)
        top.addItem(self.overhang)
        self.oversight = make_curve(top)
        self.labs = [make_curve(top) for _ in range(MAX_LABS)]
        self.top_spans = SpanMarks(top, label_ends=True)
        self.legend = RowLegend(top)  # a row above the data: it hides no curve
        # Shown over empty axes before anything has run (the window sets the words).
        self.start_hint = ""
        self.hint = pg.TextItem(anchor=(0.5, 0.5), color="#333333")
        self.hint.setZValue(50)
        top.addItem(self.hint, ignoreBounds=True)
        self.hint.hide()
        self._legend_items = [
            (self.frontier, "Capability (frontier)"),
            (self.potential, "Potential (shaded: overhang)"),
            (self.oversight, "Oversight"),
            (self.cf_cap, "Without the development pause"),
            (self.ghost_cap, "Previous run"),
        ]

    def _make_bottom_items(self) -> None:
        bottom = self.bottom
        self.ghost_low = make_curve(bottom)
        self.cf_low = make_curve(bottom)
        self.low = make_curve(bottom)
        self.zero = pg.InfiniteLine(pos=0.0, angle=0, movable=False)
        bottom.addItem(self.zero, ignoreBounds=True)
        self.milestones = []
        for value, text in MILESTONES:
            line = pg.InfiniteLine(
                pos=float(np.log10(value)),
                angle=0,
                movable=False,
                label=text,
                labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)]},
            )
            bottom.addItem(line, ignoreBounds=True)
            line.hide()  # shown with the progress multiplier only
            self.milestones.append(line)
        self.bottom_spans = SpanMarks(bottom, label_ends=False)
        self.bottom.setLabel("bottom", "Year")

    # -- appearance ---------------------------------------------------------------------
    def apply_theme(self) -> None:
        """(Re)apply pens and fonts after a UI-scale or screen change."""
        t = self.theme
        self.frontier.setPen(t.pen("capability", 1.4))
        self.potential.setPen(t.pen("potential", 1.0))
        self.oversight.setPen(t.pen("oversight", 1.2))
        self.cf_cap.setPen(t.pen("counterfactual", 1.0))
        self.cf_over.setPen(t.make_pen("#1b6b52", t.pen("counterfactual").style(), 0.8))
        self.ghost_cap.setPen(t.pen("ghost", 1.0, alpha=110))
        for i, curve in enumerate(self.labs):
            curve.setPen(t.lab_pen(i + 1, 0.8))
        low_role = "gap" if self.lower_mode == "gap" else "multiplier"
        self.low.setPen(t.pen(low_role, 1.3))
        self.cf_low.setPen(t.pen("counterfactual", 1.0))
        self.ghost_low.setPen(t.pen("ghost", 1.0, alpha=110))
        self.zero.setPen(t.pen("now", 0.4))
        for line in self.milestones:
            line.setPen(t.pen("milestone", 0.6))
            line.label.setFont(t.font(0.8))
            line.label.setColor("#444444")
            line.label.fill = pg.mkBrush("#ffffff")  # curves pass behind it, not through it
            line.setZValue(5)
        for marks in (self.top_spans, self.bottom_spans):
            marks.restyle(t, t.point_size())
        for grid in self.grids:
            grid.restyle(t)
        self.run_overlays.restyle()
        self._style_axes()
        self.fit_axis_titles()
        if self.snapshot is not None:  # else the first snapshot builds it (once, not thrice)
            self._rebuild_legend()

    def fit_axis_titles(self) -> None:
        """Left-axis titles that fit their plots' heights (they overlapped when short)."""
        titles = (AXIS_TITLES[self.unit], LOWER_MODES[self.lower_mode])
        for plot, title in zip((self.top, self.bottom), titles, strict=True):
            fit_title(plot, title, self.theme.point_size(1.05), self.title_colour)

    def _style_axes(self) -> None:
        t = self.theme
        label_style = {"font-size": f"{t.point_size(1.05):.0f}pt", "color": "#111"}
        for plot in (self.top, self.bottom):
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setTickFont(t.font(0.95))
                axis.setPen(pg.mkPen("#222", width=max(1.0, t.line_width(0.4))))
                axis.setTextPen("#111")
                axis.setStyle(tickLength=int(8 * t.scale), tickTextOffset=int(6 * t.scale))
        width = self._left_axis_width()
        for plot in (self.top, self.bottom):
            plot.getAxis("left").setWidth(width)  # equal widths keep the x axes aligned
        self.top.getAxis("bottom").setStyle(showValues=False)  # the lower plot has the years
        self.top.setLabel("left", AXIS_TITLES[self.unit], **label_style)
        self.bottom.setLabel("left", LOWER_MODES[self.lower_mode], **label_style)
        self.bottom.setLabel("bottom", "Year", **label_style)
        self._fit_year_title()

    def _fit_year_title(self) -> None:
        axis = self.bottom.getAxis("bottom")
        shown = self.height() >= self.year_title_from
        if axis.label.isVisible() != shown:
            axis.showLabel(shown)

    def _left_axis_width(self) -> int:
        """Room for the longest tick label of either plot, plus the axis title."""
        from PySide6.QtGui import QFontMetrics

        longest = {"oom": "+15 OOM", "metr": "300 million work-years", "multiplier": "2,000x"}
        samples = [longest[self.unit], "+5 OOM" if self.lower_mode == "gap" else "2,000x"]
        tick = QFontMetrics(self.theme.font(0.95))
        title = QFontMetrics(self.theme.font(1.05))
        return int(
            max(tick.horizontalAdvance(s) for s in samples)
            + 1.6 * title.height()
            + 24 * self.theme.scale
        )

    def _rebuild_legend(self) -> None:
        self.legend.setLabelTextSize(f"{self.theme.point_size(0.9):.0f}pt")
        self.legend.setLabelTextColor("#111111")
        self.legend.setBrush(pg.mkBrush(255, 255, 255))
        items = list(self._legend_items)
        snap = self.snapshot
        if snap is None or snap.counterfactual is None:
            items = [it for it in items if it[0] is not self.cf_cap]
        if snap is None or snap.ghost is None:
            items = [it for it in items if it[0] is not self.ghost_cap]
        labs = () if snap is None or len(snap.lab_names) < 2 else snap.lab_names
        reserve = [name for _, name in self._legend_items]
        reserve[1:1] = labs  # the order the entries are shown in
        # On stage the legend keeps room for every entry a story can show (the chart must not
        # move between beats); in the window it takes only the rows its entries need.
        self.legend.reserve = reserve if self.reserve_legend else []
        if labs:
            items[1:1] = [(c, n) for c, n in zip(self.labs, self.snapshot.lab_names, strict=False)]
        if self.unit == "multiplier":
            items = [it for it in items if it[0] not in (self.potential, self.oversight)]
        if snap is not None:
            items += self.run_overlays.legend_items(_extra_runs(snap))
            for band in self._bands(snap):
                if band.quantity == "capability" and self.unit != "multiplier":
                    items.append((self.band_overlays.median_item(self.top, band), band.label))
        self.legend.set_entries(items)

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.top.getAxis("left").unit = unit
        self._y_ranges.pop("top", None)
        for item in (self.potential, self.oversight, self.overhang, self.cf_over):
            item.setVisible(unit != "multiplier")
        self.apply_theme()
        self.redraw()

    def set_lower_mode(self, mode: str) -> None:
        self.lower_mode = mode
        self.bottom.getAxis("left").unit = mode
        self._y_ranges.pop("bottom", None)
        self.zero.setVisible(mode == "gap")
        for line in self.milestones:
            line.setVisible(mode == "multiplier")
        self.apply_theme()
        self.redraw()

    # -- per frame ----------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot) -> None:
        if not self.show_counterfactual and snap.counterfactual is not None:
            runs = tuple(r for r in snap.runs if r.role != "counterfactual")
            snap = dataclasses.replace(snap, runs=runs)  # hidden (stories)
        old = self.snapshot
        if old is not None and not self.show_bands and _same_but_bands(old, snap):
            self.snapshot = snap  # only the (hidden) bands changed: nothing to redraw
            return
        labs_changed = old is None or _legend_key(old) != _legend_key(snap)
        if old is None or old.history is not snap.history:
            self._y_ranges.clear()  # a new run: fit its own range
        self.snapshot = snap
        self.set_draft(snap.playing)
        self.redraw()
        if labs_changed:  # after redraw: the legend lists the run overlays redraw just set
            self._rebuild_legend()
            # Lay out the plots for the new legend now: left to posted layout requests, a
            # legend that gained a row re-laid them out over several passes, each painting
            # the whole chart again (three paints in one event-loop turn).
            self.top.layout.activate()
            self.ci.layout.activate()
        # The view boxes settle their ranges and transforms now, before Qt works out what to
        # paint. Left to the paint itself (pyqtgraph's prepareForPaint), a new range moved the
        # items during the paint and Qt painted the whole chart a second time in the same
        # event-loop turn (15-23 ms more for a 50-year run; bench_soak's slow corner).
        self.scene().prepareForPaint()

    def set_draft(self, on: bool) -> None:
        """Curves without antialiasing while the run plays, with it once it stops.

        Antialiased thick lines are the largest share of a live frame's painting (about
        1.5 ms of it at 1920x1080 on the CI machine); in motion the difference does not
        show, and every still (a stopped run, a screenshot, an export) is antialiased.
        """
        if on == self.draft:
            return
        self.draft = on
        for item in self.scene().items():
            if isinstance(item, pg.PlotCurveItem):
                still = item.opts.setdefault("rsiviz_still_antialias", item.opts["antialias"])
                item.opts["antialias"] = still and not on
                item.update()

    def redraw(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        h = snap.history
        t0 = float(h.years[0])
        x_range = (t0, float(h.years[-1]))
        if self._y_ranges.get("x") != x_range:
            self._y_ranges["x"] = x_range
            self.top.setXRange(*x_range, padding=0.0)
            self.refresh_grid()
        rows = snap.view_month + 1
        max_points = max(64, 2 * int(self.width()))
        series = self._top_series(h, rows)
        top_vals = self._set(self.frontier, h.years[:rows], series["frontier"], max_points)
        for i, curve in enumerate(self.labs):
            lab = series["labs"][:, i] if i < series["labs"].shape[1] else None
            curve.setVisible(lab is not None and len(snap.lab_names) > 1)
            if lab is not None and curve.isVisible():
                self._set(curve, h.years[:rows], lab, max_points)
        if self.unit != "multiplier":
            top_vals += self._set(self.potential, h.years[:rows], series["potential"], max_points)
            top_vals += self._set(self.oversight, h.years[:rows], series["oversight"], max_points)
            self.overhang.updatePath()
        top_vals += self._others(h, snap, rows, max_points)
        marks = spans(h.years[:rows], h.any_paused()[:rows, 0])
        self.top_spans.show(marks)  # first: the top range keeps the data below its labels
        self.bottom_spans.show(marks)
        self._fit_y("top", self.top, top_vals)
        self._show_hint(snap)

    def _others(self, h: History, snap: Snapshot, rows: int, max_points: int) -> list:
        """The other runs and bands, and the lower plot; returns top y values."""
        vals: list = []
        low_vals: list = []
        low_vals += self._set(self.low, h.years[:rows], self._lower(h, rows), max_points)
        for hist, cap, over, low, n in (
            (snap.counterfactual, self.cf_cap, self.cf_over, self.cf_low, rows),
            (snap.ghost, self.ghost_cap, None, self.ghost_low, None),
        ):
            for item in (cap, over, low):
                if item is not None:
                    item.setVisible(
                        hist is not None and (item is not over or self.unit != "multiplier")
                    )
            if hist is None:
                continue
            n = hist.length if n is None else min(n, hist.length)
            key = (hist, n, self.unit, self.lower_mode, max_points)  # holds hist: no id reuse
            if cap is self.ghost_cap and key == self._ghost_key:
                vals += self._ghost_vals[0]  # unchanged: setData would repaint the plot
                low_vals += self._ghost_vals[1]
                continue
            series = self._top_series(hist, n)
            top = self._set(cap, hist.years[:n], series["frontier"], max_points)
            if over is not None and self.unit != "multiplier":
                top += self._set(over, hist.years[:n], series["oversight"], max_points)
            low = self._set(low, hist.years[:n], self._lower(hist, n), max_points)
            vals += top
            low_vals += low
            if cap is self.ghost_cap:
                self._ghost_key, self._ghost_vals = key, (top, low)
        top, low = self.run_overlays.show(_extra_runs(snap), rows, self._run_series, max_points)
        vals += top + self._show_bands(self._bands(snap))
        low_vals += low + self._show_bands(self._bands(snap), lower=True)
        self._fit_y("bottom", self.bottom, low_vals)
        return vals

    def _show_hint(self, snap: Snapshot) -> None:
        show = bool(self.start_hint) and snap.live_month == 0 and not snap.playing
        self.hint.setVisible(show)
        if show:
            (x0, x1), (y0, y1) = self.top.viewRange()
            self.hint.setText(self.start_hint)
            self.hint.setFont(self.theme.font(1.3, bold=True))
            self.hint.setPos((x0 + x1) / 2, y0 + 0.62 * (y1 - y0))

    def _bands(self, snap: Snapshot) -> tuple[Band, ...]:
        return snap.bands if self.show_bands else ()

    def set_show_bands(self, on: bool) -> None:
        self.show_bands = on
        self._rebuild_legend()
        self.redraw()

    def _run_series(self, h: History, n: int) -> tuple[np.ndarray, np.ndarray]:
        return self._top_series(h, n)["frontier"], self._lower(h, n)

    def _show_bands(self, bands: tuple[Band, ...], lower: bool = False) -> list:
        """Percentile bands of the quantity each plot shows (none where none fits)."""
        if lower:
            plot, want = self.bottom, "gap" if self.lower_mode == "gap" else "progress_multiplier"
        else:
            plot = self.top
            want = "progress_multiplier" if self.unit == "multiplier" else "capability"
        chosen = [b for b in bands if b.quantity == want]
        if want == "progress_multiplier":
            return self.band_overlays.show(plot, chosen, multiplier_to_axis)
        if want == "gap" or self.unit == "oom":
            return self.band_overlays.show(plot, chosen, lambda a: a)
        from rsiviz.core.calibration import metr_horizon_at_start

        snap = self.snapshot
        assert snap is not None
        h0 = metr_horizon_at_start(float(snap.history.years[0]))
        e_h = float(np.ravel(snap.history.k.e_h)[0])
        return self.band_overlays.show(plot, chosen, lambda a: level_to_axis(self.unit, a, h0, e_h))

    def _top_series(self, h: History, rows: int) -> dict[str, np.ndarray]:
        """Top-plot series for member 0 in the current unit: frontier (T,), labs (T, L)."""
        if self.unit == "multiplier":
            return {
                "frontier": multiplier_to_axis(h.progress_multiplier()[:rows, 0]),
                "labs": multiplier_to_axis(h.progress_multiplier(lab_axis=True)[:rows, 0]),
            }
        from rsiviz.core.calibration import metr_horizon_at_start

        h0 = metr_horizon_at_start(float(h.years[0]))
        e_h = float(np.ravel(h.k.e_h)[0])

        def conv(a: np.ndarray) -> np.ndarray:
            return level_to_axis(self.unit, a, h0, e_h)

        return {
            "frontier": conv(h.capability()[:rows, 0]),
            "labs": conv(h.c[:rows, 0, :]),
            "potential": conv(h.potential()[:rows, 0]),
            "oversight": conv(h.oversight()[:rows, 0]),
        }

    def _lower(self, h: History, rows: int) -> np.ndarray:
        if self.lower_mode == "gap":
            return h.gap()[:rows, 0]
        return multiplier_to_axis(h.progress_multiplier()[:rows, 0])

    _set = staticmethod(set_curve)

    def _fit_y(self, key: str, plot: pg.PlotItem, values: list) -> None:
        """Grow-only y range in whole steps, so the axes do not jitter every frame."""
        if not values:
            return
        lo, hi = min(values), max(values)
        step = 1.0
        if key == "bottom" and self.lower_mode == "multiplier":
            lo, hi = min(lo, 0.0), max(hi, np.log10(30.0))  # 1x and the 25x milestone
            step = 0.5
        lo, hi = np.floor(lo / step - 0.25) * step, np.ceil(hi / step + 0.25) * step
        if key == "top":
            hi = self._above_labels(lo, hi, step)
        old = self._y_ranges.get(key)
        if old is not None:
            if self.draft and (lo < old[0] or hi > old[1]):
                # Growing while the run plays: leave room to grow into. Each new range
                # repaints both plots whole; in steps of one unit that was every fifth
                # frame of a fast run (a strip chart otherwise repaints a thin strip).
                room = GROW_ROOM * (max(hi, old[1]) - min(lo, old[0]))
                if hi > old[1]:
                    hi = float(np.ceil((hi + room) / step) * step)
                if lo < old[0]:
                    lo = float(np.floor((lo - room) / step) * step)
            lo, hi = min(lo, old[0]), max(hi, old[1])
        if old != (lo, hi):
            self._y_ranges[key] = (lo, hi)
            plot.setYRange(lo, hi, padding=0.0)
            self.refresh_grid()

    def _above_labels(self, lo: float, hi: float, step: float) -> float:
        """``hi`` raised (in whole steps) until the data ends below the top plot's end
        labels ("development pause ends"): their opaque backing hid the newest stretch of
        the frontier when it rose into them."""
        band = self.top_spans.band_px
        height = self.top.getViewBox().height()
        if band <= 0 or height <= 2 * band:
            return hi
        top = hi + band * (hi - lo) / (height - band)  # the data's top stays `band` below
        return float(np.ceil(top / step - 1e-9) * step)

    def refresh_grid(self) -> None:
        for grid in getattr(self, "grids", ()):  # resizeEvent comes during __init__
            grid.refresh()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        if hasattr(self, "bottom"):  # resizeEvent comes during __init__
            self._fit_year_title()
        self.refresh_grid()  # the number of ticks depends on the size

    def reset_ranges(self) -> None:
        self._y_ranges.clear()
        self.redraw()


def _extra_runs(snap: Snapshot) -> list[Run]:
    """Kept runs and cut-link runs: any number, drawn from the overlay pool."""
    return [r for r in snap.runs if r.role in ("saved", "cut")]


def _same_but_bands(old: Snapshot, new: Snapshot) -> bool:
    """``new`` shows what ``old`` showed, bands aside: the same objects (history, runs,
    parameters) and equal plain values. The fan publishes its bands as a re-sent frame;
    with the bands hidden here, redrawing it repainted both plots for nothing."""
    return all(
        f.name == "bands" or _same(getattr(old, f.name), getattr(new, f.name))
        for f in dataclasses.fields(Snapshot)
    )


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    plain = (bool, int, float, str)
    return isinstance(a, plain) and isinstance(b, plain) and a == b


def _legend_key(snap: Snapshot) -> tuple:
    """What the legend lists: labs, the other runs shown, bands."""
    runs: tuple[Run, ...] = snap.runs
    return (
        snap.lab_names,
        tuple((r.key, r.label) for r in runs),
        tuple(b.key for b in snap.bands),  # (shown or not: a cheap, stable key)
    )
