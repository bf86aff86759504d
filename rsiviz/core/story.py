"""Story files (TOML): a scenario plus a list of beats, for presenting the model on stage.

A story is what a speaker steps through with a clicker: each beat has a large caption and
says what happens (play to a year, start or release a development pause, switch the
capability units, show or hide the counterfactual, highlight one curve)::

    format = 1
    title = "AI building AI"
    preset = "status_quo"          # or a [scenario] table in the scenario-file format
    speed = 12.0                   # simulated months per second while a beat plays

    [[beats]]
    caption = "Today AI does a small share of AI research."

    [[beats]]
    caption = "As it automates more of it, the RSI clock speeds up."
    play_to = 2030.0
    highlight = "capability"

    [[beats]]
    caption = "In 2030 every lab agrees to a development pause."
    development_pause = { release = "gradual", until_oversight = false }

Within one beat, ``play_to`` runs first, then ``release``, then ``development_pause``.
:func:`resolve` turns the beats into one :class:`BeatState` per beat: the complete state
(year, development pauses, view settings) to rebuild that beat from the start, so stepping
back replays deterministically to exactly the state the beat first had.

A beat's ``claims`` (e.g. ``["multiplier rising", "gap above 1.5"]``, see
:mod:`rsiviz.core.claims`) are checked against the model when the story is loaded: a false
one is refused like a broken field. Broken files raise :class:`StoryError` naming the file,
the beat (number and caption) and the field. The scenario part is read by :func:`rsiviz.core.scenario.scenario_from_dict`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rsiviz.core import claims as _claims
from rsiviz.core.beats import (
    Beat,
    BeatState,
    PauseSettings,
    StoryError,
    resolve,
)
from rsiviz.core.beats import short as _short
from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.notes import Notes, notes_from_dict
from rsiviz.core.params import RELEASE_MODES
from rsiviz.core.resources import resource_root
from rsiviz.core.scenario import (
    MAX_PAUSES,
    Scenario,
    ScenarioError,
    check_format,
    compliance_names,
    list_presets,
    load_preset,
    scenario_from_dict,
)
from rsiviz.core.tomlfile import (
    build_from_text,
    check_count,
    check_name,
    one_line,
    read_text_file,
    show,
)

FORMAT_VERSION = 1
TOP_KEYS = ("format", "title", "description", "preset", "scenario", "speed", "beats", "notes")
BEAT_KEYS = (
    "caption",
    "note",
    "play_to",
    "development_pause",
    "release",
    "units",
    "lower",
    "counterfactual",
    "highlight",
    "speed",
    "claims",
)
PAUSE_KEYS = ("months", "release", "compliance", "until_oversight", "max_months", "defection")
UNITS = ("oom", "metr", "multiplier")
LOWER_MODES = ("gap", "multiplier")
CURVES = ("none", "capability", "potential", "oversight", "counterfactual", "lower")
DEFAULT_SPEED = 12.0  # simulated months per second while a beat plays
SPEED_RANGE = (0.5, 240.0)
STORY_SUFFIX = ".story.toml"
MAX_BEATS = 200  # beats in one story (the shipped ones have 8 to 10)
MAX_CAPTION = 500  # characters in a caption (shown large on stage)
# A story file's own extension (TOML inside) that the installers register; the older
# ``.story.toml`` name still opens.
STORY_SUFFIXES = (".rsivizstory", STORY_SUFFIX)


def is_story_file(name: str | Path) -> bool:
    """Whether a file name says story (``.rsivizstory``, ``.story.toml``), not scenario."""
    return str(name).lower().endswith(STORY_SUFFIXES)


@dataclass(frozen=True)
class Story:
    title: str
    description: str
    scenario: Scenario
    beats: tuple[Beat, ...]
    speed: float = DEFAULT_SPEED
    source: str = "<story>"
    notes: Notes | None = None  # things to notice / to try, questions (rsiviz.core.notes)

    def states(self) -> tuple[BeatState, ...]:
        return resolve(self)


# -- reading ------------------------------------------------------------------------------
def story_from_dict(data: dict[str, Any], source: str, check: bool = True) -> Story:
    """Build a story from parsed TOML; ``source`` names the file in error messages.

    ``check``: evaluate every beat's claims and raise StoryError for the first false one
    (``rsiviz story check`` loads without it, to report every claim).
    """
    _keys(data, TOP_KEYS, source, "")
    check_format(data.get("format", FORMAT_VERSION), source, StoryError)
    title = check_name(data.get("title", ""), f"{source}: title", StoryError)
    description = _str(data.get("description", ""), f"{source}: description")
    speed = _speed(data.get("speed", DEFAULT_SPEED), f"{source}: speed")
    scenario = _scenario(data, source)
    raw = data.get("beats")
    if not isinstance(raw, list) or not raw or not all(isinstance(b, dict) for b in raw):
        raise StoryError(f"{source}: beats must be a non-empty array of tables ([[beats]])")
    _check_counts(raw, scenario, source)
    beats = tuple(_beat(row, i, source) for i, row in enumerate(raw))
    notes = notes_from_dict(data.get("notes"), source, StoryError)
    story = Story(title or scenario.name, description, scenario, beats, speed, source, notes)
    resolve(story)  # checks the sequence: years in order, releases with a pause on
    _claims.validate(story)
    if check:
        _claims.require_true(story)
    return story


def _check_counts(raw: list[Any], scenario: Scenario, source: str) -> None:
    """At most MAX_BEATS beats and MAX_PAUSES development pauses, before any beat is read."""
    check_count(raw, MAX_BEATS, f"{source}: beats", StoryError)
    started = sum(1 for b in raw if b.get("development_pause") not in (None, False))
    if started + len(scenario.pauses) > MAX_PAUSES:
        raise StoryError(
            f"{source}: {started + len(scenario.pauses)} development pauses (scenario and "
            f"beats), more than the limit of {MAX_PAUSES}"
        )


def story_from_text(text: str, source: str = "<story>", check: bool = True) -> Story:
    return build_from_text(
        text, source, StoryError, lambda data, src: story_from_dict(data, src, check)
    )


def load_story(path: str | Path, check: bool = True) -> Story:
    """Read a story file; any problem raises one StoryError naming the file."""
    path = Path(path)
    return story_from_text(
        read_text_file(path, StoryError, what="story file"), one_line(str(path), 120), check
    )


def story_dir() -> Path:
    return resource_root() / "stories"


def list_stories() -> list[str]:
    """Names of the shipped stories (file names without ``.story.toml``), sorted."""
    return sorted(p.name[: -len(STORY_SUFFIX)] for p in story_dir().glob(f"*{STORY_SUFFIX}"))


def find_story(name_or_path: str, check: bool = True) -> Story:
    """A story file path, or the name of a shipped story (``check``: see story_from_dict)."""
    path = Path(name_or_path)
    if path.suffix in (".toml", STORY_SUFFIXES[0]) or _exists(path):
        return load_story(path, check)
    if name_or_path in list_stories():
        return load_story(story_dir() / f"{name_or_path}{STORY_SUFFIX}", check)
    raise StoryError(
        f"no story file or shipped story named {show(name_or_path)} "
        f"(shipped: {', '.join(list_stories()) or 'none found'})"
    )


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # e.g. a name longer than the file system allows
        return False


def story_for_scenario(scenario: Scenario, until: float | None = None) -> Story:
    """A two-beat story that plays a plain scenario from its start to ``until`` (or the end)."""
    p = scenario.params
    end = p.start_year + p.years if until is None else min(until, p.start_year + p.years)
    caption = scenario.name
    beats = (Beat(caption=caption), Beat(caption=caption, play_to=max(end, p.start_year)))
    return Story(scenario.name, scenario.description, scenario, beats)


def story_for_run(
    scenario: Scenario,
    live_pauses: tuple[DevelopmentPause, ...],
    year: float,
    units: str = "oom",
    lower: str = "gap",
) -> Story:
    """A story that rebuilds a live run: its development pauses started by hand become
    beats, the last beat stands at ``year`` with the given units (window exports)."""
    beats = [Beat(caption=scenario.name)]
    pauses = sorted(live_pauses, key=lambda p: p.start)
    for pause in pauses:
        settings = PauseSettings(
            months=pause.months,
            release=pause.release,
            compliance=pause.compliance,
            until_oversight=pause.until_oversight,
            max_months=pause.max_months,
            defection=pause.defection,
        )
        beats.append(Beat(caption=scenario.name, play_to=pause.start, development_pause=settings))
    beats.append(Beat(caption=scenario.name, play_to=year, units=units, lower=lower))
    story = Story(scenario.name, scenario.description, scenario, tuple(beats))
    try:
        resolve(story)
        return story
    except StoryError:  # overlapping hand-started pauses: keep them, lose the counterfactual
        folded = replace(scenario, pauses=scenario.pauses + tuple(pauses))
        last = Beat(caption=scenario.name, play_to=year, units=units, lower=lower)
        return Story(
            scenario.name, scenario.description, folded, (Beat(caption=scenario.name), last)
        )


def _scenario(data: dict[str, Any], source: str) -> Scenario:
    preset, table = data.get("preset"), data.get("scenario")
    if preset is not None and table is not None:
        raise StoryError(f"{source}: give either preset or [scenario], not both")
    try:
        if preset is not None:
            if not isinstance(preset, str) or preset not in list_presets():
                raise StoryError(
                    f"{source}: preset = {show(preset)} is not a shipped preset "
                    f"(presets: {', '.join(list_presets())})"
                )
            return load_preset(preset)
        if table is None:
            return Scenario(name="Default")
        if not isinstance(table, dict):
            raise StoryError(f"{source}: scenario must be a table ([scenario])")
        return scenario_from_dict(table, f"{source}: [scenario]")
    except ScenarioError as exc:
        raise StoryError(str(exc)) from None


def _beat(row: dict[str, Any], i: int, source: str) -> Beat:
    caption = row.get("caption")
    where = f"{source}: beat {i + 1}"
    if not isinstance(caption, str) or not caption.strip():
        raise StoryError(f"{where}: caption = {show(caption)} must be a non-empty string")
    if len(caption) > MAX_CAPTION:
        raise StoryError(
            f"{where}: caption = {show(caption)} is longer than the limit of {MAX_CAPTION} "
            "characters"
        )
    where = f"{source}: beat {i + 1} ({_short(caption)!r})"
    _keys(row, BEAT_KEYS, where, "")
    release = row.get("release")
    if release is not None and release is not True and release not in RELEASE_MODES:
        raise StoryError(
            f"{where}: release = {show(release)} is not allowed "
            f"(allowed: true, {', '.join(map(repr, RELEASE_MODES))})"
        )
    return Beat(
        caption=caption.strip(),
        note=_str(row.get("note", ""), f"{where}: note"),
        play_to=_year(row.get("play_to"), f"{where}: play_to"),
        development_pause=_pause(row.get("development_pause"), where),
        release=release if release is not False else None,
        units=_choice(row.get("units"), UNITS, f"{where}: units"),
        lower=_choice(row.get("lower"), LOWER_MODES, f"{where}: lower"),
        counterfactual=_bool(row.get("counterfactual"), f"{where}: counterfactual"),
        highlight=_choice(row.get("highlight"), CURVES, f"{where}: highlight"),
        speed=None if row.get("speed") is None else _speed(row["speed"], f"{where}: speed"),
        claims=_claim_list(row.get("claims", []), where),
    )


def _claim_list(value: Any, where: str) -> tuple[_claims.Claim, ...]:
    if not isinstance(value, list):
        raise StoryError(f"{where}: claims = {value!r} must be a list of strings")
    try:
        return tuple(_claims.parse_claim(text) for text in value)
    except _claims.ClaimError as exc:
        raise StoryError(f"{where}: claims: {exc}") from None


def _pause(value: Any, where: str) -> PauseSettings | None:
    if value is None or value is False:
        return None
    if value is True:
        return PauseSettings()
    if not isinstance(value, dict):
        raise StoryError(f"{where}: development_pause must be true or a table of settings")
    _keys(value, PAUSE_KEYS, where, "development_pause.")
    field = f"{where}: development_pause."
    months = value.get("months")
    if months is not None:
        months = _number(months, f"{field}months", 0.5, 600.0)
    max_months = value.get("max_months")
    if max_months is not None:
        max_months = _number(max_months, f"{field}max_months", 0.5, 600.0)
    release = value.get("release")
    if release is not None and release not in RELEASE_MODES:
        raise StoryError(
            f"{field}release = {show(release)} is not allowed (allowed: {', '.join(RELEASE_MODES)})"
        )
    compliance = value.get("compliance")
    if compliance is not None:
        compliance = compliance_names(compliance, field, StoryError)
    return PauseSettings(
        months=months,
        release=release,
        compliance=compliance,
        until_oversight=bool(_bool(value.get("until_oversight", False), f"{field}until_oversight")),
        max_months=max_months,
        defection=bool(_bool(value.get("defection", False), f"{field}defection")),
    )


# -- field checks -------------------------------------------------------------------------
def _keys(data: dict[str, Any], allowed: tuple[str, ...], where: str, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            raise StoryError(
                f"{where}: unknown field {prefix}{one_line(key, 60)} (allowed: {', '.join(allowed)})"
            )


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise StoryError(f"{where} = {show(value)} must be a string")
    return value


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StoryError(f"{where} = {show(value)} must be a number ({low:g} to {high:g})")
    if not math.isfinite(value) or not low <= value <= high:
        raise StoryError(f"{where} = {show(value)} is out of range (allowed: {low:g} to {high:g})")
    return float(value)


def _year(value: Any, where: str) -> float | None:
    return None if value is None else _number(value, where, 1900.0, 2300.0)


def _speed(value: Any, where: str) -> float:
    return _number(value, where, *SPEED_RANGE)


def _bool(value: Any, where: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise StoryError(f"{where} = {show(value)} must be true or false")
    return value


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> str | None:
    if value is not None and value not in allowed:
        raise StoryError(f"{where} = {show(value)} is not allowed (allowed: {', '.join(allowed)})")
    return value  # type: ignore[no-any-return]


__all__ = [
    "Beat",
    "BeatState",
    "PauseSettings",
    "Story",
    "StoryError",
    "find_story",
    "list_stories",
    "load_story",
    "resolve",
    "story_for_run",
    "story_for_scenario",
    "story_from_dict",
    "story_from_text",
    "story_dir",
]
