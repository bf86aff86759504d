"""Scenario files (TOML): everything that reproduces a run.

A scenario holds the parameters, labs, development pauses, link cuts, seed and horizon
(``years``).
Loading rejects a broken file with one :class:`ScenarioError` naming the file, the field,
the value and what is allowed; saving writes TOML that loads back to an equal scenario.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from rsiviz.core.atomic import atomic_write_text
from rsiviz.core.interventions import DEFAULT_LABS, DevelopmentPause, Lab, LinkCut
from rsiviz.core.notes import Notes, notes_from_dict
from rsiviz.core.params import ParameterError, Params
from rsiviz.core.resources import resource_root
from rsiviz.core.simulation import Simulation
from rsiviz.core.tomlfile import (
    build_from_text,
    check_count,
    check_name,
    one_line,
    read_text_file,
    show,
)

FORMAT_VERSION = 1
TOP_KEYS = ("format", "name", "description", "seed", "params", "labs", "pauses", "notes", "cuts")
MAX_LABS = 10  # race mode uses 3; every lab is a curve and a set of CSV columns
MAX_LAB_NAME = 60  # characters: lab names label curves and name CSV columns
MAX_PAUSES = 50  # development pauses in one run (a story's beats included)
MAX_CUTS = 5  # link cuts: each link of the loop at most once


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
    cuts: tuple[LinkCut, ...] = ()

    def simulation(self, **kwargs: Any) -> Simulation:
        return Simulation(self.params, self.labs, self.pauses, cuts=self.cuts, **kwargs)

    def with_cut(self, cut: LinkCut) -> Scenario:
        """This scenario, development pauses and all, with ``cut`` too: the run drawn as a
        ghost beside it when a link is cut (the loop view, ``rsiviz export --cut``)."""
        return replace(self, name=f"{self.name} (cut: {cut.name})", cuts=self.cuts + (cut,))


# -- reading ------------------------------------------------------------------------------
def scenario_from_dict(data: dict[str, Any], source: str) -> Scenario:
    """Build a scenario from parsed TOML; ``source`` names the file in error messages."""
    _no_unknown(data, TOP_KEYS, source, "")
    check_format(data.get("format", FORMAT_VERSION), source, ScenarioError)
    name = check_name(data.get("name", "Custom"), f"{source}: name", ScenarioError)
    description = _typed(data, "description", str, "", source, "")
    seed = _typed(data, "seed", int, 0, source, "")
    if not 0 <= seed < 2**63:
        raise ScenarioError(f"{source}: seed = {show(seed)} is out of range (allowed: 0 to 2^63-1)")
    raw_params = _table(data, "params", source)
    raw_labs = _array(data, "labs", source, MAX_LABS)
    raw_pauses = _array(data, "pauses", source, MAX_PAUSES)
    params = _build(Params, raw_params, source, "params.")
    labs = tuple(_lab(row, source, f"labs[{i}].") for i, row in enumerate(raw_labs)) or DEFAULT_LABS
    names = [lab.name for lab in labs]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"{source}: labs: two labs share a name ({one_line(', '.join(names), 120)})"
        )
    # A dated pause outside the run's years is kept: the window writes one when its run is
    # shortened past a scheduled pause, and its file must open again as it was saved. The
    # command line refuses one (rsiviz.core.options.build_scenario): there it is a typo.
    pauses = tuple(_pause(row, names, source, f"pauses[{i}].") for i, row in enumerate(raw_pauses))
    notes = notes_from_dict(data.get("notes"), source, ScenarioError)
    cuts = _cuts(data, params, source)
    return Scenario(name, description, params, labs, pauses, seed, notes, cuts)


def _cuts(data: dict[str, Any], params: Params, source: str) -> tuple[LinkCut, ...]:
    """The ``[[cuts]]`` tables: known links, each once, starting inside the run."""
    cuts: list[LinkCut] = []
    for i, row in enumerate(_array(data, "cuts", source, MAX_CUTS)):
        cut = _build(LinkCut, row, source, f"cuts[{i}].")
        try:
            cut.check_within(params.start_year, params.years)
        except ParameterError as exc:
            raise ScenarioError(f"{source}: cuts[{i}].{exc}") from None
        if any(c.name == cut.name for c in cuts):
            raise ScenarioError(f"{source}: cuts[{i}].name = {cut.name!r} is cut twice")
        cuts.append(cut)
    return tuple(cuts)


def pause_outside_run(params: Params, pauses: Sequence[DevelopmentPause]) -> int | None:
    """Index of the first dated development pause that starts before the run does or once
    it has ended (None: every one starts within the run)."""
    end = params.start_year + params.n_months / 12  # the last month boundary
    for i, pause in enumerate(pauses):
        if pause.trigger == "date" and not (params.start_year - 1e-6 <= pause.start < end - 1e-9):
            return i
    return None


def outside_run(params: Params, pause: DevelopmentPause) -> str:
    """Why ``pause`` (one :func:`pause_outside_run` found) cannot be used as given."""
    end = params.start_year + params.n_months / 12
    when = (
        "before the run does" if pause.start < params.start_year else "only once the run has ended"
    )
    return (
        f"start = {pause.start:g}: the development pause would start {when} "
        f"(the run is {params.start_year:g} to {end:g})"
    )


def check_format(fmt: Any, source: str, error: type[ValueError]) -> None:
    """``format = 1`` (an integer: ``true`` is not a format version)."""
    if isinstance(fmt, bool) or fmt != FORMAT_VERSION:
        raise error(f"{source}: format = {show(fmt)} is not supported (allowed: 1)")


def _lab(row: dict[str, Any], source: str, where: str) -> Lab:
    if "name" in row:
        check_name(row["name"], f"{source}: {where}name", ScenarioError, MAX_LAB_NAME)
    return _build(Lab, row, source, where)  # type: ignore[no-any-return]


def _pause(row: dict[str, Any], labs: list[str], source: str, where: str) -> DevelopmentPause:
    if "compliance" in row:
        row = {**row, "compliance": compliance_names(row["compliance"], f"{source}: {where}")}
    pause: DevelopmentPause = _build(DevelopmentPause, row, source, where)
    unknown = [n for n in pause.compliance or () if n not in labs]
    if unknown:
        raise ScenarioError(
            f"{source}: {where}compliance names unknown lab {show(unknown[0])} "
            f"(labs: {one_line(', '.join(labs), 120)})"
        )
    return pause


def compliance_names(
    value: Any, where: str, error: type[ValueError] = ScenarioError
) -> tuple[str, ...]:
    """A development pause's ``compliance``: a list of at most MAX_LABS lab names."""
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise error(f"{where}compliance = {show(value)} must be a list of lab names")
    if len(value) > MAX_LABS:
        raise error(f"{where}compliance names {len(value)} labs, more than the limit of {MAX_LABS}")
    return tuple(check_name(n, f"{where}compliance", error, MAX_LAB_NAME) for n in value)


