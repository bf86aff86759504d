"""The run comparison lists exactly what differs: parameters, development pauses, labs."""

from __future__ import annotations

import dataclasses

from rsiviz.core.compare import NONE, diff_runs, pause_changes
from rsiviz.core.interventions import DevelopmentPause, Lab
from rsiviz.core.scenario import Scenario, load_preset

BASE = Scenario()


def _with(**params: float) -> Scenario:
    return dataclasses.replace(BASE, params=BASE.params.replace(**params))


def test_identical_runs_have_no_differences() -> None:
    assert diff_runs([BASE, Scenario()]) == []
    assert diff_runs([BASE]) == []


def test_differing_parameters_are_listed_with_units_and_values() -> None:
    rows = diff_runs([BASE, _with(software_returns=2.0), BASE])
    assert [(r.section, r.name) for r in rows] == [("parameter", "software_returns")]
    row = rows[0]
    assert row.values == ("1.2", "2", "1.2") and row.change == ("changed", "")
    assert row.unit == ""  # a dimensionless exponent
    unit_row = diff_runs([BASE, _with(compute_growth=0.3)])[0]
    assert unit_row.unit == "OOM/yr"


def test_pauses_added_removed_and_changed() -> None:
    a = DevelopmentPause.at(2028.0, months=24)
    b = DevelopmentPause.at(2028.0, months=36, release="gradual")
    c = DevelopmentPause.at(2030.5, months=12)
    kinds = [(ch.kind, ch.before, ch.after) for ch in pause_changes((a, c), (b,))]
    assert kinds == [("changed", a, b), ("removed", c, None)]
    assert [ch.kind for ch in pause_changes((), (a,))] == ["added"]
    assert pause_changes((a,), (a,)) == []


def test_pause_rows_show_each_run_and_how_it_changed() -> None:
    a = DevelopmentPause.at(2028.0, months=24)
    b = DevelopmentPause.at(2028.0, months=36, release="gradual")
    cond = DevelopmentPause(trigger="condition", metric="gap", threshold=2.0)
    runs = [
        dataclasses.replace(BASE, pauses=(a,)),
        dataclasses.replace(BASE, pauses=(b, cond)),
        dataclasses.replace(BASE, pauses=()),
    ]
    rows = diff_runs(runs)
    assert [r.section for r in rows] == ["development pause"] * 2
    first, second = rows
    assert first.name == "development pause from 2028.00"
    assert first.values[0].startswith("24 months") and "gradual" in first.values[1]
    assert first.values[2] == NONE and first.change == ("changed", "removed")
    assert second.name == "development pause when gap >= 2"
    assert second.values[0] == NONE and second.change == ("added", "")


def test_labs_and_seed_differences() -> None:
    race = load_preset("race_one_lab_defects")
    other = dataclasses.replace(
        race, labs=race.labs[:2] + (Lab("Lab C", -0.6, -0.4, True),), seed=3
    )
    rows = {(r.section, r.name): r for r in diff_runs([race, other])}
    lab = rows[("lab", "Lab C")]
    assert lab.values[0].endswith("does not comply") and lab.values[1].endswith("complies")
    assert lab.change == ("changed",)
    assert rows[("seed", "seed")].values == ("0", "3")
    assert ("lab", "Lab A") not in rows
    single = diff_runs([BASE, race])
    assert ("lab", "Frontier lab") in {(r.section, r.name) for r in single}
    assert next(r for r in single if r.name == "Lab B").change == ("added",)
