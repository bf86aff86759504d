"""Stage looks: the projector theme (light, high contrast), the dark theme, and the
highlighted curve of a story beat.

Applied after :meth:`Plots.apply_theme`, which sets the everyday look; everything here only
re-colours and re-weights pens, so it can be re-applied at any time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFontMetricsF, QPen

from rsiviz.gui.clock import ClockColours
from rsiviz.gui.plots import Plots
from rsiviz.gui.theme import ALERT_TEXT, OKABE_ITO, blend

STAGE_SCALE = 1.5  # fonts and lines on stage, relative to the window at 1920 px wide
HIGHLIGHT_WIDTH = 1.8  # the highlighted curve, relative to its usual width
# The other curves while one is highlighted: this far towards the background (less on
# the dark stage, where dim colours are already close to it).
FADE = {"projector": 0.5, "dark": 0.35}


@dataclass(frozen=True)
class StageColours:
    """Every colour of the stage in one theme; each text colour reads at >= 4.5:1 on
    ``background`` (checked by tests/gui/test_layout_theme.py)."""

    name: str
    background: str
    foreground: str
    pause_fill: str
    grid: str
    caption: str
    alert: str  # development pause labels, the stopped clock
    clock_face: str
    clock_face_stopped: str
    clock_ink: str
    # Curve roles whose colour changes (dark blue vanishes on a black background).
    curves: dict[str, str]

    def clock(self) -> ClockColours:
        return ClockColours(
            background=self.background,
            text=self.foreground,
            face=self.clock_face,
            face_stopped=self.clock_face_stopped,
            ink=self.clock_ink,
            hand=self.curves.get("capability", OKABE_ITO["blue"]),
            alert=self.alert,
        )


PROJECTOR = StageColours(
    "projector",
    background="#ffffff",
    foreground="#000000",
    pause_fill="#f8e3d6",
    grid="#c8c8c8",
    caption="#000000",
    alert=ALERT_TEXT,
    clock_face="#fdfaf2",
    clock_face_stopped="#fbe3d6",
    clock_ink="#222222",
    curves={"counterfactual": "#333333", "ghost": "#888888"},
)
DARK = StageColours(
    "dark",
    background="#0d1117",
    foreground="#f2f2f2",
    pause_fill="#3d2618",
    grid="#3a3f47",
    caption="#ffffff",
    alert="#ff8a3d",
    clock_face="#1c2230",
    clock_face_stopped="#3d2618",
    clock_ink="#d0d0d0",
    curves={
        "capability": "#f5f5f5",
        "potential": "#9ecae1",
        "oversight": "#2fd39b",
        "counterfactual": "#c0c0c0",
        "counterfactual_oversight": "#5fb89a",
        "ghost": "#8b949e",
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


def _recolour(
    pen: QPen, colour: str | None, fade_to: str | None, width: float, fade: float = 0.5
) -> QPen:
    """``pen`` in ``colour`` (None: its own), blended ``fade`` towards ``fade_to`` if given."""
    pen = QPen(pen)
    c = QColor(colour) if colour else QColor(pen.color())
    c.setAlpha(255)  # translucent curves vanish on a dark stage: fade by blending instead
    if fade_to is not None:
        c = blend(c, fade_to, fade)
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
        grid.set_colour(colours.grid)
    for marks in (plots.top_spans, plots.bottom_spans):
        marks.set_fill(colours.pause_fill)
    plots.top_spans.set_colours(colours.alert, colours.background)
    plots.legend.setBrush(pg.mkBrush(colours.background))
    plots.legend.setLabelTextColor(fg)
    for _sample, label in plots.legend.items:
        label.setText(label.text, color=fg)
    for line in plots.milestones:  # over the curves, on an opaque backing
        line.setZValue(5)
        line.label.setColor(fg)
        line.label.fill = pg.mkBrush(colours.background)
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
    roles[plots.cf_over] = "counterfactual_oversight"
    items = [*roles, *plots.labs]
    for item in items:
        colour = colours.curves.get(roles.get(item, ""))
        if highlight == "none" or not chosen:
            item.setPen(_recolour(item.opts["pen"], colour, None, 1.0))
        elif item in chosen:
            item.setPen(_recolour(item.opts["pen"], colour, None, HIGHLIGHT_WIDTH))
        else:
            faded = _recolour(item.opts["pen"], colour, colours.background, 1.0, FADE[colours.name])
            item.setPen(faded)
    fill = QColor(colours.curves.get("potential", OKABE_ITO["blue"]))
    fill.setAlpha(55 if highlight in ("none", "potential") else 25)
    plots.overhang.setBrush(pg.mkBrush(fill))


def fit_axis_titles(plots: Plots, colours: StageColours) -> None:
    """The left-axis titles fitted to the plots' heights, in the stage's colour."""
    plots.title_colour = colours.foreground
    plots.fit_axis_titles()


def fix_year_axis(plots: Plots) -> None:
    """Room under the lower plot for the years and the "Year" title at any font size.

    pyqtgraph grows an axis for its tick text only after painting it once, so on a
    freshly scaled stage the title sat on the years.
    """
    axis = plots.bottom.getAxis("bottom")
    offset = axis.style["tickTextOffset"]
    offset = offset[1] if isinstance(offset, (list, tuple)) else offset
    title = axis.label.boundingRect().height() if axis.label is not None else 0.0
    ticks = QFontMetricsF(axis.style["tickFont"]).height()
    axis.setHeight(int(abs(axis.style["tickLength"]) + offset + ticks + title + 4))
