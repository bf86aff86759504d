"""Labs and development pauses: the data the simulation schedules.

A development pause is plain data (when it starts, how long it lasts, who complies, how it
is released); :class:`rsiviz.core.simulation.Simulation.schedule` applies it at step
boundaries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rsiviz.core.params import RELEASE_MODES, ParameterError

TRIGGERS: tuple[str, ...] = ("date", "condition")
CONDITION_METRICS: dict[str, str] = {
    "capability": "frontier capability C >= x (OOM above the start)",
    "gap": "gap G = C - v >= x (OOM)",
    "progress_multiplier": "progress multiplier M >= x",
    "doubling_time_months": "capability doubling time <= x months",
    "automation": "automation of AI R&D a >= x",
}


def _finite(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(f"{name} = {value!r} must be a number ({low:g} to {high:g})")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise ParameterError(f"{name} = {value!r} is out of range (allowed: {low:g} to {high:g})")
    return number


@dataclass(frozen=True)
class Lab:
    """One AI developer. Offsets are OOM relative to the leading lab at the start."""

    name: str = "Frontier lab"
    compute_offset: float = 0.0
    software_offset: float = 0.0
    complies: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError(f"lab name {self.name!r} must be a non-empty string")
        for attr in ("compute_offset", "software_offset"):
            object.__setattr__(self, attr, _finite(attr, getattr(self, attr), -5.0, 0.0))
        if not isinstance(self.complies, bool):
            raise ParameterError(f"complies = {self.complies!r} must be true or false")


DEFAULT_LABS: tuple[Lab, ...] = (Lab(),)


@dataclass(frozen=True)
class DevelopmentPause:
    """A coordinated industry development pause.

    Parameters
    ----------
    trigger : "date" starts at ``start`` (a calendar year); "condition" starts at the first
        month boundary where ``metric`` crosses ``threshold`` (see CONDITION_METRICS).
    months : fixed duration in months; ignored when ``until_oversight`` is set.
    until_oversight : end when the gap falls to ``margin`` OOM, or after ``max_months``.
    release : "instant", "gradual" or "no_catch_up"; None uses the run's ``release_mode``.
    compliance : names of the labs that comply; None means each lab's own ``complies``.
    defection : complying labs resume when a non-complying lab leads them by more than
        ``defection_threshold`` OOM.
    """

    trigger: str = "date"
    start: float = 2028.0
    metric: str = "capability"
    threshold: float = 0.0
    months: float = 24.0
    until_oversight: bool = False
    margin: float = 0.0
    max_months: float = 60.0
    release: str | None = None
    compliance: tuple[str, ...] | None = None
    defection: bool = False

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise ParameterError(
                f"trigger = {self.trigger!r} is not allowed (allowed: {', '.join(TRIGGERS)})"
            )
        object.__setattr__(self, "start", _finite("start", self.start, 2000.0, 2200.0))
        if self.metric not in CONDITION_METRICS:
            raise ParameterError(
                f"metric = {self.metric!r} is not allowed (allowed: {', '.join(CONDITION_METRICS)})"
            )
        object.__setattr__(self, "threshold", _finite("threshold", self.threshold, -1e6, 1e6))
        object.__setattr__(self, "months", _finite("months", self.months, 0.0, 600.0))
        object.__setattr__(self, "margin", _finite("margin", self.margin, -10.0, 10.0))
        object.__setattr__(self, "max_months", _finite("max_months", self.max_months, 0.0, 600.0))
        if self.release is not None and self.release not in RELEASE_MODES:
            raise ParameterError(
                f"release = {self.release!r} is not allowed (allowed: {', '.join(RELEASE_MODES)})"
            )
        for attr in ("until_oversight", "defection"):
            if not isinstance(getattr(self, attr), bool):
                raise ParameterError(f"{attr} = {getattr(self, attr)!r} must be true or false")
        if self.compliance is not None:
            names = tuple(self.compliance)
            if not all(isinstance(n, str) for n in names):
                raise ParameterError(
                    f"compliance = {self.compliance!r} must be a list of lab names"
                )
            object.__setattr__(self, "compliance", names)

    @classmethod
    def at(
        cls, year: float, months: float = 24.0, release: str | None = None, **kw: Any
    ) -> DevelopmentPause:
        """A development pause starting at calendar ``year`` (``"now"`` in the live view)."""
        return cls(trigger="date", start=year, months=months, release=release, **kw)

    def describe(self) -> str:
        when = (
            f"in {self.start:.2f}"
            if self.trigger == "date"
            else f"when {self.metric} crosses {self.threshold:g}"
        )
        span = (
            f"until oversight catches up (max {self.max_months:g} months)"
            if self.until_oversight
            else f"for {self.months:g} months"
        )
        return f"development pause {when}, {span}, release {self.release or 'as set'}"

    def describe_in_run(self, start_year: float) -> str:
        """:meth:`describe`, and, for a pause dated before a run that starts in
        ``start_year``, what is left of it then (its months count from its date)."""
        text = self.describe()
        if self.trigger != "date" or self.start >= start_year - 1e-6:
            return text
        gone = (start_year - self.start) * 12.0
        if self.until_oversight:
            left = self.max_months - gone
            rest = f"in force from the run's start for at most {left:g} more months"
        else:
            left = self.months - gone
            rest = f"in force for its last {left:g} months"
        if left <= 1e-6:
            return f"{text} (over before this run starts, in {start_year:g}: no effect)"
        return f"{text} (began before this run's start, {start_year:g}: {rest})"


# The links of the loop a cut can hold (MODEL.md, "Link cuts"): name -> what the cut holds.
LINKS: dict[str, str] = {
    "automation": "capability -> automation: AI's share a of AI research held",
    "ai_labour": "compute x software -> AI research labour: the (h - h0) + (s - s0) term held",
    "compute": "compute growth stops (dh/dt = 0): the loop runs on software alone",
    "oversight_uplift": "AI speed-up -> oversight: the sigma (M - 1) term held",
    "returns": "diminishing returns: r_eff held, so returns stop falling",
}


@dataclass(frozen=True)
class LinkCut:
    """One influence of the loop held at its value from ``start`` on (MODEL.md, "Link cuts").

    Parameters
    ----------
    name : one of :data:`LINKS`.
    start : calendar year of the cut; it applies at the first month boundary at or after
        it, like a development pause. None cuts from the start of the run.
    """

    name: str
    start: float | None = None

    def __post_init__(self) -> None:
        if self.name not in LINKS:
            raise ParameterError(f"name = {self.name!r} is not a link (links: {', '.join(LINKS)})")
        if self.start is not None:
            object.__setattr__(self, "start", _finite("start", self.start, 2000.0, 2200.0))

    def check_within(self, start_year: float, years: float) -> None:
        """Raise ParameterError unless the cut starts inside a run of these dates.

        The run ends at its last month boundary (``years`` rounded to whole months, as the
        simulation steps): a cut dated after it would never take hold."""
        end = start_year + round(years * 12) / 12
        if self.start is not None and not start_year - 1e-6 <= self.start <= end + 1e-6:
            raise ParameterError(
                f"start = {self.start:g} is outside the run ({start_year:g} to {end:g})"
            )

    def describe(self) -> str:
        when = "from the start" if self.start is None else f"from {self.start:.2f}"
        return f"link {self.name} cut {when}"
