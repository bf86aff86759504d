"""The parameter table: one source of truth for the CLI, scenario files and the GUI.

Every field of :class:`Params` carries its metadata (symbol, unit, range, explanation,
source) in ``dataclasses.field(metadata=...)``; :func:`param_specs` turns that into
:class:`ParamSpec` rows. Names are stable: shared scenario files depend on them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

RELEASE_MODES: tuple[str, ...] = ("instant", "gradual", "no_catch_up")

ILLUSTRATIVE = "illustrative"


class ParameterError(ValueError):
    """A parameter value is unknown, of the wrong type, non-finite or out of range."""


@dataclass(frozen=True)
class ParamSpec:
    """One row of the parameter table."""

    name: str
    symbol: str
    unit: str
    default: float | str
    low: float | None
    high: float | None
    explanation: str
    source: str
    choices: tuple[str, ...] = ()
    log_scale: bool = False

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    @property
    def is_illustrative(self) -> bool:
        return self.source == ILLUSTRATIVE

    def range_text(self) -> str:
        if self.choices:
            return ", ".join(self.choices)
        return f"{self.low:g} to {self.high:g}"

    def check(self, value: Any) -> float | str:
        """Return ``value`` converted to this parameter's type, or raise ParameterError."""
        if self.choices:
            if not isinstance(value, str) or value not in self.choices:
                raise ParameterError(
                    f"{self.name} = {value!r} is not allowed (allowed: {self.range_text()})"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(
                f"{self.name} = {value!r} must be a number ({self.range_text()} {self.unit})"
            )
        number = float(value)
        assert self.low is not None and self.high is not None
        if not math.isfinite(number) or not self.low <= number <= self.high:
            raise ParameterError(
                f"{self.name} = {value!r} is out of range (allowed: {self.range_text()}"
                f"{' ' + self.unit if self.unit else ''})"
            )
        return number


def _p(
    default: float | str,
    low: float | None,
    high: float | None,
    *,
    symbol: str,
    unit: str,
    explanation: str,
    source: str,
    choices: tuple[str, ...] = (),
    log_scale: bool = False,
) -> Any:
    meta = {
        "symbol": symbol,
        "unit": unit,
        "low": low,
        "high": high,
        "explanation": explanation,
        "source": source,
        "choices": choices,
        "log_scale": log_scale,
    }
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Params:
    """All model parameters, validated on construction (see MODEL.md for the equations)."""

    start_year: float = _p(
        2026.0,
        2020.0,
        2040.0,
        symbol="t0",
        unit="year",
        explanation="Calendar year the run starts; every level is measured relative to it.",
        source="-",
    )
    years: float = _p(
        12.0,
        1.0,
        50.0,
        symbol="",
        unit="years",
        explanation="How many years to simulate (one row per simulated month).",
        source="-",
    )
    compute_growth: float = _p(
        0.663,
        0.0,
        1.5,
        symbol="g_C",
        unit="OOM/yr",
        explanation="Growth of compute available for AI (hardware x spending); "
        "0.663 OOM/yr is 4.6x per year.",
        source="Epoch AI (2024): frontier training compute grows 4-5x per year",
    )
    compute_ceiling: float = _p(
        7.0,
        1.0,
        15.0,
        symbol="h_max",
        unit="OOM",
        explanation="How far compute can grow above today's before hitting physical and "
        "economic limits.",
        source=ILLUSTRATIVE,
    )
    software_pace: float = _p(
        0.45,
        0.1,
        1.5,
        symbol="g_S0",
        unit="OOM/yr",
        explanation="Historical pace of algorithmic progress with human researchers only: "
        "compute needed for fixed performance halves about every 8 months.",
        source="Ho et al. (2024), Algorithmic progress in language models, arXiv 2403.05812",
    )
    software_returns: float = _p(
        1.2,
        0.2,
        5.0,
        symbol="r",
        unit="",
        explanation="Returns to software R&D: doublings of software efficiency per doubling of "
        "cumulative research input. Above 1, automated research can run away "
        "(the explosion condition).",
        source="Davidson and Houlden (2025), Forethought: median 1.2 (range 0.4-3.6)",
        log_scale=True,
    )
    parallel_returns: float = _p(
        0.3,
        0.1,
        1.0,
        symbol="p",
        unit="",
        explanation="Returns to running research in parallel: doubling the research effort "
        "multiplies its speed by 2^p.",
        source="Davidson and Houlden (2025), Forethought: 0.3 (range 0.15-0.6)",
    )
    full_automation_speedup: float = _p(
        8.0,
        1.0,
        100.0,
        symbol="f",
        unit="x",
        explanation="How much faster software progress would be if all AI R&D were automated "
        "with today's compute and software.",
        source="Davidson and Houlden (2025), Forethought: median 8 (range 2-32)",
        log_scale=True,
    )
    software_ceiling: float = _p(
        12.0,
        2.0,
        40.0,
        symbol="s_max",
        unit="OOM",
        explanation="Distance to the effective limits of software efficiency; returns to "
        "research fall linearly to zero there.",
        source="Davidson (2023), compute-centric framework: 1e12 (12 OOM)",
    )
    automation_now: float = _p(
        0.08,
        0.001,
        0.9,
        symbol="a(t0)",
        unit="share",
        explanation="Share of AI R&D tasks done by AI at the start (0.08 gives today's "
        "research speed-up of about 1.2x).",
        source=ILLUSTRATIVE,
        log_scale=True,
    )
    automation_span: float = _p(
        4.0,
        0.5,
        10.0,
        symbol="",
        unit="OOM",
        explanation="Effective compute needed to go from 20% to 95% automation of AI R&D "
        "(the 'FLOP gap').",
        source="Davidson (2023), compute-centric framework: FLOP gap ~1e4 (10 to 1e8)",
    )
    oversight_pace: float = _p(
        0.9,
        0.0,
        3.0,
        symbol="g_V0",
        unit="OOM/yr",
        explanation="How fast the capability level that oversight can reliably handle grows "
        "without AI help.",
        source=ILLUSTRATIVE,
    )
    oversight_share: float = _p(
        0.05,
        0.0,
        1.0,
        symbol="sigma",
        unit="share",
        explanation="Share of AI research effort that goes to oversight and alignment.",
        source=ILLUSTRATIVE,
    )
    oversight_start: float = _p(
        0.0,
        -5.0,
        5.0,
        symbol="v(t0)-c(t0)",
        unit="OOM",
        explanation="Where oversight starts relative to the frontier (0: today's frontier is "
        "just within what oversight can reliably handle).",
        source=ILLUSTRATIVE,
    )
    pause_oversight_boost: float = _p(
        2.0,
        1.0,
        10.0,
        symbol="b_pause",
        unit="x",
        explanation="Speed-up of oversight research while a development pause is on "
        "(effort reassigned from capabilities).",
        source=ILLUSTRATIVE,
    )
    pause_research_fraction: float = _p(
        0.5,
        0.0,
        1.0,
        symbol="pi_S",
        unit="share",
        explanation="Fraction of its normal speed at which software research goes on during a "
        "development pause (no large experiments).",
        source=ILLUSTRATIVE,
    )
    pause_compute_fraction: float = _p(
        1.0,
        0.0,
        1.0,
        symbol="pi_H",
        unit="share",
        explanation="Fraction of its normal growth at which compute keeps accumulating during a "
        "development pause.",
        source=ILLUSTRATIVE,
    )
    release_mode: str = _p(
        "instant",
        None,
        None,
        symbol="",
        unit="",
        explanation="What happens when a development pause ends: 'instant' releases the "
        "overhang at once, 'gradual' lifts capability at most release_rate faster than its "
        "potential, 'no_catch_up' resumes at the old rate (a pure delay).",
        source="the compute-overhang debate",
        choices=RELEASE_MODES,
    )
    release_rate: float = _p(
        1.0,
        0.1,
        10.0,
        symbol="rho",
        unit="OOM/yr",
        explanation="With gradual release: how much faster than its potential capability may "
        "rise until the overhang is used up.",
        source=ILLUSTRATIVE,
        log_scale=True,
    )
    metr_exponent: float = _p(
        0.77,
        0.1,
        2.0,
        symbol="e_H",
        unit="",
        explanation="OOM of METR time horizon per OOM of effective compute; 0.77 makes 2026's "
        "growth of effective compute reproduce METR's 129-day doubling.",
        source="fitted to METR (2025) time horizons TH1.1",
    )
    diffusion_rate: float = _p(
        0.5,
        0.0,
        5.0,
        symbol="d",
        unit="/yr",
        explanation="Race mode: share of the software lead that followers close each year "
        "(leaks, papers, hires).",
        source=ILLUSTRATIVE,
    )
    defection_threshold: float = _p(
        1.0,
        0.1,
        10.0,
        symbol="theta",
        unit="OOM",
        explanation="With defection on: a complying lab resumes when a non-complying lab gets "
        "this far ahead of it.",
        source="illustrative (race models: Armstrong, Bostrom and Shulman 2016)",
    )

    def __post_init__(self) -> None:
        for spec in param_specs():
            object.__setattr__(self, spec.name, spec.check(getattr(self, spec.name)))

    def replace(self, **changes: Any) -> Params:
        """A copy with some values changed (validated)."""
        unknown = sorted(set(changes) - set(PARAM_NAMES))
        if unknown:
            raise ParameterError(f"unknown parameter {unknown[0]!r}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, float | str]:
        return {name: getattr(self, name) for name in PARAM_NAMES}

    @property
    def n_months(self) -> int:
        return round(self.years * 12)


def param_specs() -> tuple[ParamSpec, ...]:
    """The parameter table, in declaration order."""
    return _SPECS


def _build_specs() -> tuple[ParamSpec, ...]:
    rows = []
    for f in dataclasses.fields(Params):
        m = f.metadata
        rows.append(
            ParamSpec(
                name=f.name,
                symbol=m["symbol"],
                unit=m["unit"],
                default=f.default,  # type: ignore[arg-type]
                low=m["low"],
                high=m["high"],
                explanation=m["explanation"],
                source=m["source"],
                choices=m["choices"],
                log_scale=m["log_scale"],
            )
        )
    return tuple(rows)


_SPECS = _build_specs()
PARAM_NAMES: tuple[str, ...] = tuple(s.name for s in _SPECS)
SPEC_BY_NAME: dict[str, ParamSpec] = {s.name: s for s in _SPECS}


def parse_value(name: str, text: str) -> float | str:
    """Parse ``text`` (from ``--set NAME=VALUE`` or a GUI field) as parameter ``name``."""
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        raise ParameterError(f"unknown parameter {name!r} (see 'rsiviz params')")
    if spec.is_choice:
        return spec.check(text)
    try:
        number = float(text)
    except ValueError:
        raise ParameterError(
            f"{name} = {text!r} is not a number (allowed: {spec.range_text()})"
        ) from None
    return spec.check(number)
