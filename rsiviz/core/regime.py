"""Regimes of a run: does the feedback loop fizzle, accelerate, or explode?

The sweep map draws the boundary between regimes, so the words need precise definitions.
Both compare software progress with its historical pace (the progress multiplier
``M = ds/dt / software_pace`` of the frontier lab, sampled at month boundaries):

- **explosion**: in some 12 consecutive months software makes at least
  ``EXPLOSION_YEARS`` = 3 years of progress at the historical pace (the mean of ``M``
  over those months is at least 3). This is the threshold Davidson and Houlden (2025)
  report ("at least 3 years of progress within 12 months") for a software intelligence
  explosion.
- **fizzle**: the progress multiplier never exceeds ``FIZZLE_MULTIPLIER`` = 2x, so the loop
  at most doubles the historical pace (illustrative cut-off).
- **accelerating**: everything in between.

An explosion always has ``M >= 3`` somewhere, so the two ends never overlap. Regimes are
conditional on the assumptions of the run, like every curve: they are not a forecast.
"""

from __future__ import annotations

import numpy as np

from rsiviz.core.history import History
from rsiviz.core.model import FloatArray, _flat

FIZZLE, ACCELERATING, EXPLOSION = 0, 1, 2
REGIME_NAMES: dict[int, str] = {
    FIZZLE: "fizzle",
    ACCELERATING: "accelerating",
    EXPLOSION: "explosion",
}
FIZZLE_MULTIPLIER = 2.0  # illustrative
EXPLOSION_YEARS = 3.0  # Davidson and Houlden (2025)
EXPLOSION_WINDOW_MONTHS = 12
REGIME_RULE = (
    f"explosion: >= {EXPLOSION_YEARS:g} years of software progress (at the historical pace) "
    f"within {EXPLOSION_WINDOW_MONTHS} months; fizzle: progress multiplier never above "
    f"{FIZZLE_MULTIPLIER:g}x"
)


def years_of_progress_in_window(hist: History, months: int = EXPLOSION_WINDOW_MONTHS) -> FloatArray:
    """Most software progress in any ``months`` consecutive months, in historical years.

    Returns ``(N,)``: the largest rise of the frontier's software level over ``months``
    month boundaries, divided by the historical pace ``software_pace`` (OOM/yr). A run
    shorter than the window counts its whole length.
    """
    s = hist.s[: hist.length].max(axis=2)  # (T, N): the most advanced lab's software
    window = min(months, s.shape[0] - 1)
    gain = (s[window:] - s[: s.shape[0] - window]).max(axis=0)
    return np.asarray(gain / _flat(hist.k.g_s), dtype=float)


def regime(hist: History) -> FloatArray:
    """``(N,)`` regime of each member: FIZZLE (0), ACCELERATING (1) or EXPLOSION (2).

    Floats, so that a sweep can draw iso-lines at 0.5 and 1.5 between regimes.
    """
    peak = hist.progress_multiplier().max(axis=0)
    out = np.where(peak > FIZZLE_MULTIPLIER, float(ACCELERATING), float(FIZZLE))
    out[years_of_progress_in_window(hist) >= EXPLOSION_YEARS] = float(EXPLOSION)
    return np.asarray(out, dtype=float)
