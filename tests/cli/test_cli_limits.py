"""The CLI cases of issue 12: every failure is exit 2 and one line, never a traceback or hang."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

HANG_GUARD_S = 60  # only so that a regression fails instead of hanging the suite


def rsiviz(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "rsiviz", *args], text=True, timeout=HANG_GUARD_S, **pipes
    )


def _one_line_exit_2(res: subprocess.CompletedProcess[str], needle: str) -> None:
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert needle in res.stderr


@pytest.mark.parametrize(
    "args,needle",
    [
        (["ensemble", "--draws", "10", "--seed", "-1"], "--seed: '-1': expected a whole number"),
        (["replicate", "--draws", "10", "--seed", "-1"], "--seed: '-1'"),
        (["ensemble", "--draws", "1_0"], "--draws: '1_0'"),
        (
            ["ensemble", "--draws", "200000", "--years", "50", "--preset", "race_one_lab_defects"],
            "would need about",
        ),
        (["run", "--scenario", "/dev/zero"], "not a regular file"),
        (
            ["sweep", "--x", "software_returns=1:2:3", "--metric", "peak_gap", "--level", "nan"],
            "--level: 'nan' is not a plain number",
        ),
        (["run", "--set", "years=1_0"], "'1_0' is not a plain number"),
        (["run", "--set", "years=nan"], "'nan' is not a plain number"),
        (["run", "--years", "inf"], "--years: 'inf' is not a plain number"),
        (["run", "--years", "1e999"], "--years: '1e999' is out of range"),
        (["run", "--pause", "2028:-5"], "months = -5.0 is out of range"),
        (
            [
                "sweep",
                "--x",
                "years=1:50:2000",
                "--y",
                "start_year=2020:2040:2000",
                "--metric",
                "peak_gap",
            ],
            "more than the limit of 250000",
        ),
        (["sweep", "--x", "software_returns=1:2:1e3", "--metric", "peak_gap"], "N '1e3'"),
        (["run", "--set", "x" * 100_000 + "=1"], "unknown parameter"),
        (["run", "--preset", "p" * 5000], "no preset named 'ppp"),
        (
            [
                "sweep",
                "--x",
                "years=1:50:100",
                "--y",
                "start_year=2020:2040:100",
                "--metric",
                "peak_gap",
            ],
            "10000 separate runs, more than the limit of 2000",
        ),
        (["run", "--scenario", "f" * 5000], "cannot read:"),
    ],
)
def test_reported_cases_exit_2_with_one_line(args: list[str], needle: str) -> None:
    _one_line_exit_2(rsiviz(*args), needle)


def test_long_values_are_shortened_in_the_message() -> None:
    res = rsiviz("run", "--set", "release_mode=" + "z" * 50_000)
    _one_line_exit_2(res, "is not allowed")
    assert len(res.stderr) < 400


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX only")
def test_fifo_as_scenario_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    _one_line_exit_2(rsiviz("run", "--scenario", str(fifo)), "not a regular file")


@pytest.mark.skipif(sys.platform == "win32", reason="closing fd 1 before exec is POSIX only")
def test_closed_stdout_is_one_line_exit_2() -> None:
    res = rsiviz("run", "--years", "1", "--out", "-", preexec_fn=lambda: os.close(1))
    _one_line_exit_2(res, "cannot write to standard output: it is closed")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_is_one_line_exit_2() -> None:
    with open("/dev/full", "w") as full:
        res = rsiviz("run", "--years", "1", stdout=full)
    _one_line_exit_2(res, "No space left on device")


def test_sweep_over_start_year_and_years_gives_different_rows() -> None:
    res = rsiviz(
        "sweep",
        "--x",
        "start_year=2020:2040:3",
        "--metric",
        "year_capability_reaches",
        "--level",
        "5",
    )
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    reached = [float(r["year_capability_reaches"]) for r in rows]
    assert [round(b - a, 6) for a, b in zip(reached, reached[1:], strict=False)] == [10.0, 10.0]
    res = rsiviz("sweep", "--x", "years=2:8:3", "--metric", "final_capability")
    finals = [float(r["final_capability"]) for r in csv.DictReader(io.StringIO(res.stdout))]
    assert finals[0] < finals[1] < finals[2]


def test_output_file_is_written_atomically_without_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    out.write_text("previous\n")
    assert rsiviz("run", "--years", "1", "--out", str(out)).returncode == 0
    assert out.read_text().startswith("year,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.csv"]
