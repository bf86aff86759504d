"""Scenario and story files within limits: each case of issue 12 ends in one short line."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from rsiviz.core.scenario import (
    MAX_LABS,
    MAX_PAUSES,
    ScenarioError,
    load_preset,
    load_scenario,
    scenario_from_text,
    scenario_to_text,
)
from rsiviz.core.story import MAX_BEATS, StoryError, load_story, story_from_text
from rsiviz.core.tomlfile import (
    MAX_FILE_BYTES,
    MAX_INT,
    MAX_KEY_PARTS,
    MAX_NESTING,
    MAX_TEXT,
    MESSAGE_CHARS,
    one_line,
    show,
)

BEAT = '[[beats]]\ncaption = "Hello"\n'


def _error(parse: Callable[[str, str], object], error: type[ValueError], text: str) -> str:
    source = "t.story.toml" if error is StoryError else "s.toml"
    with pytest.raises(error) as info:
        parse(text, source)
    message = str(info.value)
    assert "\n" not in message and len(message) <= MESSAGE_CHARS
    assert message.startswith(source)
    return message


def _scenario_error(text: str) -> str:
    return _error(scenario_from_text, ScenarioError, text)


def _story_error(text: str) -> str:
    return _error(story_from_text, StoryError, text)


@pytest.mark.parametrize(
    "text,needle",
    [
        ("seed = 1" + "0" * 400, f"limit of {MAX_INT}"),
        ("seed = 1" + "0" * 5000, "a number is too large"),
        ("[params]\nyears = 1" + "0" * 400, f"limit of {MAX_INT}"),
        ("x = " + "[" * 500 + "]" * 500, f"limit of {MAX_NESTING} levels"),
        ("x = " + "{a = " * 40 + "1" + "}" * 40, f"limit of {MAX_NESTING} levels"),
        (".".join(["k"] * 50_000) + " = 1", f"limit of {MAX_KEY_PARTS} parts"),
        ("[" + ".".join("a" * 9) + "]", f"limit of {MAX_KEY_PARTS} parts"),
        ("x = [" + "1," * 6_000 + "]", "keys and values"),
        ("[[pauses]]\n" * 10_000, "keys and values"),
        ("[[pauses]]\n" * 2_000, f"more than the limit of {MAX_PAUSES}"),
        ('[[labs]]\nname = "a"\n' * (MAX_LABS + 1), f"more than the limit of {MAX_LABS}"),
        (f'description = "{"x" * (MAX_TEXT + 1)}"', f"limit of {MAX_TEXT} characters"),
        (
            '[[labs]]\nname = "Lab\\nB"\n[[labs]]\nname = "Lab\\nB"',
            "share a name (Lab\\nB, Lab\\nB)",
        ),
        (f'[[labs]]\nname = "{"L" * 61}"', "longer than the limit of 60 characters"),
        ("format = true", "format = True is not supported"),
        ("seed = true", "seed = True must be a int"),
        ("[params]\nyears = true", "years = True must be a number"),
        ('[[labs]]\nname = "A"\ncomplies = 1', "complies = 1 must be true or false"),
        ('[[pauses]]\ncompliance = "Frontier lab"', "must be a list of lab names"),
        (f'[params]\nrelease_mode = "{"z" * 9000}"', "is not allowed (allowed: instant"),
        ("[" + "x" * 5000 + "]", "unknown key"),
    ],
)
def test_scenario_limits_and_types(text: str, needle: str) -> None:
    assert needle in _scenario_error(text)


@pytest.mark.parametrize(
    "text,needle",
    [
        ("format = true\n" + BEAT, "format = True is not supported"),
        (BEAT * (MAX_BEATS + 1), f"more than the limit of {MAX_BEATS}"),
        (
            (BEAT + "development_pause = true\n" + "[[beats]]\ncaption = 'x'\nrelease = true\n")
            * (MAX_PAUSES + 1),
            f"more than the limit of {MAX_PAUSES}",
        ),
        (f'title = "{"t" * 201}"\n' + BEAT, "longer than the limit of 200 characters"),
        (f'[[beats]]\ncaption = "{"c" * 600}"', "limit of 500 characters"),
        (BEAT + "speed = true", "speed = True must be a number"),
        (BEAT + "counterfactual = 1", "must be true or false"),
        (BEAT + f'units = "{"u" * 9000}"', "is not allowed (allowed: oom"),
        (BEAT + 'development_pause = { compliance = "Lab A" }', "must be a list of lab names"),
        ("x = " + "[" * 500 + "]" * 500, f"limit of {MAX_NESTING} levels"),
    ],
)
def test_story_limits_and_types(text: str, needle: str) -> None:
    assert needle in _story_error(text)


def test_error_values_are_shortened_and_one_line() -> None:
    message = _scenario_error(f'name = "{"n" * 5000}\\nsecond line"')
    assert "..." in message
    assert show("a\nb") == "'a\\nb'"
    assert one_line("x\ny") == "x\\ny"
    long = one_line("start " + "m" * 1000 + " (allowed: 1 to 2)")
    assert len(long) == MESSAGE_CHARS and long.endswith("(allowed: 1 to 2)")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    text = scenario_to_text(load_preset("race_one_lab_defects"))
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_scenario(path) == load_preset("race_one_lab_defects")
    story = tmp_path / "bom.story.toml"
    story.write_bytes(b"\xef\xbb\xbf" + BEAT.encode())
    assert load_story(story).beats[0].caption == "Hello"


def test_invalid_utf8_and_oversized_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'name = "\xff\xfe"\n')
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        load_scenario(bad)
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(
        ScenarioError, match=f"larger than the limit of {MAX_FILE_BYTES // 1024} KB"
    ):
        load_scenario(big)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX only")
def test_fifo_device_and_folder_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # no writer: opening it blocking would hang forever
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_scenario(fifo)
    with pytest.raises(StoryError, match="not a regular file"):
        load_story(fifo)
    if Path("/dev/zero").exists():
        with pytest.raises(ScenarioError, match="not a regular file"):
            load_scenario("/dev/zero")
    with pytest.raises(ScenarioError, match="a folder"):
        load_scenario(tmp_path)


def test_generous_limits_take_real_files() -> None:
    """At the limits, a file still loads: labs, pauses, beats and long notes."""
    labs = "".join(f'[[labs]]\nname = "Lab {i}"\ncompute_offset = -0.1\n' for i in range(MAX_LABS))
    pauses = "".join(
        f"[[pauses]]\nstart = {2027 + i * 0.1:.1f}\nmonths = 1\n" for i in range(MAX_PAUSES)
    )
    sc = scenario_from_text(f'description = "{"d" * MAX_TEXT}"\n' + labs + pauses)
    assert len(sc.labs) == MAX_LABS and len(sc.pauses) == MAX_PAUSES
    beats = "".join(
        f'[[beats]]\ncaption = "Beat {i}"\nnote = "{"n" * 1000}"\n' for i in range(MAX_BEATS)
    )
    assert len(story_from_text(beats).beats) == MAX_BEATS
