"""The headless CLI through subprocess, bad inputs included; it never imports Qt."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rsiviz.core.history import COLUMNS


def rsiviz(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rsiviz", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_run_csv_has_model_columns_one_row_per_month() -> None:
    out = rsiviz("run", "--years", "2")
    assert out.returncode == 0, out.stderr
    rows = _rows(out.stdout)
    assert len(rows) == 25
    assert list(rows[0]) == list(COLUMNS)
    assert float(rows[0]["progress_multiplier"]) == pytest.approx(1.18, abs=0.01)


def test_run_json_race_preset_per_lab_columns(tmp_path: Path) -> None:
    out_file = tmp_path / "race.json"
    res = rsiviz("run", "--preset", "race_one_lab_defects", "--years", "3", "--out", str(out_file))
    assert res.returncode == 0, res.stderr
    data = json.loads(out_file.read_text())
    assert "lab_c_capability" in data["columns"]
    assert len(data["columns"]["year"]) == 37


def test_set_and_pause_change_the_run() -> None:
    base = _rows(rsiviz("run", "--years", "4").stdout)
    paused = _rows(
        rsiviz(
            "run", "--years", "4", "--pause", "2027:12:gradual", "--set", "software_returns=2"
        ).stdout
    )
    assert paused[12]["paused"] == "1" and base[12]["paused"] == "0"
    assert paused[18]["capability"] == paused[14]["capability"]


def test_ensemble_percentiles_and_seed() -> None:
    a = rsiviz("ensemble", "--draws", "50", "--seed", "3", "--years", "2")
    b = rsiviz("ensemble", "--draws", "50", "--seed", "3", "--years", "2")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    row = _rows(a.stdout)[-1]
    assert (
        float(row["capability_p5"]) <= float(row["capability_p50"]) <= float(row["capability_p95"])
    )


def test_sweep_grid() -> None:
    res = rsiviz(
        "sweep",
        "--x",
        "software_returns=0.5:3:4",
        "--y",
        "full_automation_speedup=2:32:3",
        "--metric",
        "peak_gap",
        "--years",
        "3",
    )
    assert res.returncode == 0, res.stderr
    rows = _rows(res.stdout)
    assert len(rows) == 12 and set(rows[0]) == {
        "software_returns",
        "full_automation_speedup",
        "peak_gap",
    }


def test_replicate_forethought_json() -> None:
    res = rsiviz("replicate", "forethought", "--draws", "500", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["paper"]["p_3_years_in_12_months"] == 0.6
    assert 0.3 < data["model"]["p_3_years_in_12_months"] < 0.8


def test_params_json_has_units_ranges_sources() -> None:
    rows = json.loads(rsiviz("params", "--json").stdout)
    names = {r["name"]: r for r in rows}
    assert names["compute_growth"]["unit"] == "OOM/yr"
    assert "Epoch" in names["compute_growth"]["source"]
    assert names["automation_now"]["source"] == "illustrative"


@pytest.mark.parametrize(
    "args,needle",
    [
        (["run", "--set", "software_returns=99"], "out of range"),
        (["run", "--set", "nonsense=1"], "unknown parameter 'nonsense'"),
        (["run", "--set", "software_returns"], "expected NAME=VALUE"),
        (["run", "--pause", "soon:12"], "START 'soon' is not a plain number"),
        (["run", "--pause", "2028:12:whenever"], "release 'whenever' is not allowed"),
        (["run", "--preset", "nope"], "no preset named 'nope'"),
        (["run", "--scenario", "/no/such/file.toml"], "no such file"),
        (["run", "--out", "/no/such/dir/x.csv"], "the folder /no/such/dir does not exist"),
        (["ensemble", "--out", "/no/such/dir/x.csv"], "does not exist"),
        (["run", "--pause", "2050:12"], "would start only once the run has ended"),
        (["run", "--pause", "2020:12"], "would start before the run does (the run is 2026"),
        (["run", "--preset", "pause_2028_instant", "--years", "1"], "the scenario's pauses[0]"),
        (
            ["run", "--preset", "pause_2028_instant", "--set", "start_year=2030"],
            "pauses[0]: start = 2028: the development pause would start before the run does",
        ),
        (["run", "--years", "2", "--pause", "2028.5:6"], "the run is 2026 to 2028"),
        (["story", "check", "/no/such.story.toml"], "no such file"),
        (["story", "check", "nope"], "no story file or shipped story named 'nope'"),
        (["story"], "required"),
        (["run", "--out", "x.xlsx"], "use a .csv or .json"),
        (["run", "--years", "0"], "years = 0.0 is out of range"),
        (["sweep", "--x", "software_returns=1:2", "--metric", "peak_gap"], "NAME=LO:HI:N"),
        (["sweep", "--x", "release_mode=1:2:3", "--metric", "peak_gap"], "not a numeric"),
        (["sweep", "--x", "software_returns=1:2:3", "--metric", "vibes"], "invalid choice"),
        (["ensemble", "--draws", "0"], "--draws: '0': expected a whole number from 1"),
        (["frobnicate"], "frobnicate: no such file"),  # not a subcommand: a file to open
    ],
)
def test_bad_input_exit_2_one_line_no_traceback(args: list[str], needle: str) -> None:
    res = rsiviz(*args)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_broken_scenario_file_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[params]\nsoftware_returns = 9.0\n")
    res = rsiviz("run", "--scenario", str(bad))
    assert res.returncode == 2
    assert str(bad) in res.stderr and "software_returns = 9.0" in res.stderr
    assert "0.2 to 5" in res.stderr


def test_cli_never_imports_qt() -> None:
    code = (
        "import sys; from rsiviz.cli.main import run_cli; "
        "run_cli(['run', '--years', '1', '--out', '-']); "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph', 'matplotlib')]; "
        "sys.stderr.write(repr(bad))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    assert res.stderr == "[]"


def test_cut_holds_a_link_in_run_ensemble_and_sweep() -> None:
    base = _rows(rsiviz("run", "--years", "4").stdout)
    cut = _rows(
        rsiviz("run", "--years", "4", "--cut", "automation:2027", "--cut", "compute").stdout
    )
    assert cut[12]["capability"] != base[12]["capability"]  # compute cut from the start
    assert {r["automation"] for r in cut[12:]} == {cut[12]["automation"]}  # held from 2027
    assert float(cut[-1]["automation"]) < float(base[-1]["automation"])
    ens = rsiviz("ensemble", "--draws", "8", "--years", "2", "--cut", "returns:2027")
    assert ens.returncode == 0, ens.stderr
    sw = rsiviz(
        "sweep",
        "--years",
        "2",
        "--x",
        "software_returns=1:2:2",
        "--metric",
        "peak_gap",
        "--cut",
        "automation",
    )
    assert sw.returncode == 0, sw.stderr


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        ("speed", "unknown link 'speed'"),
        ("compute:2050", "start = 2050 is outside the run (2026 to 2038)"),
        ("compute:later", "START must be a year"),
    ],
)
def test_bad_cut_is_one_line_exit_2(cut: str, message: str) -> None:
    out = rsiviz("run", "--cut", cut)
    assert out.returncode == 2
    assert message in out.stderr and out.stderr.count("\n") == 1 and not out.stdout
