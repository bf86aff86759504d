"""Stage looks: the projector theme (light, high contrast), the dark theme, and the
highlighted curve of a story beat.

Applied after :meth:`Plots.apply_theme`, which sets the everyday look; everything here only
re-colours and re-weights pens, so it can be re-applied at any time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from rsiviz.gui.plots import Plots
from rsiviz.gui.theme import OKABE_ITO

STAGE_SCALE = 1.5  # fonts and lines on stage, relative to the window at 1920 px wide
HIGHLIGHT_WIDTH = 1.8  # the highlighted curve, relative to its usual width
FADED_ALPHA = 110  # the other curves while one is highlighted


@dataclass(frozen=True)
class StageColours:
    name: str
    background: str
    foreground: str
    pause_fill: str
    grid: str
    legend: str
    caption: str
    # Curve roles whose colour changes (dark blue vanishes on a black background).
    curves: dict[str, str]


PROJECTOR = StageColours(
    "projector",
    "#ffffff",
    "#000000",
    "#f8e3d6",
    "#c8c8c8",
    "#ffffffe6",
    "#000000",
    {"counterfactual": "#333333"},
)
DARK = StageColours(
    "dark",
    "#0d1117",
    "#f2f2f2",
    "#3d2618",
    "#3a3f47",
    "#0d1117e6",
    "#ffffff",
    {
        "capability": "#f5f5f5",
        "potential": "#9ecae1",
        "oversight": "#2fd39b",
        "counterfactual": "#c0c0c0",
        "ghost": "#777777",
        "gap": "#ff8a3d",
        "multiplier": "#e59bd0",
    },
)
THEMES = {"projector": PROJECTOR, "dark": DARK}


def curve_roles(plots: Plots) -> dict[str, list[pg.PlotCurveItem]]:
    """Story curve names -> the plot items they mean."""
    return {
        "capability": [plots.frontier, *plots.labs],
        "potential": [plots.potential, plots.overhang],
        "oversight": [plots.oversight, plots.cf_over],
        "counterfactual": [plots.cf_cap, plots.cf_low, plots.cf_over],
        "lower": [plots.low],
    }


def _recolour(pen: QPen, colour: str | None, alpha: int | None, width: float) -> QPen:
    pen = QPen(pen)
    c = QColor(colour) if colour else QColor(pen.color())
    if alpha is not None:
        c.setAlpha(min(c.alpha(), alpha))
    pen.setColor(c)
    pen.setWidthF(pen.widthF() * width)
    return pen


def apply_stage_style(plots: Plots, colours: StageColours, highlight: str = "none") -> None:
    """Colours of ``colours`` on every plot part; ``highlight`` thick, the rest faded."""
    plots.setBackground(colours.background)
    fg = colours.foreground
    for plot in (plots.top, plots.bottom):
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(fg, width=axis.pen().widthF()))
            axis.setTextPen(fg)
            if axis.label is not None:
                html = axis.labelString()
                axis.label.setHtml(html.replace("color: #111", f"color: {fg}"))
    for grid in plots.grids:
        for line in grid.lines:
            line.setPen(pg.mkPen(colours.grid, width=line.pen.widthF()))
    for marks in (plots.top_spans, plots.bottom_spans):
        for region in marks.regions:
            region.setBrush(pg.mkBrush(colours.pause_fill))
    for i, end in enumerate(plots.top_spans.ends):
        label = getattr(end, "label", None)
        if label is not None:  # right of its line, alternate heights: two never overlap
            label.anchors = [(0, 0), (0, 0)]
            label.orthoPos = 0.97 - 0.07 * (i % 2)
            label.setAnchor((0, 0))
            label.updatePosition()
    plots.legend.setBrush(pg.mkBrush(colours.legend))
    plots.legend.setLabelTextColor(fg)
    for _sample, label in plots.legend.items:
        label.setText(label.text, color=fg)
    for line in plots.milestones:
        line.label.setColor(fg)
    roles = {
        plots.frontier: "capability",
        plots.potential: "potential",
        plots.oversight: "oversight",
        plots.cf_cap: "counterfactual",
        plots.cf_low: "counterfactual",
        plots.ghost_cap: "ghost",
        plots.ghost_low: "ghost",
        plots.low: "gap" if plots.lower_mode == "gap" else "multiplier",
    }
    chosen = set(curve_roles(plots).get(highlight, []))
    items = [*roles, *plots.labs, plots.cf_over]
    for item in items:
        colour = colours.curves.get(roles.get(item, ""))
        if highlight == "none" or not chosen:
            item.setPen(_recolour(item.opts["pen"], colour, None, 1.0))
        elif item in chosen:
            item.setPen(_recolour(item.opts["pen"], colour, None, HIGHLIGHT_WIDTH))
        else:
            item.setPen(_recolour(item.opts["pen"], colour, FADED_ALPHA, 1.0))
    fill = QColor(colours.curves.get("potential", OKABE_ITO["blue"]))
    fill.setAlpha(55 if highlight in ("none", "potential") else 25)
    plots.overhang.setBrush(pg.mkBrush(fill))
