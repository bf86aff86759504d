"""Bands and extra runs of the view state on the main plots."""

from __future__ import annotations

import numpy as np


def _band(window, quantity="capability"):
    from rsiviz.core.viewstate import Band

    years = window.controller.sim.history.years
    base = np.linspace(0.0, 10.0, years.size)
    levels = {q: base + (q - 50.0) / 25.0 for q in (5.0, 25.0, 50.0, 75.0, 95.0)}
    return Band(f"test:{quantity}", "Median of 10 runs", quantity, years, levels, 10, 0)


def test_bands_show_on_the_main_plots_only_when_asked(window, qtbot) -> None:
    window.view_state.set_band(_band(window))
    qtbot.wait(20)  # the frame that a view-state change schedules
    assert not any(i.median.isVisible() for i in window.plots.band_overlays.items.values())
    window.actions.show_bands.trigger()
    items = [i for i in window.plots.band_overlays.items.values() if i.median.isVisible()]
    assert len(items) == 1
    x, y = items[0].median.getData()
    np.testing.assert_allclose(y, np.linspace(0.0, 10.0, x.size))
    legend = [label.text for _, label in window.plots.legend.items]
    assert "Median of 10 runs" in legend
    window.view_state.remove_band("test:capability")
    qtbot.wait(20)
    assert not any(i.median.isVisible() for i in window.plots.band_overlays.items.values())


def test_kept_and_cut_runs_are_drawn_with_their_labels(window, qtbot) -> None:
    from rsiviz.core.viewstate import Run

    sc = window.controller.current_scenario()
    for key, role in (("saved:Run A", "saved"), ("cut:automation", "cut")):
        run = Run(key, role, key.split(":")[1], sc.simulation().run(), sc)
        window.view_state.set_run(run)
    window.controller.advance(24)
    shown = window.plots.run_overlays.shown
    assert [r.key for r in shown] == ["saved:Run A", "cut:automation"]
    saved, cut = (window.plots.run_overlays.curves[r.key] for r in shown)
    assert saved.top.isVisible() and cut.top.isVisible()
    assert (
        saved.top.getData()[0].size > cut.top.getData()[0].size
    )  # a cut run follows the live month
    labels = [label.text for _, label in window.plots.legend.items]
    assert "Run A" in labels and "automation" in labels
    window.view_state.set_visible("saved:Run A", False)
    qtbot.wait(20)
    assert not saved.top.isVisible()
