"""Teaching notes ([notes]) of presets and stories: shipped ones complete, broken ones named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rsiviz.core.notes import QUESTIONS_PER_PRESET, Notes
from rsiviz.core.scenario import (
    ScenarioError,
    list_presets,
    load_preset,
    load_scenario,
    save_scenario,
    scenario_from_text,
)
from rsiviz.core.story import StoryError, find_story, list_stories, story_from_text


def _complete(notes: Notes | None, where: str) -> None:
    assert notes is not None, f"{where} has no [notes]"
    assert notes.notice, f"{where}: no things to notice"
    assert notes.try_, f"{where}: no things to try"
    assert len(notes.questions) == QUESTIONS_PER_PRESET, f"{where}: not 3 questions"


def test_every_shipped_preset_and_story_has_notes_with_three_questions() -> None:
    assert list_presets() and list_stories()
    for name in list_presets():
        _complete(load_preset(name).notes, f"preset {name}")
    for name in list_stories():
        _complete(find_story(name).notes, f"story {name}")


def test_notes_survive_save_and_load(tmp_path: Path) -> None:
    sc = load_preset("status_quo")
    path = tmp_path / "mine.toml"
    save_scenario(sc, path)
    again = load_scenario(path)
    assert again.notes == sc.notes
    assert again.notes is not None and again.notes.questions[0].startswith("Why")


def test_notes_are_optional() -> None:
    assert scenario_from_text("[params]\nyears = 3.0").notes is None
    story = story_from_text('[[beats]]\ncaption = "Hello"')
    assert story.notes is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("notes = 3", "<s>: notes must be a table ([notes])"),
        ("[notes]\nhints = ['x']", "unknown key notes.hints (allowed: notice, try, questions)"),
        ("[notes]\nquestions = 'Why?'", "notes.questions must be a list of non-empty strings"),
        ("[notes]\ntry = ['ok', '  ']", "notes.try must be a list of non-empty strings"),
    ],
)
def test_broken_notes_name_file_and_field(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        scenario_from_text(text, "<s>")
    with pytest.raises(StoryError, match=re.escape(expected.replace("<s>", "<t>"))):
        story_from_text(text + '\n[[beats]]\ncaption = "Hi"', "<t>")


def test_notes_name_only_real_parameters_and_presets() -> None:
    from rsiviz.core.explain import notes_html, snake_case_words
    from rsiviz.core.params import PARAM_NAMES, RELEASE_MODES

    known = set(PARAM_NAMES) | set(RELEASE_MODES) | set(list_presets()) | set(list_stories())
    every = [load_preset(n).notes for n in list_presets()]
    every += [find_story(n).notes for n in list_stories()]
    for notes in every:
        stale = snake_case_words(notes_html("x", notes)) - known
        assert not stale, f"notes name {stale}"
    slow = notes_html("slow", load_preset("slow_takeoff").notes)
    assert '<a href="param:software_returns">software_returns</a>' in slow  # linked
