"""Story claims where a presenter meets them: the window refuses a false story, exports
exit 2, the stage shows exactly the state the claims were checked on, and the clock says
who keeps training when the leader stops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rsiviz.core.beats import run_states
from rsiviz.core.story import find_story
from rsiviz.gui.story_player import StoryPlayer

TALK = """
title = "My talk"
preset = "status_quo"

[[beats]]
caption = "Start"

[[beats]]
caption = "2028: the loop runs away"
play_to = 2028.0
claims = ["multiplier rising", "gap below 1"]
"""
FALSE = "{path}: beat 2 ('2028: the loop runs away'): claim 'gap below 1' is false: gap 1.96 OOM"


def test_the_window_refuses_a_story_with_a_false_claim(window, tmp_path: Path) -> None:
    talk = tmp_path / "talk.story.toml"
    talk.write_text(TALK, encoding="utf-8")
    assert not window.load_story(str(talk))
    assert window.story is None
    assert window.banner.text().startswith("Could not open the story: " + FALSE.format(path=talk))


def test_export_of_a_false_story_is_one_line_exit_2(tmp_path: Path) -> None:
    talk = tmp_path / "talk.story.toml"
    talk.write_text(TALK, encoding="utf-8")
    out = tmp_path / "x.csv"
    res = subprocess.run(
        [sys.executable, "-m", "rsiviz", "export", "--story", str(talk), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr == "rsiviz export: error: " + FALSE.format(path=talk) + "\n"
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["png", "csv"])
def test_export_to_a_missing_folder_is_one_line_exit_2(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "missing" / f"x.{fmt}"
    res = subprocess.run(
        [sys.executable, "-m", "rsiviz", "export", "--preset", "status_quo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr == (
        f"rsiviz export: error: --out {out}: the folder {out.parent} does not exist\n"
    )


@pytest.mark.parametrize("name", ["development_pause", "race_defection", "rsi_clock"])
def test_the_stage_shows_the_state_the_claims_were_checked_on(controller, name: str) -> None:
    story = find_story(name)
    player = StoryPlayer(controller)
    player.load(story)
    for k, (state, checked) in enumerate(run_states(story)):
        if k:
            player.next()
            while player.step_animation(0.1):
                pass
        shown = controller.sim.history
        assert controller.sim.month == state.month
        rows = state.month + 1
        for key in ("c", "h", "s", "v", "paused"):
            np.testing.assert_array_equal(
                getattr(shown, key)[:rows], getattr(checked, key)[:rows], err_msg=f"beat {k + 1}"
            )


def test_clock_names_the_lab_that_keeps_training(controller) -> None:
    """race_defection beat 3: the leader stops, Lab C does not; the clock says both."""
    from rsiviz.gui.clock import RsiClock
    from rsiviz.gui.theme import Theme

    player = StoryPlayer(controller)
    player.load(find_story("race_defection"))
    player.go_to(2)
    clock = RsiClock(Theme())
    clock.show_snapshot(controller.snapshot())
    assert clock.face.stopped  # the frontier (Lab A) is in the development pause
    assert clock.status.text() == "Lab C keeps training"
    player.go_to(3)  # Lab C has caught up: the clock follows it
    clock.show_snapshot(controller.snapshot())
    assert not clock.face.stopped
    assert clock.doubling.text().startswith("Capability doubles every")
