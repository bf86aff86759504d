"""The sweep map: chunked values equal the core sweep (and the CLI), progress, regimes, CSV."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io

import numpy as np
import pytest

from rsiviz.cli.main import run_cli
from rsiviz.core.ensemble import grid_values, sweep
from rsiviz.core.params import ParameterError
from rsiviz.core.regime import (
    ACCELERATING,
    EXPLOSION,
    EXPLOSION_YEARS,
    FIZZLE,
    FIZZLE_MULTIPLIER,
    regime,
    years_of_progress_in_window,
)
from rsiviz.core.scenario import Scenario, load_preset
from rsiviz.core.sweepmap import sweep_map, sweep_map_csv

X = ("software_returns", grid_values("software_returns", 0.4, 3.6, 6))
Y = ("full_automation_speedup", grid_values("full_automation_speedup", 2.0, 32.0, 5))


@pytest.mark.parametrize("chunk", [1, 7, 13])
def test_chunking_never_changes_the_values(chunk: int) -> None:
    sc = load_preset("pause_2028_instant")
    whole = sweep(sc, X, "year_capability_reaches", Y, 6.0)
    got = sweep_map(sc, X, Y, "year_capability_reaches", 6.0, chunk_cells=chunk)
    assert got.values.shape == (5, 6)
    np.testing.assert_array_equal(got.values, whole)  # bit for bit, NaN where never
    one_block = sweep_map(sc, X, Y, "year_capability_reaches", 6.0, chunk_cells=10_000)
    np.testing.assert_array_equal(got.regime, one_block.regime)


def test_a_single_column_is_never_split_into_one_member_runs() -> None:
    x = ("software_returns", np.array([1.7]))
    y = ("automation_span", grid_values("automation_span", 1.0, 8.0, 5))
    whole = sweep(Scenario(), x, "peak_gap", y)
    np.testing.assert_array_equal(
        sweep_map(Scenario(), x, y, "peak_gap", chunk_cells=1).values, whole
    )


def test_progress_runs_from_zero_to_all_cells_and_can_cancel() -> None:
    calls: list[tuple[int, int]] = []
    sweep_map(
        Scenario(), X, Y, "peak_gap", progress=lambda d, t: calls.append((d, t)), chunk_cells=12
    )
    assert calls[0] == (0, 30) and calls[-1] == (30, 30)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) == 4

    class StopError(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done:
            raise StopError

    with pytest.raises(StopError):
        sweep_map(Scenario(), X, Y, "peak_gap", progress=cancel, chunk_cells=12)


def test_the_cli_prints_the_same_grid() -> None:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = run_cli(
            [
                "sweep",
                "--x",
                "software_returns=0.4:3.6:6",
                "--y",
                "full_automation_speedup=2:32:5",
                "--metric",
                "peak_progress_multiplier",
            ]
        )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    cli = np.array([float(r["peak_progress_multiplier"]) for r in rows]).reshape(5, 6)
    # the CLI prints 6 significant digits: the grids agree at that precision
    np.testing.assert_allclose(
        sweep_map(Scenario(), X, Y, "peak_progress_multiplier").values, cli, rtol=5e-6
    )


def test_years_get_a_run_of_their_own_per_value() -> None:
    y = ("years", np.array([3.0, 6.0, 12.0]))
    got = sweep_map(Scenario(), X, y, "final_capability")
    for j, years in enumerate(y[1]):
        sc = dataclasses.replace(Scenario(), params=Scenario().params.replace(years=years))
        np.testing.assert_array_equal(got.values[j], sweep(sc, X, "final_capability"))
    assert got.values[0, 3] < got.values[1, 3] < got.values[2, 3]  # longer runs grow further


def test_regime_follows_its_definition_member_by_member() -> None:
    gx, gy = np.meshgrid(X[1], Y[1])
    hist = Scenario().simulation(overrides={X[0]: gx.ravel(), Y[0]: gy.ravel()}).run()
    reg = regime(hist)
    peak = hist.progress_multiplier().max(axis=0)
    years = years_of_progress_in_window(hist)
    np.testing.assert_array_equal(reg == EXPLOSION, years >= EXPLOSION_YEARS)
    np.testing.assert_array_equal(reg == FIZZLE, peak <= FIZZLE_MULTIPLIER)
    assert {FIZZLE, ACCELERATING, EXPLOSION} <= set(reg.tolist())  # the grid spans all three
    # The window count is the software gain over 12 months at the historical pace.
    s = hist.s[: hist.length, 0, 0]
    g = Scenario().params.software_pace
    assert years[0] == pytest.approx(max(s[i + 12] - s[i] for i in range(len(s) - 12)) / g)


def test_low_returns_fizzle_and_the_default_explodes() -> None:
    slow = dataclasses.replace(Scenario(), params=Scenario().params.replace(software_returns=0.4))
    assert regime(slow.simulation().run())[0] == FIZZLE
    assert regime(Scenario().simulation().run())[0] == EXPLOSION


def test_bad_axes_raise_one_clear_error() -> None:
    with pytest.raises(ParameterError, match="must differ"):
        sweep_map(Scenario(), X, X, "peak_gap")
    with pytest.raises(ParameterError, match="unknown metric"):
        sweep_map(Scenario(), X, Y, "nonsense")


def test_csv_names_axes_metric_level_units_and_says_not_a_forecast() -> None:
    result = sweep_map(Scenario(), X, Y, "year_capability_reaches", 14.0)
    text = sweep_map_csv(result, "Default")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert "year_capability_reaches at level 14 OOM (year)" in head[0]
    assert "full_automation_speedup (x)" in head[1]
    assert any("not a forecast" in line for line in head)
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(rows) == 30
    assert list(rows[0]) == [
        "software_returns",
        "full_automation_speedup",
        "year_capability_reaches",
        "regime",
    ]
    flat = result.values.ravel()
    assert [r["year_capability_reaches"] == "" for r in rows] == np.isnan(flat).tolist()
    assert np.isnan(flat).any()  # some cells never reach 14 OOM: blank, not a number
    for r, v in zip(rows, flat, strict=True):
        if r["year_capability_reaches"]:
            assert float(r["year_capability_reaches"]) == pytest.approx(v, rel=1e-5)


def test_boundary_segments_follow_cell_edges_between_regimes() -> None:
    from rsiviz.core.sweepmap import boundary_segments

    field = np.array([[0.0, 0.0, 2.0], [0.0, 2.0, 2.0]])  # (ny=2, nx=3)
    x, y = boundary_segments(field, 1.5)
    segments = {((x[k], y[k]), (x[k + 1], y[k + 1])) for k in range(0, x.size, 2)}
    assert segments == {
        ((2.0, 0.0), (2.0, 1.0)),  # row 0: between columns 1 and 2
        ((1.0, 1.0), (1.0, 2.0)),  # row 1: between columns 0 and 1
        ((1.0, 1.0), (2.0, 1.0)),  # column 1: between rows 0 and 1
    }
    assert boundary_segments(np.zeros((3, 3)), 0.5)[0].size == 0
