"""Themes: every text on the stage reads at >= 4.5:1 (WCAG AA) against what is behind it,
the clock follows the theme, and faded curves stay visible (issue 9: "Running" black on
near-black, a cream clock face on the dark stage, faded curves that vanished)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from rsiviz.core.story import find_story
from rsiviz.gui.theme import TEXT_CONTRAST, contrast_ratio, relative_luminance

THEMES = ("projector", "dark")


def text_colours(stage) -> list[tuple[str, QColor, QColor]]:
    """(what, text colour, background) for every text of the stage as shown now."""
    bg = QColor(stage.colours.background)
    out = []
    labels = {"caption": stage.caption, "year": stage.year, "footer": stage.footer}
    labels.update({f"clock {k}": v for k, v in stage.clock.readouts.items()})
    for name, label in labels.items():
        label.ensurePolished()
        out.append((name, label.palette().color(label.foregroundRole()), bg))
    plots = stage.plots
    for plot in (plots.top, plots.bottom):
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            out.append((f"{side} ticks", axis.textPen().color(), bg))
            out.append((f"{side} title", QColor(axis.labelStyle["color"]), bg))
    for _sample, label in plots.legend.items:
        out.append(
            (
                f"legend {label.text}",
                QColor(label.opts["color"]),
                plots.legend.opts["brush"].color(),
            )
        )
    for label in plots.top_spans.labels():
        out.append(("development pause label", label.color, label.fill.color()))
    for line in plots.milestones:
        out.append((f"milestone {line.label.toPlainText()}", line.label.color, bg))
    clock = stage.clock.colours
    out.append(("STOPPED", QColor(clock.alert), QColor(clock.background)))
    return out


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_reads_at_wcag_aa(qapp, theme: str) -> None:
    from rsiviz.gui.exporters import OffscreenStage

    story = find_story("race_defection")
    off = OffscreenStage.create(story, 1024, 768, theme)
    try:
        seen = set()
        for beat in (0, 3, 5):  # running, stopped by a development pause, after it
            off.show_beat(beat)
            off.stage.set_footer("Conditional on assumptions, not a forecast")
            for name, fg, bg in text_colours(off.stage):
                ratio = contrast_ratio(fg, bg)
                assert ratio >= TEXT_CONTRAST, (
                    f"{theme} beat {beat + 1}: {name} {fg.name()} on {bg.name()} is {ratio:.2f}:1"
                )
                seen.add(name)
        assert {"clock status", "caption", "STOPPED", "development pause label"} <= seen
    finally:
        off.close()


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#D55E00", "#ffffff") < TEXT_CONTRAST  # why ALERT_TEXT is darker


@pytest.mark.parametrize("theme", THEMES)
def test_clock_and_faded_curves_follow_the_theme(qapp, theme: str) -> None:
    from rsiviz.gui.exporters import OffscreenStage

    off = OffscreenStage.create(find_story("race_defection"), 1024, 768, theme)
    try:
        off.show_beat(1)  # highlights capability: every other curve is faded
        stage = off.stage
        bg = stage.colours.background
        face = stage.clock.face.colours
        dark = theme == "dark"
        assert (relative_luminance(face.face) < 0.2) == dark  # no cream dial on a dark stage
        assert contrast_ratio(face.ink, face.face) >= 3.0  # marks and rim on the dial
        plots = stage.plots
        faded = [plots.low, plots.potential, plots.oversight, *plots.labs[:3]]
        for curve in faded:
            colour = curve.opts["pen"].color()
            assert colour.alpha() == 255  # blended, not translucent
            assert contrast_ratio(colour, bg) >= 1.8, f"{theme}: faded {colour.name()} vanishes"
        assert contrast_ratio(plots.frontier.opts["pen"].color(), bg) >= 3.0
    finally:
        off.close()


def test_capability_and_potential_differ_in_greyscale(qapp) -> None:
    from rsiviz.gui.plots import Plots
    from rsiviz.gui.theme import Theme

    plots = Plots(Theme())
    cap, pot = plots.frontier.opts["pen"], plots.potential.opts["pen"]
    assert (cap.color().name(), cap.style()) != (pot.color().name(), pot.style())
    assert cap.style() != pot.style()  # a dash survives greyscale printing; a hue does not
