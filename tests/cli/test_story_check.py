"""``rsiviz story check``: every shipped story passes; a false claim fails with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from rsiviz.cli.main import run_cli
from rsiviz.core.story import list_stories, story_dir

from .test_cli import rsiviz

TALK = """
title = "My talk"
preset = "status_quo"

[[beats]]
caption = "Start"
claims = ["multiplier below 1.5"]

[[beats]]
caption = "2028: the loop runs away"
play_to = 2028.0
claims = ["multiplier rising", "{claim}"]
"""


@pytest.mark.parametrize("name", list_stories())
def test_every_shipped_story_passes(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["story", "check", name]) == 0
    out = capsys.readouterr().out.splitlines()
    beats = [line for line in out if line.startswith("beat ")]
    assert len(beats) >= 5
    assert not any("FAIL" in line or "(no claims)" in line for line in out)
    assert sum(line.startswith("  PASS  ") for line in out) >= len(beats)
    assert out[-1].startswith("all ") and out[-1].endswith(" claims hold")


def test_a_false_claim_fails_with_its_observed_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    talk = tmp_path / "talk.story.toml"
    talk.write_text(TALK.format(claim="gap below 1"), encoding="utf-8")
    assert run_cli(["story", "check", str(talk)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{talk}: 'My talk', 2 beats, 3 claims"
    assert out[1:] == [
        "beat 1 (2026.00): Start",
        "  PASS  multiplier below 1.5: multiplier 1.18x",
        "beat 2 (2028.00): 2028: the loop runs away",
        "  PASS  multiplier rising: multiplier 12.2x in 2028.00, 5.68x 3 months earlier",
        "  FAIL  gap below 1: gap 1.96 OOM",
        "1 of 3 claims are false",
    ]


def test_story_check_through_the_entry_point_takes_a_path() -> None:
    path = story_dir() / "rsi_clock.story.toml"
    res = rsiviz("story", "check", str(path))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "FAIL" not in res.stdout and res.stderr == ""


def test_broken_story_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    talk = tmp_path / "talk.story.toml"
    talk.write_text(TALK.format(claim="gap sideways"), encoding="utf-8")
    assert run_cli(["story", "check", str(talk)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"rsiviz: error: {talk}: beat 2 ('2028: the loop runs away'): claims: "
        "claim 'gap sideways' is not understood (e.g. 'multiplier rising', 'gap above 1.5', "
        "\"lab 'Lab C' growing\"; see docs/STORIES.md)"
    ]
