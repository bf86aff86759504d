"""Claims a story beat makes about the model, checked at that beat's state.

A beat's ``claims`` are short sentences from a small vocabulary (docs/STORIES.md lists
them with their exact definitions)::

    claims = ["multiplier rising", "gap above 1.5", "lab 'Lab C' growing",
              "doubling time below previous beat", "gap below counterfactual"]

:func:`parse_claim` reads one; :func:`check_story` runs the model to every beat's state
(the run the stage shows there) and evaluates each claim on it. Loading a story refuses one
whose claims are false, so a caption cannot say the opposite of what the chart shows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rsiviz.core.beats import BeatState, StoryError, run_counterfactual, run_states, short
from rsiviz.core.model import LOG10_2

if TYPE_CHECKING:
    from rsiviz.core.history import History
    from rsiviz.core.story import Story

WINDOW_MONTHS = 3  # "rising" / "falling": compared with this many months earlier
MAX_CHARS = 200  # a claim is a short sentence; longer text is a mistake
TOL = 1e-6  # smaller differences count as "no change" (rounding, not the model)
UNITS: dict[str, str] = {  # quantity -> unit, as printed
    "capability": "OOM",
    "potential": "OOM",
    "overhang": "OOM",
    "oversight": "OOM",
    "gap": "OOM",
    "automation": "",
    "multiplier": "x",
    "doubling time": "months",
    "growth": "OOM/yr",
    "horizon": "minutes",
}
FIELD_ONLY = ("oversight", "gap", "horizon")  # field-wide: no per-lab value
REFERENCES = ("counterfactual", "previous beat")
EXAMPLES = "e.g. 'multiplier rising', 'gap above 1.5', \"lab 'Lab C' growing\""

_QTY = "|".join(sorted(UNITS, key=len, reverse=True))
_NUM = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
_NAME = r"'[^']+'|\"[^\"]+\""
_FORMS: tuple[tuple[str, str], ...] = (
    ("growing", r"(?:capability )?(?P<neg>not )?growing"),
    ("pause", r"development pause (?P<state>on|off)"),
    ("leads", r"leads"),
    ("ahead", rf"ahead of (?P<other>{_NAME})"),
    ("near", rf"within (?P<num>{_NUM}) (?:OOM )?of the leader"),
    ("compare", rf"(?P<qty>{_QTY}) (?P<op>above|below) (?P<ref>{_NUM}|counterfactual|previous beat)"),
    ("within", rf"(?P<qty>{_QTY}) within (?P<num>{_NUM}) (?:OOM )?of (?P<ref>counterfactual|previous beat)"),
    ("trend", rf"(?P<qty>{_QTY}) (?P<op>rising|falling)"),
)  # fmt: skip
_LAB_ONLY = ("leads", "ahead", "near")


class ClaimError(ValueError):
    """A claim is not in the vocabulary (the message says what is)."""


@dataclass(frozen=True)
class Claim:
    """One parsed claim; ``text`` is what the story file says."""

    text: str
    kind: str  # one of the _FORMS names
    lab: str | None = None  # None: the field (frontier) as the chart and clock show it
    quantity: str | None = None
    op: str | None = None  # above | below | rising | falling | within | on | off | not
    ref: str | None = None  # "counterfactual", "previous beat", or None (a number)
    value: float | None = None
    other: str | None = None  # the other lab of "ahead of"


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    holds: bool
    observed: str  # the model's values the verdict rests on, in words


@dataclass(frozen=True)
class Scene:
    """The run as it stands at one beat: ``history`` rows up to ``month``."""

    history: History
    month: int
    labs: tuple[str, ...]

    @property
    def year(self) -> float:
        return float(self.history.years[self.month])


def parse_claim(text: object) -> Claim:
    """Read one claim; raises ClaimError naming it when it is not in the vocabulary."""
    if not isinstance(text, str) or not text.strip():
        raise ClaimError(f"claim {text!r} must be a non-empty string ({EXAMPLES})")
    if len(text) > MAX_CHARS:
        raise ClaimError(f"claim {text[:40]!r}... is too long (at most {MAX_CHARS} characters)")
    clean = " ".join(text.split())
    lab, rest = None, clean
    m = re.fullmatch(rf"lab (?P<lab>{_NAME}) (?P<rest>.+)", clean)
    if m:
        lab, rest = m["lab"][1:-1], m["rest"]
    for kind, pattern in _FORMS:
        m = re.fullmatch(pattern, rest)
        if m:
            return _claim(clean, kind, lab, m.groupdict())
    raise ClaimError(f"claim {text!r} is not understood ({EXAMPLES}; see docs/STORIES.md)")


def _claim(text: str, kind: str, lab: str | None, g: dict[str, str | None]) -> Claim:
    if kind in _LAB_ONLY and lab is None:
        raise ClaimError(f"claim {text!r} needs a lab first, e.g. \"lab 'Lab C' {text}\"")
    qty = g.get("qty")
    if lab is not None and qty in FIELD_ONLY:
        raise ClaimError(f"claim {text!r}: {qty} is field-wide; drop \"lab '{lab}'\"")
    ref, num = g.get("ref"), g.get("num")
    value = None
    if ref is not None and ref not in REFERENCES:
        ref, num = None, ref
    if num is not None:
        value = float(num)
        if not math.isfinite(value):
            raise ClaimError(f"claim {text!r}: {num} is not a finite number")
    op = g.get("op") or g.get("state") or ("not" if g.get("neg") else None)
    other = g.get("other")
    return Claim(text, kind, lab, qty, op, ref, value, other[1:-1] if other else None)


# -- the model's numbers ----------------------------------------------------------------
def series(history: History, quantity: str, lab: int | None) -> np.ndarray:
    """``quantity`` month by month (member 0): the field's, or lab ``lab``'s."""
    n = history.length
    if lab is None:
        field = {
            "capability": history.capability,
            "potential": history.potential,
            "oversight": history.oversight,
            "gap": history.gap,
            "automation": history.automation,
            "multiplier": history.progress_multiplier,
            "doubling time": history.doubling_time_months,
            "horizon": history.metr_horizon_minutes,
        }
        if quantity in field:
            return np.asarray(field[quantity]()[:, 0], dtype=float)
    else:
        per_lab = {
            "capability": history.c[:n, 0, lab],
            "potential": history.h[:n, 0, lab] + history.s[:n, 0, lab],
            "automation": history.a[:n, 0, lab],
            "multiplier": history.progress_multiplier(lab_axis=True)[:, 0, lab],
            "doubling time": history.doubling_time_months(lab_axis=True)[:, 0, lab],
        }
        if quantity in per_lab:
            return np.asarray(per_lab[quantity], dtype=float)
    if quantity == "overhang":
        over = series(history, "potential", lab) - series(history, "capability", lab)
        return np.asarray(over, dtype=float)
    if quantity == "growth":  # OOM/yr; 0 while not growing (as the clock reads it)
        return np.asarray(12.0 * LOG10_2 / series(history, "doubling time", lab), dtype=float)
    raise ValueError(f"no per-lab {quantity}")  # parse_claim rules this out


def _fmt(quantity: str, x: float) -> str:
    if quantity == "doubling time" and not math.isfinite(x):
        return "infinite (not growing)"
    unit = UNITS[quantity]
    return f"{x:.3g}{unit}" if unit == "x" else f"{x:.3g} {unit}".rstrip()


def _subject(claim: Claim) -> str:
    assert claim.quantity is not None
    return claim.quantity if claim.lab is None else f"{claim.lab} {claim.quantity}"


def evaluate(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> Verdict:
    """Whether ``claim`` holds at ``here``, with the values it rests on.

    ``previous`` is the previous beat's scene (None at the first beat); ``cf`` the
    counterfactual (the story's scenario without the story's development pauses).
    """
    handler = _KINDS[claim.kind]
    holds, observed = handler(claim, here, previous, cf)
    return Verdict(claim, bool(holds), observed)


def _lab(scene: Scene, name: str | None) -> int | None:
    return None if name is None else scene.labs.index(name)


def _value(claim: Claim, scene: Scene) -> float:
    assert claim.quantity is not None
    return float(series(scene.history, claim.quantity, _lab(scene, claim.lab))[scene.month])


def _reference(claim: Claim, previous: Scene | None, cf: Scene) -> tuple[float, str]:
    """The value ``claim`` compares with, and how to name it."""
    if claim.ref == "previous beat":
        assert previous is not None  # validate() rules out "previous beat" at beat 1
        return _value(claim, previous), f"previous beat ({previous.year:.2f})"
    if claim.ref == "counterfactual":
        return _value(claim, cf), "without the development pauses"
    assert claim.value is not None
    return claim.value, ""


def _compare(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.quantity is not None
    x, (ref, name) = _value(claim, here), _reference(claim, previous, cf)
    holds = x > ref + TOL if claim.op == "above" else x < ref - TOL
    if math.isnan(x - ref):
        holds = False
    observed = f"{_subject(claim)} {_fmt(claim.quantity, x)}"
    return holds, observed + (f"; {name}: {_fmt(claim.quantity, ref)}" if name else "")


def _within(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.quantity is not None and claim.value is not None
    x, (ref, name) = _value(claim, here), _reference(claim, previous, cf)
    holds = abs(x - ref) <= claim.value + TOL  # False for NaN (inf - inf)
    q = claim.quantity
    return holds, f"{_subject(claim)} {_fmt(q, x)}; {name}: {_fmt(q, ref)}"


def _trend(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.quantity is not None
    q, m = claim.quantity, here.month
    if m == 0:
        return False, f"{_subject(claim)}: the run starts here, nothing earlier to compare"
    back = min(WINDOW_MONTHS, m)
    xs = series(here.history, q, _lab(here, claim.lab))
    x, before = float(xs[m]), float(xs[m - back])
    change = x - before
    holds = change > TOL if claim.op == "rising" else change < -TOL  # False for NaN
    earlier = f"{back} month{'s' if back > 1 else ''} earlier"
    return holds, f"{_subject(claim)} {_fmt(q, x)} in {here.year:.2f}, {_fmt(q, before)} {earlier}"


def _growing(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    months = float(series(here.history, "doubling time", _lab(here, claim.lab))[here.month])
    who = "capability" if claim.lab is None else claim.lab
    growing = math.isfinite(months)
    observed = f"{who} doubles every {months:.3g} months" if growing else f"{who} not growing"
    return growing == (claim.op != "not"), observed


def _pause(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    h, m, j = here.history, here.month, _lab(here, claim.lab)
    on = bool(h.any_paused()[m, 0] if j is None else h.paused[m, 0, j])
    who = "" if claim.lab is None else f"{claim.lab}: "
    return on == (claim.op == "on"), f"{who}development pause {'on' if on else 'off'}"


def _standing(here: Scene, name: str) -> float:
    return float(here.history.c[here.month, 0, here.labs.index(name)])


def _leader(here: Scene) -> tuple[str, float]:
    c = here.history.c[here.month, 0]
    j = int(np.argmax(c))
    return here.labs[j], float(c[j])


def _leads(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.lab is not None
    x, (name, top) = _standing(here, claim.lab), _leader(here)
    behind = top - x
    if behind <= TOL:
        return True, f"{claim.lab} leads at {x:.3g} OOM"
    return False, f"{claim.lab} {x:.3g} OOM, {behind:.3g} OOM behind {name} ({top:.3g} OOM)"


def _ahead(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.lab is not None and claim.other is not None
    x, y = _standing(here, claim.lab), _standing(here, claim.other)
    return x > y + TOL, f"{claim.lab} {x:.3g} OOM, {claim.other} {y:.3g} OOM"


def _near(claim: Claim, here: Scene, previous: Scene | None, cf: Scene) -> tuple[bool, str]:
    assert claim.lab is not None and claim.value is not None
    x, (name, top) = _standing(here, claim.lab), _leader(here)
    return top - x <= claim.value + TOL, (
        f"{claim.lab} {x:.3g} OOM, {top - x:.3g} OOM behind the leader {name} ({top:.3g} OOM)"
    )


_KINDS = {
    "compare": _compare,
    "within": _within,
    "trend": _trend,
    "growing": _growing,
    "pause": _pause,
    "leads": _leads,
    "ahead": _ahead,
    "near": _near,
}


# -- stories ------------------------------------------------------------------------------
def _where(story: Story, state: BeatState) -> str:
    return f"{story.source}: beat {state.index + 1} ({short(state.caption)!r})"


def validate(story: Story) -> None:
    """Claims that cannot be checked at all (unknown lab, no previous beat): StoryError."""
    labs = [lab.name for lab in story.scenario.labs]
    for i, beat in enumerate(story.beats):
        for claim in beat.claims:
            where = f"{story.source}: beat {i + 1} ({short(beat.caption)!r}): claim {claim.text!r}"
            for name in (claim.lab, claim.other):
                if name is not None and name not in labs:
                    raise StoryError(
                        f"{where} names unknown lab {name!r} (labs: {', '.join(labs)})"
                    )
            if claim.ref == "previous beat" and i == 0:
                raise StoryError(f"{where}: the first beat has no previous beat")


def check_story(story: Story) -> list[tuple[BeatState, list[Verdict]]]:
    """Every beat's state with the verdict on each of its claims (runs the model per beat)."""
    labs = tuple(lab.name for lab in story.scenario.labs)
    cf_history = run_counterfactual(story)
    out: list[tuple[BeatState, list[Verdict]]] = []
    previous: Scene | None = None
    for (state, history), beat in zip(run_states(story), story.beats, strict=True):
        here = Scene(history, state.month, labs)
        cf = Scene(cf_history, state.month, labs)
        out.append((state, [evaluate(c, here, previous, cf) for c in beat.claims]))
        previous = here
    return out


def require_true(story: Story) -> None:
    """Raise StoryError naming the story, beat, claim and observed value of a false claim."""
    for state, verdicts in check_story(story):
        for v in verdicts:
            if not v.holds:
                raise StoryError(
                    f"{_where(story, state)}: claim {v.claim.text!r} is false: {v.observed}"
                )


__all__ = [
    "Claim",
    "ClaimError",
    "Scene",
    "Verdict",
    "check_story",
    "evaluate",
    "parse_claim",
    "require_true",
    "series",
    "validate",
]
