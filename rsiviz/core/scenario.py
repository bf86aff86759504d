"""Scenario files (TOML): everything that reproduces a run.

A scenario holds the parameters, labs, development pauses, seed and horizon (``years``).
Loading rejects a broken file with one :class:`ScenarioError` naming the file, the field,
the value and what is allowed; saving writes TOML that loads back to an equal scenario.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rsiviz.core.interventions import DEFAULT_LABS, DevelopmentPause, Lab
from rsiviz.core.notes import Notes, notes_from_dict
from rsiviz.core.params import PARAM_NAMES, ParameterError, Params
from rsiviz.core.resources import resource_root
from rsiviz.core.simulation import Simulation

FORMAT_VERSION = 1
TOP_KEYS = ("format", "name", "description", "seed", "params", "labs", "pauses", "notes")


class ScenarioError(ValueError):
    """A scenario file is broken; the message names the file and the field."""


@dataclass(frozen=True)
class Scenario:
    """Everything that reproduces a run."""

    name: str = "Custom"
    description: str = ""
    params: Params = field(default_factory=Params)
    labs: tuple[Lab, ...] = DEFAULT_LABS
    pauses: tuple[DevelopmentPause, ...] = ()
    seed: int = 0
    notes: Notes | None = None  # things to notice / to try, questions (rsiviz.core.notes)

    def simulation(self, **kwargs: Any) -> Simulation:
        return Simulation(self.params, self.labs, self.pauses, **kwargs)


# -- reading ------------------------------------------------------------------------------
def scenario_from_dict(data: dict[str, Any], source: str) -> Scenario:
    """Build a scenario from parsed TOML; ``source`` names the file in error messages."""
    _no_unknown(data, TOP_KEYS, source, "")
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        raise ScenarioError(f"{source}: format = {fmt!r} is not supported (allowed: 1)")
    name = _typed(data, "name", str, "Custom", source, "")
    description = _typed(data, "description", str, "", source, "")
    seed = _typed(data, "seed", int, 0, source, "")
    if not 0 <= seed < 2**63:
        raise ScenarioError(f"{source}: seed = {seed} is out of range (allowed: 0 to 2^63-1)")
    raw_params = _table(data, "params", source)
    _no_unknown(raw_params, PARAM_NAMES, source, "params.")
    try:
        params = Params(**raw_params)
    except ParameterError as exc:
        raise ScenarioError(f"{source}: params.{exc}") from None
    labs = (
        tuple(
            _build(Lab, row, source, f"labs[{i}].")
            for i, row in enumerate(_array(data, "labs", source))
        )
        or DEFAULT_LABS
    )
    names = [lab.name for lab in labs]
    if len(set(names)) != len(names):
        raise ScenarioError(f"{source}: labs: two labs share a name ({', '.join(names)})")
    pauses = []
    for i, row in enumerate(_array(data, "pauses", source)):
        if "compliance" in row and isinstance(row["compliance"], list):
            row = {**row, "compliance": tuple(row["compliance"])}
        pause = _build(DevelopmentPause, row, source, f"pauses[{i}].")
        unknown = [n for n in pause.compliance or () if n not in names]
        if unknown:
            raise ScenarioError(
                f"{source}: pauses[{i}].compliance names unknown lab {unknown[0]!r} "
                f"(labs: {', '.join(names)})"
            )
        pauses.append(pause)
    late = late_pause(params, pauses)
    if late is not None:
        raise ScenarioError(f"{source}: pauses[{late}].{after_end(params, pauses[late])}")
    notes = notes_from_dict(data.get("notes"), source, ScenarioError)
    return Scenario(name, description, params, labs, tuple(pauses), seed, notes)


def late_pause(params: Params, pauses: Sequence[DevelopmentPause]) -> int | None:
    """Index of the first dated development pause that starts once the run has ended."""
    end = params.start_year + params.years
    for i, pause in enumerate(pauses):
        if pause.trigger == "date" and pause.start >= end - 1e-9:
            return i
    return None


def after_end(params: Params, pause: DevelopmentPause) -> str:
    end = params.start_year + params.years
    return (
        f"start = {pause.start:g}: the development pause would start only once the run has ended "
        f"(the run is {params.start_year:g} to {end:g})"
    )


def parse_toml(text: str, source: str, error: type[ValueError] = ScenarioError) -> dict[str, Any]:
    """TOML text -> dict; bad TOML raises ``error`` naming ``source``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: not valid TOML: {exc}") from None


