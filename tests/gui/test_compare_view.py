"""Compare runs: keep, tick (at most four), rename, delete, and the table of differences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.view_context import open_view


@pytest.fixture
def view(qtbot, controller):
    from rsiviz.gui.views.compare import CompareView

    v = open_view(qtbot, controller, CompareView, (900, 500))
    yield v
    v.ctx.jobs.shutdown()


def _cells(view) -> dict[str, list[str]]:
    t = view.table
    return {
        t.item(i, 0).text(): [t.item(i, j).text() for j in range(1, t.columnCount())]
        for i in range(t.rowCount())
    }


def test_keep_stores_the_live_run_and_its_scenario(view) -> None:
    ctl = view.ctx.controller
    ctl.run_until(2029.0)
    assert ctl.start_development_pause(months=12)
    run = view.keep_run()
    assert (run.key, run.role, run.label, run.visible) == ("saved:Run A", "saved", "Run A", True)
    assert run.scenario == ctl.current_scenario()  # the live development pause included
    fresh = ctl.current_scenario().simulation().run()
    assert run.history.length == fresh.length == ctl.sim.n_months + 1
    assert (run.history.capability() == fresh.capability()).all()
    assert view.keep_run().label == "Run B"
    assert [view.runs_list.item(i).text() for i in range(2)] == ["Run A", "Run B"]


def test_the_table_lists_what_differs_from_the_live_run(view) -> None:
    ctl = view.ctx.controller
    view.keep_run()  # Run A: the defaults
    ctl.set_param("software_returns", 2.0)
    ctl.flush()
    view.keep_run()  # Run B: returns 2
    ctl.set_param("software_returns", 1.5)
    ctl.set_param("compute_growth", 0.4)
    ctl.flush()
    cells = _cells(view)
    assert cells["software_returns"] == ["", "1.5", "1.2", "2"]
    assert cells["compute_growth"][0] == "OOM/yr"
    bold = view.table.item(0, 3).font().bold()
    assert bold  # Run A differs from the live run
    assert view.table.horizontalHeaderItem(3).text() == "Run A"


def test_at_most_four_runs_are_visible(view) -> None:
    for _ in range(5):
        view.keep_run()
    runs = view.saved_runs()
    assert [r.visible for r in runs] == [True, True, True, True, False]
    assert not view.set_visible(runs[4].key, True)
    assert "Up to 4" in view.messages[-1][1]
    assert view.set_visible(runs[0].key, False) and view.set_visible(runs[4].key, True)
    assert [r.visible for r in view.saved_runs()] == [False, True, True, True, True]
    item = view.runs_list.item(1)
    item.setCheckState(Qt.CheckState.Unchecked)  # ticking in the list does the same
    assert not view.ctx.view_state.runs[runs[1].key].visible


def test_rename_and_delete(view) -> None:
    a = view.keep_run()
    b = view.keep_run()
    view.runs_list.item(0).setText("Baseline")
    assert view.ctx.view_state.runs[a.key].label == "Baseline"
    assert not view.rename(b.key, "Baseline")  # taken
    assert view.messages[-1][0] == "error"
    assert not view.rename(b.key, "  ")
    view.delete(a.key)
    assert [r.label for r in view.saved_runs()] == ["Run B"]
    assert view.runs_list.count() == 1
    assert view.keep_run().label == "Run A"  # the free name is used again


def test_kept_runs_are_drawn_and_named_in_the_main_plot_legend(window, qtbot) -> None:
    view = window.show_views(["compare"]) or window.docks.view("compare")
    view.keep_run()
    window.controller.set_param("software_returns", 2.0)
    window.controller.flush()
    view.keep_run()
    qtbot.waitUntil(lambda: len(window.plots.run_overlays.shown) == 2, timeout=5000)
    names = [label.text for _, label in window.plots.legend.items]
    assert "Run A" in names and "Run B" in names
