"""Turning command-line style options into a scenario (shared by the CLI and the GUI).

``--set NAME=VALUE``, ``--pause START:MONTHS[:RELEASE]`` and ``--cut NAME[:START]`` are
parsed here, so the
headless CLI and the window's ``--screenshot`` mode accept exactly the same text.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from rsiviz.core.interventions import LINKS, DevelopmentPause, LinkCut
from rsiviz.core.params import RELEASE_MODES, SPEC_BY_NAME, ParameterError, Params, parse_value
from rsiviz.core.scenario import (
    MAX_PAUSES,
    Scenario,
    ScenarioError,
    load_preset,
    load_scenario,
    outside_run,
    pause_outside_run,
)
from rsiviz.core.tomlfile import show

# Plain decimal numbers only: float() would also take "1_0" (as 10), "nan", "inf" and "0x1p3".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d{1,19}", re.ASCII)
SEED_MAX = 2**63 - 1
MAX_REPEATS = 100  # --set / --pause given more often than this is refused


class OptionError(ValueError):
    """A command-line option is malformed; the message says which and why."""


def parse_number(text: str, what: str, low: float = -math.inf, high: float = math.inf) -> float:
    """A finite plain decimal number in ``[low, high]``, e.g. ``2030`` or ``-0.5e2``.

    NaN, infinities, digit separators (``1_0``) and hex are refused with one line naming
    ``what`` (the option) and the allowed range.
    """
    t = text.strip()
    if not _NUMBER.fullmatch(t):
        raise OptionError(f"{what} {show(text)} is not a plain number (e.g. 2030 or 0.5)")
    value = float(t)
    if not math.isfinite(value) or not low <= value <= high:
        raise OptionError(f"{what} {show(text)} is out of range (allowed: {_span(low, high)})")
    return value


def parse_whole(text: str, what: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]`` (no ``1_0``, no ``1e3``)."""
    t = text.strip()
    if not _WHOLE.fullmatch(t) or not low <= int(t) <= high:
        raise OptionError(f"{what} {show(text)}: expected a whole number from {low} to {high}")
    return int(t)


def number_arg(low: float = -math.inf, high: float = math.inf) -> Callable[[str], float]:
    """An argparse ``type=`` for :func:`parse_number` (argparse prefixes the option name)."""

    def convert(text: str) -> float:
        try:
            return parse_number(text, "", low, high)
        except OptionError as exc:
            raise argparse.ArgumentTypeError(str(exc).strip()) from None

    return convert