def read_text_file(path: Path, error: type[ValueError] = ScenarioError) -> str:
    """A file's UTF-8 text; a missing or unreadable file raises ``error`` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None


def scenario_from_text(text: str, source: str = "<scenario>") -> Scenario:
    return scenario_from_dict(parse_toml(text, source), source)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; any problem raises one ScenarioError naming the file."""
    path = Path(path)
    return scenario_from_text(read_text_file(path), str(path))


def _no_unknown(data: dict[str, Any], allowed: tuple[str, ...], source: str, where: str) -> None:
    for key in data:
        if key not in allowed:
            raise ScenarioError(
                f"{source}: unknown key {where}{key} (allowed: {', '.join(allowed)})"
            )


def _typed(
    data: dict[str, Any], key: str, kind: type, default: Any, source: str, where: str
) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ScenarioError(f"{source}: {where}{key} = {value!r} must be a {kind.__name__}")
    return value


def _table(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: {key} must be a table ([{key}])")
    return value


def _array(data: dict[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioError(f"{source}: {key} must be an array of tables ([[{key}]])")
    return value


def _build(cls: type, row: dict[str, Any], source: str, where: str) -> Any:
    allowed = tuple(f.name for f in fields(cls))
    _no_unknown(row, allowed, source, where)
    try:
        return cls(**row)
    except ParameterError as exc:
        raise ScenarioError(f"{source}: {where}{exc}") from None
    except TypeError as exc:  # e.g. a list where a number belongs
        raise ScenarioError(f"{source}: {where[:-1]}: {exc}") from None


# -- writing ------------------------------------------------------------------------------
def _toml_char(ch: str) -> str:
    if ch in ('"', "\\"):
        return "\\" + ch
    if ord(ch) < 0x20 or ord(ch) == 0x7F:  # TOML strings may not hold control characters
        return f"\\u{ord(ch):04X}"
    return ch


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScenarioError(f"cannot save non-finite value {value!r}")
        return repr(value)  # shortest round-tripping form
    if isinstance(value, str):
        return '"' + "".join(_toml_char(ch) for ch in value) + '"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


def scenario_to_text(scenario: Scenario) -> str:
    """TOML text that :func:`scenario_from_text` reads back to an equal scenario."""
    lines = [
        "# rsiviz scenario: parameters, labs, development pauses, seed and horizon.",
        "# Parameter names and units: run 'rsiviz params'.",
        f"format = {FORMAT_VERSION}",
        f"name = {_toml_value(scenario.name)}",
        f"description = {_toml_value(scenario.description)}",
        f"seed = {scenario.seed}",
        "",
        "[params]",
    ]
    lines += [f"{k} = {_toml_value(v)}" for k, v in scenario.params.to_dict().items()]
    for lab in scenario.labs:
        lines += ["", "[[labs]]"]
        lines += [f"{f.name} = {_toml_value(getattr(lab, f.name))}" for f in fields(Lab)]
    for pause in scenario.pauses:
        lines += ["", "[[pauses]]"]
        for f in fields(DevelopmentPause):
            value = getattr(pause, f.name)
            if value is not None:
                lines.append(f"{f.name} = {_toml_value(value)}")
    if scenario.notes is not None:
        lines += ["", "[notes]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in scenario.notes.to_dict().items()]
    return "\n".join(lines) + "\n"


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write atomically, so a failed save never destroys the user's previous file."""
    path = Path(path)
    text = scenario_to_text(scenario)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# -- presets ------------------------------------------------------------------------------
def preset_dir() -> Path:
    return resource_root() / "scenarios"


def list_presets() -> list[str]:
    """Names of the shipped presets (file stems), sorted."""
    return sorted(p.stem for p in preset_dir().glob("*.toml"))


def load_preset(name: str) -> Scenario:
    path = preset_dir() / f"{name}.toml"
    if not path.exists():
        raise ScenarioError(
            f"no preset named {name!r} (presets: {', '.join(list_presets()) or 'none found'})"
        )
    return load_scenario(path)