def scenario_from_text(text: str, source: str = "<scenario>") -> Scenario:
    return build_from_text(text, source, ScenarioError, scenario_from_dict)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; any problem raises one ScenarioError naming the file."""
    path = Path(path)
    return scenario_from_text(
        read_text_file(path, ScenarioError, what="scenario file"), one_line(str(path), 120)
    )


def _no_unknown(data: dict[str, Any], allowed: tuple[str, ...], source: str, where: str) -> None:
    for key in data:
        if key not in allowed:
            raise ScenarioError(
                f"{source}: unknown key {where}{one_line(key, 60)} (allowed: {', '.join(allowed)})"
            )


def _typed(
    data: dict[str, Any], key: str, kind: type, default: Any, source: str, where: str
) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ScenarioError(f"{source}: {where}{key} = {show(value)} must be a {kind.__name__}")
    return value


def _table(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: {key} must be a table ([{key}])")
    return value


def _array(data: dict[str, Any], key: str, source: str, limit: int) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioError(f"{source}: {key} must be an array of tables ([[{key}]])")
    check_count(value, limit, f"{source}: {key}", ScenarioError)
    return value


def _build(cls: type, row: dict[str, Any], source: str, where: str) -> Any:
    allowed = tuple(f.name for f in fields(cls))
    _no_unknown(row, allowed, source, where)
    try:
        return cls(**row)
    except ParameterError as exc:
        raise ScenarioError(one_line(f"{source}: {where}{exc}")) from None
    except (TypeError, ValueError, OverflowError) as exc:  # e.g. a list where a number belongs
        raise ScenarioError(one_line(f"{source}: {where[:-1]}: {exc}")) from None


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
    for cut in scenario.cuts:
        lines += ["", "[[cuts]]", f"name = {_toml_value(cut.name)}"]
        if cut.start is not None:
            lines.append(f"start = {_toml_value(cut.start)}")
    return "\n".join(lines) + "\n"


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write atomically, so a failed save never destroys the user's previous file."""
    atomic_write_text(path, scenario_to_text(scenario))


# -- presets ------------------------------------------------------------------------------
def preset_dir() -> Path:
    return resource_root() / "scenarios"


def list_presets() -> list[str]:
    """Names of the shipped presets (file stems), sorted."""
    return sorted(p.stem for p in preset_dir().glob("*.toml"))


def load_preset(name: str) -> Scenario:
    presets = list_presets()
    if name not in presets:  # a name, never a path: no "../", no over-long file names
        raise ScenarioError(
            f"no preset named {show(name)} (presets: {', '.join(presets) or 'none found'})"
        )
    return load_scenario(preset_dir() / f"{name}.toml")
