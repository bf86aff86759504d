"""The sweep map view: same values as the CLI, progress, click to load, exports."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.gui.view_context import open_view


@pytest.fixture
def view(qtbot, controller):
    from rsiviz.gui.views.sweep import SweepView

    v = open_view(qtbot, controller, SweepView, (1000, 700))
    yield v
    v.ctx.jobs.shutdown()


def _small_grid(view, nx: int = 5, ny: int = 4) -> None:
    view.x_axis.set_param("software_returns")
    view.x_axis.low.setValue(0.4)
    view.x_axis.high.setValue(3.0)
    view.x_axis.n.setValue(nx)
    view.y_axis.set_param("automation_span")
    view.y_axis.low.setValue(1.0)
    view.y_axis.high.setValue(8.0)
    view.y_axis.n.setValue(ny)
    view.metric_box.setCurrentIndex(view.metric_box.findData("year_capability_reaches"))
    view.level_box.setValue(14.0)
    view.recompute()
    assert view.ctx.jobs.wait_idle(60)


def test_a_cell_equals_the_cli_at_the_same_grid(view) -> None:
    _small_grid(view)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rsiviz",
            "sweep",
            "--x",
            "software_returns=0.4:3:5",
            "--y",
            "automation_span=1:8:4",
            "--metric",
            "year_capability_reaches",
            "--level",
            "14",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    cli = np.array([float(r["year_capability_reaches"] or "nan") for r in rows]).reshape(4, 5)
    got = view.result.values
    assert got.shape == (4, 5)
    # the CLI prints 6 significant digits: equal at that precision, never-reached alike
    np.testing.assert_array_equal(np.isnan(got), np.isnan(cli))
    np.testing.assert_allclose(got, cli, rtol=5e-6, equal_nan=True)
    assert np.isnan(got).any() and np.isfinite(got).any()  # both kinds of cell are covered
    np.testing.assert_array_equal(view.plot.image.image, got)  # what is drawn is that array
    assert view.plot.nan_rect.isVisible()  # "never reached" cells show the hatch
    boundary = view.plot.isocurves[0][0].getData()[0]
    assert np.unique(view.result.regime).size > 1 and boundary.size > 0
    assert view.progress.value() == view.progress.maximum() == 20


def test_progress_is_reported_between_chunks(view) -> None:
    seen: list[tuple[int, int]] = []
    view.ctx.jobs.progress.connect(lambda key, d, t: seen.append((d, t)))
    view.x_axis.n.setValue(60)
    view.y_axis.n.setValue(60)
    view.recompute()
    assert view.ctx.jobs.wait_idle(60)
    assert seen[0] == (0, 3600) and seen[-1] == (3600, 3600) and len(seen) >= 3


def test_clicking_a_cell_loads_it_into_the_live_run(view, qtbot) -> None:
    _small_grid(view)
    ctl = view.ctx.controller
    view.plot.cell_clicked.emit(3, 2)
    ctl.flush()
    p = ctl.scenario.params
    assert p.software_returns == view.result.xs[3] and p.automation_span == view.result.ys[2]
    assert view.messages[-1][0] == "info"
    view.plot.cell_clicked.emit(1, 1)  # a second click soon after: its own undo step
    ctl.flush()
    assert ctl.undo() and ctl.scenario.params.software_returns == view.result.xs[3]
    assert ctl.undo() and ctl.scenario.params == type(p)()  # one step per click
    assert ctl.redo() and ctl.scenario.params == p
    from rsiviz.gui.views.sweep_plot import is_log

    assert is_log("software_returns") and not is_log("automation_span")
    xy = view.plot.marker.getData()  # the marker follows the live parameters, log10 on x
    assert xy[0][0] == pytest.approx(np.log10(view.result.xs[3]))
    assert xy[1][0] == pytest.approx(view.result.ys[2])


def test_cell_under_the_mouse_maps_back_to_its_index(view) -> None:
    _small_grid(view)
    vb = view.plot.plot.vb
    r = view.result
    from PySide6.QtCore import QPointF

    from rsiviz.gui.views.sweep_plot import to_axis

    for i, j in ((4, 1), (0, 0), (2, 3)):
        x = to_axis(r.x_name, r.xs[i : i + 1])[0]
        y = to_axis(r.y_name, r.ys[j : j + 1])[0]
        assert view.plot.cell_at(vb.mapViewToScene(QPointF(x, y))) == (i, j)
    assert view.plot.cell_at(vb.mapViewToScene(QPointF(-50.0, -50.0))) == (-1, -1)


def test_exports_png_and_csv(view, tmp_path: Path) -> None:
    _small_grid(view)
    png, table = tmp_path / "map.png", tmp_path / "map.csv"
    assert view.export_png(str(png)) and png.read_bytes()[:4] == b"\x89PNG"
    assert view.export_csv(str(table))
    text = table.read_text()
    assert "not a forecast" in text and "year_capability_reaches at level 14 OOM" in text
    assert len([ln for ln in text.splitlines() if not ln.startswith("#")]) == 1 + 20
    assert not view.export_csv(str(tmp_path / "missing" / "x.csv"))
    assert view.messages[-1][0] == "error"


def test_the_same_parameter_twice_is_refused_in_words(view) -> None:
    view.y_axis.set_param("software_returns")
    view.recompute()
    assert "two different parameters" in view.status.text()


def test_a_real_mouse_click_on_a_cell_loads_it(view, qtbot) -> None:
    from PySide6.QtCore import QPointF, Qt

    from rsiviz.gui.views.sweep_plot import to_axis

    _small_grid(view)
    r = view.result
    vb = view.plot.plot.vb
    x = to_axis(r.x_name, r.xs[2:3])[0]
    y = to_axis(r.y_name, r.ys[1:2])[0]
    pos = view.plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    view.ctx.controller.flush()
    params = view.ctx.controller.scenario.params
    assert (params.software_returns, params.automation_span) == (r.xs[2], r.ys[1])


def test_hovering_reads_the_cell_value_and_regime(view) -> None:
    _small_grid(view)
    r = view.result
    j, i = np.argwhere(np.isnan(r.values))[0]
    view.plot.cell_hovered.emit(int(i), int(j))
    assert "never reached" in view.readout.text()
    j, i = np.argwhere(np.isfinite(r.values))[0]
    view.plot.cell_hovered.emit(int(i), int(j))
    text = view.readout.text()
    assert f"{r.values[j, i]:.4g}" in text and f"{r.xs[i]:.4g}" in text
    assert any(name in text for name in ("fizzle", "accelerating", "explosion"))
