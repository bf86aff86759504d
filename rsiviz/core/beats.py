"""The beats of a story and the complete state each resolves to.

:func:`resolve` turns a story's beats into one :class:`BeatState` per beat: everything
needed to rebuild that beat from the start (year, development pauses, view settings), so
stepping back replays deterministically to exactly the state the beat first had;
:func:`run_state` runs the model to that state (what the stage shows there). Reading
story files is in :mod:`rsiviz.core.story`; a beat's claims are checked in
:mod:`rsiviz.core.claims`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.params import ParameterError, Params
from rsiviz.core.simulation import Simulation

if TYPE_CHECKING:
    from rsiviz.core.claims import Claim
    from rsiviz.core.history import History
    from rsiviz.core.story import Story

OPEN_MONTHS = 600.0  # a development pause with no duration lasts until a beat releases it


def short(text: str, n: int = 40) -> str:
    """``text`` cut to ``n`` characters (for quoting a caption in a message)."""
    return text if len(text) <= n else text[: n - 3] + "..."


class StoryError(ValueError):
    """A story file is broken; the message names the file, the beat and the field."""


@dataclass(frozen=True)
class PauseSettings:
    """How a beat's development pause runs (``months`` None: until a beat releases it)."""

    months: float | None = None
    release: str | None = None
    compliance: tuple[str, ...] | None = None
    until_oversight: bool = False
    max_months: float | None = None
    defection: bool = False


@dataclass(frozen=True)
class Beat:
    """One step of a story, as written in the file (None: unchanged from the last beat)."""

    caption: str
    note: str = ""
    play_to: float | None = None
    development_pause: PauseSettings | None = None
    release: str | bool | None = None  # True: the pause's own release mode
    units: str | None = None
    lower: str | None = None
    counterfactual: bool | None = None
    highlight: str | None = None
    speed: float | None = None
    claims: tuple[Claim, ...] = ()  # what the caption says, checked against the model


@dataclass(frozen=True)
class BeatState:
    """Everything needed to show beat ``index`` from scratch (replay from the start)."""

    index: int
    caption: str
    note: str
    year: float  # where the run stands once the beat has played (a month boundary)
    month: int  # the same, in months from the start
    pauses: tuple[DevelopmentPause, ...]  # the story's development pauses as known here
    units: str
    lower: str
    counterfactual: bool
    highlight: str
    speed: float  # months per second while this beat plays


def month_of(params: Params, year: float) -> int:
    """The month boundary (from the run's start) nearest ``year``: where a beat asked to
    play to ``year`` stands, and where ``--until year`` ends."""
    return round((year - params.start_year) * 12)


def resolve(story: Story) -> tuple[BeatState, ...]:
    """The complete state after each beat; raises StoryError for an impossible sequence."""
    p = story.scenario.params
    labs = [lab.name for lab in story.scenario.labs]
    month, last = 0, p.n_months
    pauses: list[DevelopmentPause] = []
    open_index: int | None = None  # the development pause a later beat may release
    view = {"units": "oom", "lower": "gap", "counterfactual": True, "highlight": "none"}
    out = []
    for i, beat in enumerate(story.beats):
        where = f"{story.source}: beat {i + 1} ({short(beat.caption)!r})"
        if beat.play_to is not None:
            target = month_of(p, beat.play_to)
            if not 0 <= target <= last:
                raise StoryError(
                    f"{where}: play_to = {beat.play_to:g} is outside the run "
                    f"({p.start_year:g} to {p.start_year + p.years:g})"
                )
            if target < month:
                raise StoryError(
                    f"{where}: play_to = {beat.play_to:g} is before the year an earlier beat "
                    f"reached ({p.start_year + month / 12:.2f})"
                )
            month = target
        year = p.start_year + month / 12.0
        if beat.release is not None:
            if open_index is None:
                raise StoryError(f"{where}: release: no development pause is on to release")
            pauses[open_index] = _released(pauses[open_index], year, beat.release, where)
            open_index = None
        if beat.development_pause is not None:
            if open_index is not None:
                raise StoryError(
                    f"{where}: development_pause: the development pause started in "
                    f"{pauses[open_index].start:.2f} is still on; release it first"
                )
            pauses.append(_started(beat.development_pause, year, labs, where))
            open_index = len(pauses) - 1
        for key in view:
            value = getattr(beat, key)
            if value is not None:
                view[key] = value
        out.append(
            BeatState(
                index=i,
                caption=beat.caption,
                note=beat.note,
                year=year,
                month=month,
                pauses=tuple(pauses),
                units=str(view["units"]),
                lower=str(view["lower"]),
                counterfactual=bool(view["counterfactual"]),
                highlight=str(view["highlight"]),
                speed=beat.speed or story.speed,
            )
        )
    return tuple(out)


def run_state(story: Story, state: BeatState) -> History:
    """The model run as it stands at ``state`` (rows up to ``state.month``)."""
    sc = story.scenario
    sim = Simulation(sc.params, sc.labs, sc.pauses + state.pauses, cuts=sc.cuts)
    sim.step(state.month)
    return sim.history


def run_states(story: Story) -> Iterator[tuple[BeatState, History]]:
    """Every beat's state with the run as it stands there (rows up to its month).

    Beats with the same development pauses share one run, continued from the beat
    before: the model is deterministic, so this is the run :func:`run_state` gives.
    A yielded history keeps filling with later months; read it only up to its month.
    """
    sc = story.scenario
    sim: Simulation | None = None
    pauses: tuple[DevelopmentPause, ...] = ()
    for state in resolve(story):
        if sim is None or state.pauses != pauses or state.month < sim.month:
            sim = Simulation(sc.params, sc.labs, sc.pauses + state.pauses, cuts=sc.cuts)
            pauses = state.pauses
        sim.step(state.month - sim.month)
        yield state, sim.history


def run_counterfactual(story: Story) -> History:
    """The whole run without the story's development pauses (the scenario's own stay)."""
    return story.scenario.simulation().run()


def _started(s: PauseSettings, year: float, labs: list[str], where: str) -> DevelopmentPause:
    unknown = [n for n in s.compliance or () if n not in labs]
    if unknown:
        raise StoryError(
            f"{where}: development_pause.compliance names unknown lab {unknown[0]!r} "
            f"(labs: {', '.join(labs)})"
        )
    months = OPEN_MONTHS if s.months is None else s.months
    try:
        return DevelopmentPause.at(
            year,
            months=months,
            release=s.release,
            compliance=s.compliance,
            until_oversight=s.until_oversight,
            max_months=s.max_months if s.max_months is not None else months,
            defection=s.defection,
        )
    except ParameterError as exc:
        raise StoryError(f"{where}: development_pause: {exc}") from None


def _released(
    pause: DevelopmentPause, year: float, mode: str | bool, where: str
) -> DevelopmentPause:
    """The pause cut short at ``year`` (its past is unchanged, so replays agree)."""
    months = round((year - pause.start) * 12.0, 6)
    planned = pause.max_months if pause.until_oversight else pause.months
    if months > planned + 1e-6:
        raise StoryError(
            f"{where}: release: the development pause started in {pause.start:.2f} already "
            f"ended after {planned:g} months"
        )
    release = pause.release if mode is True else str(mode)
    if months <= 0:
        raise StoryError(f"{where}: release: the development pause started in this same month")
    return replace(pause, months=months, max_months=months, release=release)
