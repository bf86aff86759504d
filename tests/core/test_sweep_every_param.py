"""Every numeric parameter of ``rsiviz params`` sweeps right: each point equals a single run.

Before the fix ``start_year``, ``years`` and ``oversight_start`` were passed to the
simulation as member overrides that it never reads, so a sweep over them printed the same
value on every row.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rsiviz.core.ensemble import MAX_RUN_GROUPS, MAX_SWEEP_CELLS, METRICS, sweep
from rsiviz.core.params import ParameterError, param_specs
from rsiviz.core.scenario import Scenario, load_preset

LEVEL = 3.0
CHECKED = ("final_capability", "peak_gap", "year_capability_reaches", "peak_progress_multiplier")
NUMERIC = [s for s in param_specs() if not s.is_choice]


def _base() -> Scenario:
    """Three labs, a development pause with defection: every parameter has an effect."""
    race = load_preset("race_one_lab_defects")
    return replace(race, params=race.params.replace(years=6.0))


def _points(name: str) -> np.ndarray:
    """Three values inside the range (20%, 50%, 80%; geometric for log-scale parameters)."""
    spec = next(s for s in NUMERIC if s.name == name)
    assert spec.low is not None and spec.high is not None
    u = np.array([0.2, 0.5, 0.8])
    if spec.log_scale and spec.low > 0:
        return np.asarray(spec.low * (spec.high / spec.low) ** u)
    return np.asarray(spec.low + (spec.high - spec.low) * u)


def _single(sc: Scenario, changes: dict[str, float], metric: str) -> float:
    one = replace(sc, params=sc.params.replace(**changes))
    return float(METRICS[metric][1](one.simulation().run(), LEVEL)[0])


def test_every_numeric_parameter_is_listed() -> None:
    assert {"start_year", "years", "oversight_start", "software_returns"} <= {
        s.name for s in NUMERIC
    }
    assert len(NUMERIC) == len(param_specs()) - 1  # all but release_mode


@pytest.mark.parametrize("name", [s.name for s in NUMERIC])
def test_sweep_point_equals_single_run(name: str) -> None:
    sc = _base()
    xs = _points(name)
    runs = [
        replace(sc, params=sc.params.replace(**{name: float(x)})).simulation().run() for x in xs
    ]
    for metric in CHECKED:
        swept = sweep(sc, (name, xs), metric, level=LEVEL)
        single = [float(METRICS[metric][1](h, LEVEL)[0]) for h in runs]
        np.testing.assert_allclose(
            swept, single, rtol=1e-7, atol=1e-9, equal_nan=True, err_msg=f"{name}, {metric}"
        )


def test_start_year_sweep_moves_with_the_start() -> None:
    """The reported case: every row printed 2028.17."""
    sc = load_preset("status_quo")
    years = sweep(
        sc, ("start_year", np.array([2020.0, 2030.0, 2040.0])), "year_capability_reaches", None, 5
    )
    assert np.all(np.diff(years) > 9.9)


def test_two_dimensional_sweep_over_run_shape_parameters() -> None:
    sc = _base()
    xs, ys = np.array([3.0, 5.0]), np.array([2024.0, 2030.0, 2036.0])
    grid = sweep(sc, ("years", xs), "final_capability", ("start_year", ys))
    assert grid.shape == (3, 2)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            expected = _single(sc, {"years": float(x), "start_year": float(y)}, "final_capability")
            assert grid[j, i] == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_mixed_sweep_varies_members_within_each_group() -> None:
    sc = _base()
    xs, ys = np.array([0.8, 2.0]), np.array([2.0, 4.0])
    grid = sweep(sc, ("software_returns", xs), "peak_gap", ("years", ys))
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            expected = _single(sc, {"software_returns": float(x), "years": float(y)}, "peak_gap")
            assert grid[j, i] == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_too_many_cells_are_refused_before_any_run() -> None:
    n = int(MAX_SWEEP_CELLS**0.5) + 1
    with pytest.raises(ParameterError, match="sweep cells, more than the limit"):
        sweep(
            _base(),
            ("software_returns", np.linspace(0.5, 2, n)),
            "peak_gap",
            ("parallel_returns", np.linspace(0.2, 0.5, n)),
        )


def test_too_many_separate_runs_are_refused_before_any_run() -> None:
    n = int(MAX_RUN_GROUPS**0.5) + 1
    with pytest.raises(ParameterError, match="separate runs, more than the limit"):
        sweep(
            _base(),
            ("years", np.linspace(2, 10, n)),
            "peak_gap",
            ("start_year", np.linspace(2020, 2040, n)),
        )
