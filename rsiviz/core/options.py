"""Turning command-line style options into a scenario (shared by the CLI and the GUI).

``--set NAME=VALUE`` and ``--pause START:MONTHS[:RELEASE]`` are parsed here, so the
headless CLI and the window's ``--screenshot`` mode accept exactly the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.params import RELEASE_MODES, ParameterError, parse_value
from rsiviz.core.scenario import (
    Scenario,
    ScenarioError,
    after_end,
    late_pause,
    load_preset,
    load_scenario,
)


class OptionError(ValueError):
    """A command-line option is malformed; the message says which and why."""


def parse_set(items: Sequence[str]) -> dict[str, float | str]:
    """``["r=1.5", ...]`` -> validated ``{"r": 1.5}``."""
    out: dict[str, float | str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise OptionError(f"--set {item!r}: expected NAME=VALUE")
        try:
            out[name.strip()] = parse_value(name.strip(), text.strip())
        except ParameterError as exc:
            raise OptionError(f"--set {item}: {exc}") from None
    return out


def parse_pause(text: str) -> DevelopmentPause:
    """``START:MONTHS[:RELEASE]``, e.g. ``2028:24:gradual``."""
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise OptionError(
            f"--pause {text!r}: expected START:MONTHS[:RELEASE], e.g. 2028:24:instant"
        )
    try:
        start, months = float(parts[0]), float(parts[1])
    except ValueError:
        raise OptionError(f"--pause {text!r}: START and MONTHS must be numbers") from None
    release = parts[2] if len(parts) == 3 else None
    if release is not None and release not in RELEASE_MODES:
        raise OptionError(
            f"--pause {text!r}: release {release!r} is not allowed "
            f"(allowed: {', '.join(RELEASE_MODES)})"
        )
    try:
        return DevelopmentPause.at(start, months=months, release=release)
    except ParameterError as exc:
        raise OptionError(f"--pause {text!r}: {exc}") from None


def build_scenario(
    preset: str | None = None,
    scenario_file: str | None = None,
    sets: Sequence[str] = (),
    pauses: Sequence[str] = (),
    years: float | None = None,
) -> Scenario:
    """The scenario a command line describes; raises OptionError or ScenarioError."""
    if preset and scenario_file:
        raise OptionError("give either --preset or --scenario, not both")
    if scenario_file:
        base = load_scenario(scenario_file)
    elif preset:
        base = load_preset(preset)
    else:
        base = Scenario(name="Default")
    changes = parse_set(sets)
    if years is not None:
        changes["years"] = years
    try:
        params = base.params.replace(**changes)
    except ParameterError as exc:
        raise OptionError(str(exc)) from None
    extra = tuple(parse_pause(p) for p in pauses)
    late = late_pause(params, base.pauses + extra)
    if late is not None:
        given = late - len(base.pauses)
        flag = f"--pause {pauses[given]}" if given >= 0 else f"the scenario's pauses[{late}]"
        raise OptionError(f"{flag}: {after_end(params, (base.pauses + extra)[late])}")
    return replace(base, params=params, pauses=base.pauses + extra)


__all__ = ["OptionError", "ScenarioError", "build_scenario", "parse_pause", "parse_set"]