def whole_arg(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type=`` for :func:`parse_whole`."""

    def convert(text: str) -> int:
        try:
            return parse_whole(text, "", low, high)
        except OptionError as exc:
            raise argparse.ArgumentTypeError(str(exc).strip(" :")) from None

    return convert


def _span(low: float, high: float) -> str:
    if math.isinf(low) and math.isinf(high):
        return "any finite number"
    if math.isinf(high):
        return f"{low:g} or more"
    return f"{low:g} to {high:g}"


def parse_set(items: Sequence[str]) -> dict[str, float | str]:
    """``["r=1.5", ...]`` -> validated ``{"r": 1.5}``."""
    _repeats(items, "--set")
    out: dict[str, float | str] = {}
    for item in items:
        name, sep, text = (part.strip() for part in item.partition("="))
        if not sep or not name:
            raise OptionError(f"--set {show(item)}: expected NAME=VALUE")
        spec = SPEC_BY_NAME.get(name)
        if spec is not None and not spec.is_choice:
            parse_number(text, f"--set {show(item)}: value")  # the syntax; the range below
        try:
            out[name] = parse_value(name, text)
        except ParameterError as exc:
            raise OptionError(f"--set {show(item)}: {exc}") from None
    return out


def _repeats(items: Sequence[str], flag: str) -> None:
    if len(items) > MAX_REPEATS:
        raise OptionError(f"{flag} given {len(items)} times, more than the limit of {MAX_REPEATS}")


def parse_pause(text: str) -> DevelopmentPause:
    """``START:MONTHS[:RELEASE]``, e.g. ``2028:24:gradual``."""
    parts = text.split(":")
    flag = f"--pause {show(text)}:"
    if len(parts) not in (2, 3):
        raise OptionError(f"{flag} expected START:MONTHS[:RELEASE], e.g. 2028:24:instant")
    start = parse_number(parts[0], f"{flag} START")
    months = parse_number(parts[1], f"{flag} MONTHS")
    release = parts[2] if len(parts) == 3 else None
    if release is not None and release not in RELEASE_MODES:
        raise OptionError(
            f"{flag} release {show(release)} is not allowed (allowed: {', '.join(RELEASE_MODES)})"
        )
    try:
        return DevelopmentPause.at(start, months=months, release=release)
    except ParameterError as exc:
        raise OptionError(f"{flag} {exc}") from None


def parse_cut(text: str) -> LinkCut:
    """``NAME[:START]``, e.g. ``automation`` (from the start) or ``automation:2028``."""
    name, sep, start = text.partition(":")
    if name not in LINKS:
        raise OptionError(f"--cut {text!r}: unknown link {name!r} (links: {', '.join(LINKS)})")
    try:
        year = float(start) if sep else None
    except ValueError:
        raise OptionError(f"--cut {text!r}: START must be a year, e.g. {name}:2028") from None
    try:
        return LinkCut(name, year)
    except ParameterError as exc:
        raise OptionError(f"--cut {text!r}: {exc}") from None


def _with_cuts(base: Scenario, params: Params, cuts: Sequence[str]) -> tuple[LinkCut, ...]:
    """The scenario's cuts plus ``--cut`` ones, each link once, all inside the run."""
    out = list(base.cuts)
    for text in cuts:
        cut = parse_cut(text)
        if any(c.name == cut.name for c in out):
            raise OptionError(f"--cut {text!r}: link {cut.name!r} is already cut")
        out.append(cut)
    for cut in out:
        try:
            cut.check_within(params.start_year, params.years)
        except ParameterError as exc:
            raise OptionError(f"--cut {cut.name}: {exc}") from None
    return tuple(out)


def build_scenario(
    preset: str | None = None,
    scenario_file: str | None = None,
    sets: Sequence[str] = (),
    pauses: Sequence[str] = (),
    years: float | None = None,
    cuts: Sequence[str] = (),
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
    _repeats(pauses, "--pause")
    extra = tuple(parse_pause(p) for p in pauses)
    if len(base.pauses) + len(extra) > MAX_PAUSES:
        raise OptionError(
            f"{len(base.pauses) + len(extra)} development pauses, more than the limit of "
            f"{MAX_PAUSES}"
        )
    outside = pause_outside_run(params, base.pauses + extra)
    if outside is not None:
        given = outside - len(base.pauses)
        flag = (
            f"--pause {show(pauses[given])}" if given >= 0 else f"the scenario's pauses[{outside}]"
        )
        raise OptionError(f"{flag}: {outside_run(params, (base.pauses + extra)[outside])}")
    links = _with_cuts(base, params, cuts)
    return replace(base, params=params, pauses=base.pauses + extra, cuts=links)


def ghost_cuts(scenario: Scenario, given: int) -> tuple[Scenario, tuple[LinkCut, ...]]:
    """Split the last ``given`` cuts (the ``--cut`` ones, as :func:`build_scenario` parsed
    and checked them) off ``scenario``: the scenario keeps its own cuts, and each of the
    others is drawn as a ghost run beside it (``rsiviz export --cut``)."""
    own = len(scenario.cuts) - given
    return replace(scenario, cuts=scenario.cuts[:own]), scenario.cuts[own:]


__all__ = [
    "SEED_MAX",
    "OptionError",
    "ScenarioError",
    "build_scenario",
    "ghost_cuts",
    "number_arg",
    "whole_arg",
    "parse_cut",
    "parse_number",
    "parse_pause",
    "parse_set",
    "parse_whole",
]
