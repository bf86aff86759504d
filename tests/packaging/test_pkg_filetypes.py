"""Scenario and story files by their own extensions (.rsiviz, .rsivizstory; TOML inside),
and the old .toml / .story.toml names, from the command line a double-click sends to the
core loaders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rsiviz.core.resources import resource_root
from rsiviz.core.scenario import load_preset, load_scenario
from rsiviz.core.story import StoryError, find_story, is_story_file, load_story
from rsiviz.gui.app import UsageError, _route_file, build_parser

SCENARIO = resource_root() / "scenarios" / "pause_2028_instant.toml"
STORY = resource_root() / "stories" / "development_pause.story.toml"


@pytest.mark.parametrize(
    ("name", "story"),
    [
        ("talk.rsivizstory", True),
        ("Talk.RSIVIZSTORY", True),
        ("old.story.toml", True),
        ("lab.rsiviz", False),
        ("old.toml", False),
        ("story.rsiviz", False),  # the name before the extension does not matter
    ],
)
def test_a_double_clicked_file_is_routed_by_its_extension(name: str, story: bool) -> None:
    args = build_parser().parse_args([name])
    _route_file(args)
    assert is_story_file(name) is story
    assert (args.story, args.scenario) == ((name, None) if story else (None, name))


def test_a_file_and_an_option_together_is_a_usage_error() -> None:
    args = build_parser().parse_args(["lab.rsiviz", "--preset", "status_quo"])
    with pytest.raises(UsageError, match="not both"):
        _route_file(args)


def test_core_loaders_open_new_and_old_names(tmp_path: Path) -> None:
    new_scenario = shutil.copy(SCENARIO, tmp_path / "lab.rsiviz")
    assert load_scenario(new_scenario) == load_scenario(SCENARIO) == load_preset(SCENARIO.stem)
    new_story = shutil.copy(STORY, tmp_path / "talk.rsivizstory")
    assert find_story(str(new_story)).beats == find_story(str(STORY)).beats
    assert load_story(new_story).title == load_story(STORY).title


def test_a_missing_rsivizstory_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.rsivizstory"
    with pytest.raises(StoryError, match="gone.rsivizstory: no such file"):
        find_story(str(missing))
