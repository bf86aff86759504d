"""Axis units and tick labels in human terms (pure numpy: no Qt, unit-testable).

Capability can be read in three units:

- ``"oom"``: effective compute, orders of magnitude (log10) above the start year;
- ``"metr"``: the METR 50% time horizon, plotted as log10(minutes) and labelled in
  minutes, hours, work-days, work-months and work-years;
- ``"multiplier"``: the progress multiplier of AI research, plotted as log10(M) and
  labelled ``5x``, ``25x`` ...
"""

from __future__ import annotations

import math

import numpy as np

from rsiviz.core.literature import AI2027_MILESTONES

CAPABILITY_UNITS: dict[str, str] = {
    "oom": "Effective compute (OOM)",
    "metr": "METR time horizon",
    "multiplier": "Progress multiplier",
}
AXIS_TITLES: dict[str, str] = {
    "oom": "Capability (effective compute)",
    "metr": "Capability (METR task length)",
    "multiplier": "Capability (research speed-up)",
}

# METR's working-time conventions: 8 h work-day, 167 h work-month, 2000 h work-year.
MINUTE, HOUR = 1.0, 60.0
WORK_DAY, WORK_MONTH, WORK_YEAR = 8 * HOUR, 167 * HOUR, 2000 * HOUR
# AI 2027 takeoff milestones for the progress multiplier (one list: rsiviz.core.literature).
MILESTONES: tuple[tuple[float, str], ...] = tuple(
    (value, f"{value:g}x {name}") for value, name in AI2027_MILESTONES
)
_MULTIPLIER_FLOOR = 1e-3


def _number(x: float) -> str:
    """Short human number: 2, 2.5, 30, 1,000, 1e+06."""
    if x >= 1e6:
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if x >= size and x < size * 1000:
                value = x / size
                return f"{value:.0f} {word}" if value >= 10 else f"{value:.2g} {word}"
        return f"10^{math.log10(x):.0f}"
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:.2g}"


def human_duration(minutes: float) -> str:
    """A METR horizon in human terms: '45 min', '3 hours', '2 work-days', '6 work-months'."""
    if not math.isfinite(minutes) or minutes <= 0:
        return "-"
    scales = (
        (WORK_YEAR, "work-year"),
        (WORK_MONTH, "work-month"),
        (WORK_DAY, "work-day"),
        (HOUR, "hour"),
        (MINUTE, "min"),
    )
    for size, name in scales:
        if minutes >= size * 0.999 or size == MINUTE:
            value = minutes / size
            text = _number(float(f"{value:.2g}"))
            plural = "" if name == "min" or text == "1" else "s"
            return f"{text} {name}{plural}"
    raise AssertionError("unreachable")


def _candidates_metr() -> list[float]:
    """Round durations (minutes) that make good METR tick marks, ascending."""
    out = [1.0, 2.0, 5.0, 15.0, 30.0]
    out += [HOUR * k for k in (1, 2, 4)]
    out += [WORK_DAY * k for k in (1, 2, 5)]
    out += [WORK_MONTH * k for k in (1, 2, 6)]
    out += [WORK_YEAR * 10.0**e * m for e in range(0, 20) for m in (1, 3)]
    return out


def _candidates_multiplier() -> list[float]:
    # 1-2.5-5 steps from 10 up, so the AI 2027 milestones (5, 25, 250, 2000) are ticks.
    out = [m * 10.0**e for e in range(-3, 1) for m in (1, 2, 5)]
    out += [m * 10.0**e for e in range(1, 7) for m in (1, 2.5, 5)]
    return sorted(set(out) | {2000.0} - {2500.0})


def _thin(
    values: list[float], lo: float, hi: float, max_ticks: int, preferred: tuple[float, ...] = ()
) -> list[float]:
    """log10 of the candidate values inside [lo, hi], thinned to at most ``max_ticks``;
    ``preferred`` values are kept first when they alone are few enough."""
    logs = [math.log10(v) for v in values if lo <= math.log10(v) <= hi]
    if len(logs) <= max_ticks:
        return logs
    best = [math.log10(v) for v in preferred if lo <= math.log10(v) <= hi]
    if 2 <= len(best) <= max_ticks:
        return best
    # Keep evenly spaced ones in log space, always including the ends.
    picks = np.linspace(lo, hi, max_ticks)
    chosen = sorted({min(logs, key=lambda x, p=p: abs(x - p)) for p in picks})
    gap = 0.6 * (hi - lo) / max(1, max_ticks - 1)
    kept = chosen[:1]
    for value in chosen[1:]:
        if value - kept[-1] >= gap:  # no two labels crowded together
            kept.append(value)
    return kept


