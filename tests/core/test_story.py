"""Story files: parsing, beats as states, and broken files (no Qt anywhere here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rsiviz.core.beats import OPEN_MONTHS
from rsiviz.core.scenario import Scenario
from rsiviz.core.simulation import Simulation
from rsiviz.core.story import (
    StoryError,
    find_story,
    list_stories,
    load_story,
    story_for_run,
    story_for_scenario,
    story_from_text,
)

GOOD = """
title = "Test story"
speed = 12.0

[scenario]
name = "Test"
[scenario.params]
years = 10.0

[[beats]]
caption = "Start"
units = "metr"

[[beats]]
caption = "Play on"
play_to = 2028.0
highlight = "capability"

[[beats]]
caption = "Development pause"
development_pause = { release = "gradual" }

[[beats]]
caption = "Release"
play_to = 2029.5
release = "instant"
counterfactual = false
"""


def test_shipped_stories_load_and_resolve() -> None:
    names = list_stories()
    assert {"rsi_clock", "development_pause", "race_defection"} <= set(names)
    for name in names:
        story = find_story(name)
        states = story.states()
        assert len(states) == len(story.beats) >= 5
        months = [s.month for s in states]
        assert months == sorted(months)
        assert all(s.caption for s in states)


def test_beats_become_states() -> None:
    story = story_from_text(GOOD, "good.story.toml")
    s = story.states()
    assert story.scenario.params.years == 10.0
    assert [x.month for x in s] == [0, 24, 24, 42]
    assert s[0].units == "metr" and s[3].units == "metr"  # unchanged until a beat says so
    assert s[1].highlight == "capability" and s[3].highlight == "capability"
    assert s[2].pauses[0].months == OPEN_MONTHS  # open until released
    assert s[2].pauses[0].start == pytest.approx(2028.0)
    released = s[3].pauses[0]
    assert released.months == pytest.approx(18.0) and released.release == "instant"
    assert s[3].counterfactual is False and s[2].counterfactual is True


def test_a_released_pause_has_the_same_past() -> None:
    """Replaying beat 2 with the pause as known at beat 3 gives the same state at beat 2."""
    story = story_from_text(GOOD)
    s = story.states()
    sc = story.scenario
    early = Simulation(sc.params, sc.labs, s[2].pauses)
    early.step(s[3].month)
    late = Simulation(sc.params, sc.labs, s[3].pauses)
    late.step(s[3].month)
    np.testing.assert_array_equal(early.history.c[: s[3].month], late.history.c[: s[3].month])


def test_preset_reference() -> None:
    story = story_from_text('preset = "status_quo"\n[[beats]]\ncaption = "x"\n')
    assert story.scenario.name == "Status quo"
    assert story.title == "Status quo"


BROKEN = [
    ('[[beats]]\ncaption = ""\n', "beat 1: caption"),
    (
        '[[beats]]\ncaption = "First"\n[[beats]]\ncaption = "Second"\nplay_to = "soon"\n',
        "beat 2 ('Second'): play_to",
    ),
    ('[[beats]]\ncaption = "A"\nplay_to = 2100.0\n', "beat 1 ('A'): play_to = 2100"),
    (
        '[[beats]]\ncaption = "A"\nplay_to = 2030.0\n[[beats]]\ncaption = "B"\nplay_to = 2028.0\n',
        "beat 2 ('B'): play_to = 2028",
    ),
    ('[[beats]]\ncaption = "A"\nunits = "furlongs"\n', "beat 1 ('A'): units"),
    ('[[beats]]\ncaption = "A"\nlower = "up"\n', "beat 1 ('A'): lower"),
    ('[[beats]]\ncaption = "A"\nhighlight = "everything"\n', "beat 1 ('A'): highlight"),
    ('[[beats]]\ncaption = "A"\ncounterfactual = "yes"\n', "beat 1 ('A'): counterfactual"),
    ('[[beats]]\ncaption = "A"\nrelease = true\n', "beat 1 ('A'): release"),
    ('[[beats]]\ncaption = "A"\nrelease = "slowly"\n', "beat 1 ('A'): release = 'slowly'"),
    ('[[beats]]\ncaption = "A"\ncolour = "red"\n', "beat 1 ('A'): unknown field colour"),
    ('[[beats]]\ncaption = "A"\nspeed = 0.0\n', "beat 1 ('A'): speed"),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = { months = -3 }\n',
        "beat 1 ('A'): development_pause.months",
    ),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = { release = "never" }\n',
        "beat 1 ('A'): development_pause.release",
    ),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = { compliance = ["Nobody"] }\n',
        "beat 1 ('A'): development_pause.compliance",
    ),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = { colour = 1 }\n',
        "beat 1 ('A'): unknown field development_pause.colour",
    ),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = true\n[[beats]]\ncaption = "B"\n'
        "development_pause = true\n",
        "beat 2 ('B'): development_pause",
    ),
    (
        '[[beats]]\ncaption = "A"\ndevelopment_pause = { months = 6.0 }\n[[beats]]\n'
        'caption = "B"\nplay_to = 2027.0\nrelease = true\n',
        "beat 2 ('B'): release",
    ),
    ('preset = "nope"\n[[beats]]\ncaption = "A"\n', "preset = 'nope'"),
    ('[scenario.params]\nyears = -1\n[[beats]]\ncaption = "A"\n', "[scenario]: params.years"),
    ('title = "t"\n', "beats"),
    ("beats = 3\n", "beats"),
    ('[[beats]]\ncaption = "A"\n[extra]\n', "unknown field extra"),
    ('[[beats\ncaption = "A"\n', "not valid TOML"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_story_names_file_beat_and_field(text: str, expected: str) -> None:
    with pytest.raises(StoryError) as info:
        story_from_text(text, "talk.story.toml")
    message = str(info.value)
    assert message.startswith("talk.story.toml"), message
    assert expected in message, message


def test_long_caption_is_shortened_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "long.story.toml"
    caption = "A very long caption that goes on and on about recursive self-improvement"
    path.write_text(f'[[beats]]\ncaption = "{caption}"\nunits = 3\n', encoding="utf-8")
    with pytest.raises(
        StoryError, match=r"long\.story\.toml: beat 1 \('A very long caption.*\.\.\.'\): units"
    ):
        load_story(path)


def test_missing_story_file_and_name() -> None:
    with pytest.raises(StoryError, match="no such file"):
        load_story("/nonexistent/x.story.toml")
    with pytest.raises(StoryError, match="shipped: "):
        find_story("no_such_story")


def test_story_for_scenario_and_run() -> None:
    sc = Scenario(name="Plain")
    story = story_for_scenario(sc, until=2030.0)
    assert story.states()[-1].year == pytest.approx(2030.0)
    from rsiviz.core.interventions import DevelopmentPause

    live = (DevelopmentPause.at(2027.0, months=12.0, release="gradual"),)
    run = story_for_run(sc, live, 2031.0, units="metr")
    last = run.states()[-1]
    assert last.pauses == live and last.units == "metr" and last.month == 60


def test_story_module_imports_no_qt() -> None:
    code = "import sys, rsiviz.core.story; print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
