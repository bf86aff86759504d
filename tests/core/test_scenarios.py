"""Scenario files: presets, round trips and one clear message per broken file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rsiviz.core.params import Params, param_specs
from rsiviz.core.scenario import (
    ScenarioError,
    list_presets,
    load_preset,
    load_scenario,
    save_scenario,
)


def test_presets_load_run_and_round_trip(tmp_path: Path) -> None:
    names = list_presets()
    assert len(names) >= 4
    for name in names:
        sc = load_preset(name)
        assert sc.description
        sim = sc.simulation()
        sim.step(3)
        path = tmp_path / f"{name}.toml"
        save_scenario(sc, path)
        assert load_scenario(path) == sc


BROKEN = [
    ("x = [", "not valid TOML"),
    ("[params]\nnot_a_param = 1", "unknown key params.not_a_param"),
    ("colour = 'red'", "unknown key colour"),
    ('[params]\nsoftware_returns = "high"', "software_returns = 'high' must be a number"),
    ("[params]\nsoftware_returns = 99.0", "software_returns = 99.0 is out of range"),
    ("[params]\nsoftware_returns = nan", "software_returns = nan is out of range"),
    ("[params]\nrelease_mode = 'sometimes'", "release_mode = 'sometimes' is not allowed"),
    ("seed = -1", "seed = -1 is out of range"),
    ("[[pauses]]\nmonths = 'long'", "pauses[0].months = 'long' must be a number"),
    ("[[pauses]]\nwhen = 2028", "unknown key pauses[0].when"),
    ("[[labs]]\nname = 'A'\ncompute_offset = 3.0", "labs[0].compute_offset = 3.0 is out of range"),
    ("[[pauses]]\ncompliance = ['Ghost lab']", "unknown lab 'Ghost lab'"),
    ("params = 3", "params must be a table"),
]


@pytest.mark.parametrize("text,message", BROKEN)
def test_broken_files_name_file_field_value_and_range(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg and message in msg
    assert "\n" not in msg


def test_missing_file_and_unknown_preset(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.toml")
    with pytest.raises(ScenarioError, match="no preset named 'nope'"):
        load_preset("nope")


def test_failed_save_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.toml"
    save_scenario(load_preset("status_quo"), path)
    before = path.read_text()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)  # the temporary cannot be made durable
    with pytest.raises(OSError):
        save_scenario(load_preset("slow_takeoff"), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]  # no temporary left


def test_parameter_table_is_complete() -> None:
    specs = {s.name: s for s in param_specs()}
    model_md = [
        "start_year",
        "years",
        "compute_growth",
        "compute_ceiling",
        "software_pace",
        "software_returns",
        "parallel_returns",
        "full_automation_speedup",
        "software_ceiling",
        "automation_now",
        "automation_span",
        "oversight_pace",
        "oversight_share",
        "pause_oversight_boost",
        "pause_research_fraction",
        "pause_compute_fraction",
        "release_mode",
        "release_rate",
        "metr_exponent",
        "diffusion_rate",
        "defection_threshold",
    ]
    assert set(model_md) <= set(specs)
    for s in specs.values():
        assert s.explanation and s.source
        if not s.is_choice:
            assert s.low is not None and s.high is not None
            assert s.low <= getattr(Params(), s.name) <= s.high