def tick_values(unit: str, lo: float, hi: float, max_ticks: int = 7) -> list[float]:
    """Tick positions (axis values) for ``unit`` over the visible range [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return []
    if unit == "metr":
        return _thin(_candidates_metr(), lo, hi, max_ticks)
    if unit == "multiplier":
        return _thin(
            _candidates_multiplier(), lo, hi, max_ticks, (0.1, 0.5, 1.0, 5.0, 25.0, 250.0, 2000.0)
        )
    step = max(1, math.ceil((hi - lo) / max(1, max_ticks - 1)))
    if step > 2:
        step = 5 * math.ceil(step / 5) if step > 5 else 5
    first = math.ceil(lo / step) * step
    return [float(v) for v in np.arange(first, hi + 1e-9, step)]


def tick_label(unit: str, value: float) -> str:
    """The label of one tick at axis value ``value``."""
    if unit == "metr":
        return human_duration(10.0**value)
    if unit == "multiplier":
        return f"{_number(float(f'{10.0**value:.3g}'))}x"
    if abs(value) < 1e-9:
        return "0" if unit == "gap" else "start"
    return f"{value:+.0f} OOM" if abs(value - round(value)) < 1e-9 else f"{value:+.1f} OOM"


def level_to_axis(
    unit: str, level: np.ndarray, metr_start_minutes: float, metr_exponent: float
) -> np.ndarray:
    """A level in OOM above the start (any shape) -> axis value for ``unit``.

    ``"multiplier"`` has no level mapping; callers plot the multiplier series instead.
    """
    if unit == "metr":
        return math.log10(metr_start_minutes) + metr_exponent * level
    return level


def multiplier_to_axis(multiplier: np.ndarray) -> np.ndarray:
    """Progress multiplier (x) -> log10 axis value, floored so it is always finite."""
    return np.log10(np.maximum(multiplier, _MULTIPLIER_FLOOR))


def decimate(x: np.ndarray, y: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """Min/max decimation to at most ~``max_points`` points, keeping peaks (for thick lines).

    ``x`` and ``y`` are (T,); returns views when no decimation is needed.
    """
    n = len(x)
    if n <= max_points or max_points < 4:
        return x, y
    bins = max_points // 2
    edges = np.linspace(0, n, bins + 1).astype(int)
    starts = edges[:-1]
    counts = np.maximum(np.diff(edges), 1)
    idx = np.arange(n)
    bin_of = np.repeat(np.arange(bins), counts)[:n]
    order_min = np.lexsort((y, bin_of))
    order_max = np.lexsort((-y, bin_of))
    i_min = order_min[starts]
    i_max = order_max[starts]
    keep = np.unique(np.concatenate([i_min, i_max, idx[[0, n - 1]]]))
    return x[keep], y[keep]


def clock_angles(doubling_months: np.ndarray) -> np.ndarray:
    """Cumulative RSI-clock angle (degrees) at each monthly row.

    The hand advances 360 deg * elapsed_months / doubling_time each month, so one turn is
    one capability doubling; while capability does not grow (``inf``) it stands still.
    ``doubling_months`` is (T,); returns (T,) starting at 0.
    """
    d = np.asarray(doubling_months, dtype=float)
    with np.errstate(divide="ignore"):
        rate = np.where(np.isfinite(d) & (d > 0), 360.0 / np.maximum(d, 1e-9), 0.0)
    angles = np.zeros(len(d))
    if len(d) > 1:
        # A month with a stopped clock at either end does not turn the hand.
        stopped = (rate[1:] == 0) | (rate[:-1] == 0)
        steps = np.where(stopped, 0.0, 0.5 * (rate[1:] + rate[:-1]))
        angles[1:] = np.cumsum(steps)
    return angles


def spans(time: np.ndarray, flags: np.ndarray) -> list[tuple[float, float, bool]]:
    """Contiguous runs of True in ``flags`` (T,) as (start, end, ended) times.

    ``end`` is the first row after the run (``ended`` True) or the last row when the run
    is still going (``ended`` False).
    """
    f = np.asarray(flags, dtype=bool)
    if not f.any():
        return []
    padded = np.concatenate([[False], f, [False]])
    change = np.flatnonzero(padded[1:] != padded[:-1])
    out = []
    for start, stop in zip(change[::2], change[1::2], strict=True):
        ended = bool(stop < len(time))
        end_row = min(stop, len(time) - 1)
        out.append((float(time[start]), float(time[end_row]), ended))
    return out
