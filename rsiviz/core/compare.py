"""What differs between runs: parameters, development pauses and labs (Qt-free).

Like Stella's run comparison, only what differs is listed. The first scenario is the
reference: each development pause of another run is *unchanged* (an equal pause is in the
reference), *changed* (the reference has a pause starting at the same time or on the same
condition, with other settings), or *added*; a reference pause that another run lacks is
*removed*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from rsiviz.core.interventions import DevelopmentPause, Lab
from rsiviz.core.params import PARAM_NAMES, SPEC_BY_NAME
from rsiviz.core.scenario import Scenario

NONE = "-"


@dataclass(frozen=True)
class DiffRow:
    """One row of the comparison table.

    ``section`` is "parameter", "development pause", "lab" or "seed"; ``values`` holds one
    text per run (``NONE`` where the run has no such pause or lab); ``change`` says, for
    each run after the first, how it differs from the first ("" where it does not).
    """

    section: str
    name: str
    unit: str
    values: tuple[str, ...]
    change: tuple[str, ...] = ()


@dataclass(frozen=True)
class PauseChange:
    kind: str  # "added" | "removed" | "changed"
    before: DevelopmentPause | None
    after: DevelopmentPause | None


def _format(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.6g}"


def pause_key(pause: DevelopmentPause) -> tuple[str, str | float]:
    """What identifies "the same" development pause across runs: when it starts."""
    if pause.trigger == "date":
        return ("date", round(pause.start, 6))
    return (pause.metric, pause.threshold)


def pause_changes(
    before: Sequence[DevelopmentPause], after: Sequence[DevelopmentPause]
) -> list[PauseChange]:
    """Development pauses added, removed or changed from ``before`` to ``after``."""
    left = [p for p in before if p not in after]
    right = [p for p in after if p not in before]
    out: list[PauseChange] = []
    for new in right:
        match = next((old for old in left if pause_key(old) == pause_key(new)), None)
        if match is None:
            out.append(PauseChange("added", None, new))
        else:
            left.remove(match)
            out.append(PauseChange("changed", match, new))
    out += [PauseChange("removed", old, None) for old in left]
    return out


def describe_pause(pause: DevelopmentPause) -> str:
    """A short cell text: duration, release and who complies."""
    span = (
        f"until oversight catches up (max {pause.max_months:g} mo)"
        if pause.until_oversight
        else f"{pause.months:g} months"
    )
    who = "" if pause.compliance is None else f", labs: {', '.join(pause.compliance) or 'none'}"
    defect = ", defection" if pause.defection else ""
    return f"{span}, release {pause.release or 'as set'}{who}{defect}"


def pause_title(key: tuple[str, str | float]) -> str:
    if key[0] == "date":
        return f"development pause from {float(key[1]):.2f}"
    return f"development pause when {key[0]} >= {key[1]:g}"


def diff_params(scenarios: Sequence[Scenario]) -> list[DiffRow]:
    rows = []
    for name in PARAM_NAMES:
        values = [sc.params.to_dict()[name] for sc in scenarios]
        if any(v != values[0] for v in values[1:]):
            changes = tuple("changed" if v != values[0] else "" for v in values[1:])
            text = tuple(_format(v) for v in values)
            rows.append(DiffRow("parameter", name, SPEC_BY_NAME[name].unit, text, changes))
    return rows


def diff_pauses(scenarios: Sequence[Scenario]) -> list[DiffRow]:
    """One row per time a development pause starts, where the runs differ."""
    ref = scenarios[0].pauses
    keys: list[tuple[str, str | float]] = []
    for sc in scenarios:
        for p in sc.pauses:
            if pause_key(p) not in keys:
                keys.append(pause_key(p))
    rows = []
    for key in keys:
        per_run = [[p for p in sc.pauses if pause_key(p) == key] for sc in scenarios]
        if all(group == per_run[0] for group in per_run[1:]):
            continue
        text = tuple("; ".join(describe_pause(p) for p in group) or NONE for group in per_run)
        changes = []
        for sc in scenarios[1:]:
            kinds = {c.kind for c in pause_changes(ref, sc.pauses) if _key_of(c) == key}
            changes.append("changed" if len(kinds) > 1 else "".join(kinds))
        rows.append(DiffRow("development pause", pause_title(key), "", text, tuple(changes)))
    return rows


def _key_of(change: PauseChange) -> tuple[str, str | float]:
    pause = change.after if change.after is not None else change.before
    assert pause is not None
    return pause_key(pause)


def _describe_lab(lab: Lab | None) -> str:
    if lab is None:
        return NONE
    parts = [f"{f.name} {getattr(lab, f.name):g}" for f in fields(Lab) if f.type == "float"]
    return ", ".join(parts + ["complies" if lab.complies else "does not comply"])


def diff_labs(scenarios: Sequence[Scenario]) -> list[DiffRow]:
    names: list[str] = []
    for sc in scenarios:
        names += [lab.name for lab in sc.labs if lab.name not in names]
    rows = []
    for name in names:
        labs = [next((lab for lab in sc.labs if lab.name == name), None) for sc in scenarios]
        if any(lab != labs[0] for lab in labs[1:]):
            changes = tuple(
                ""
                if lab == labs[0]
                else "added"
                if labs[0] is None
                else "removed"
                if lab is None
                else "changed"
                for lab in labs[1:]
            )
            text = tuple(_describe_lab(lab) for lab in labs)
            rows.append(DiffRow("lab", name, "OOM", text, changes))
    return rows


def diff_runs(scenarios: Sequence[Scenario]) -> list[DiffRow]:
    """Every parameter, development pause, lab and seed that differs between the runs.

    The first scenario is the reference for ``change``. Fewer than two runs: no rows.
    """
    if len(scenarios) < 2:
        return []
    rows = diff_params(scenarios) + diff_pauses(scenarios) + diff_labs(scenarios)
    seeds = [sc.seed for sc in scenarios]
    if any(s != seeds[0] for s in seeds[1:]):
        changes = tuple("changed" if s != seeds[0] else "" for s in seeds[1:])
        rows.append(DiffRow("seed", "seed", "", tuple(str(s) for s in seeds), changes))
    return rows
