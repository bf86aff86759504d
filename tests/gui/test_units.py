"""Axis units, tick labels and helper arithmetic (pure numpy)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rsiviz.gui.units import (
    clock_angles,
    decimate,
    human_duration,
    level_to_axis,
    multiplier_to_axis,
    spans,
    tick_label,
    tick_values,
)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (3, "3 min"),
        (45, "45 min"),
        (120, "2 hours"),
        (8 * 60, "1 work-day"),
        (167 * 60 * 6, "6 work-months"),
        (2000 * 60 * 10, "10 work-years"),
        (2000 * 60 * 3e6, "3 million work-years"),
    ],
)
def test_human_duration(minutes: float, text: str) -> None:
    assert human_duration(minutes) == text


def test_human_duration_never_shows_inf() -> None:
    assert human_duration(math.inf) == "-"
    assert human_duration(float("nan")) == "-"


@pytest.mark.parametrize("unit", ["oom", "gap", "metr", "multiplier"])
def test_ticks_are_inside_the_range_and_labelled_in_words(unit: str) -> None:
    values = tick_values(unit, 0.3, 14.0, 7)
    assert 2 <= len(values) <= 7
    assert all(0.3 <= v <= 14.0 for v in values)
    labels = [tick_label(unit, v) for v in values]
    assert all(labels) and len(set(labels)) == len(labels)
    suffix = {"oom": "OOM", "gap": "OOM", "metr": "", "multiplier": "x"}[unit]
    assert all(suffix in label for label in labels)
    if unit == "metr":
        assert any("work-" in label for label in labels)
        assert not any(ch.isdigit() and "e+" in label for label in labels for ch in label)


def test_multiplier_ticks_include_milestones_when_few() -> None:
    labels = [tick_label("multiplier", v) for v in tick_values("multiplier", 0, 3.5, 12)]
    assert "5x" in labels and "25x" in labels and "250x" in labels and "2,000x" in labels


def test_empty_or_bad_ranges_give_no_ticks() -> None:
    assert tick_values("oom", 5, 5) == []
    assert tick_values("metr", math.nan, 3) == []


def test_level_conversions() -> None:
    c = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(level_to_axis("oom", c, 100.0, 0.77), c)
    np.testing.assert_allclose(level_to_axis("metr", c, 100.0, 0.5), [2.0, 2.5, 3.0])
    assert np.isfinite(multiplier_to_axis(np.array([0.0, 1.0, 1e9]))).all()


def test_decimate_keeps_extremes_and_bounds_points() -> None:
    x = np.arange(100_000, dtype=float)
    y = np.sin(x / 500.0)
    y[12_345] = 5.0
    xs, ys = decimate(x, y, 1000)
    assert len(xs) <= 1002
    assert ys.max() == 5.0 and xs[0] == 0 and xs[-1] == x[-1]
    assert np.all(np.diff(xs) > 0)
    same_x, _ = decimate(x[:10], y[:10], 1000)
    assert len(same_x) == 10


def test_clock_turns_once_per_doubling_and_stops_when_not_growing() -> None:
    angles = clock_angles(np.full(13, 12.0))  # doubling every 12 months, 12 months
    assert angles[-1] == pytest.approx(360.0)
    stopped = clock_angles(np.array([6.0, np.inf, np.inf, np.inf]))
    assert stopped[-1] == stopped[1] == 0.0
    faster = clock_angles(np.array([2.0, 2.0, 2.0]))
    assert faster[-1] == pytest.approx(360.0)


def test_spans_report_start_end_and_whether_ended() -> None:
    t = np.arange(8, dtype=float)
    flags = np.array([0, 1, 1, 0, 0, 1, 1, 1], dtype=bool)
    assert spans(t, flags) == [(1.0, 3.0, True), (5.0, 7.0, False)]
    assert spans(t, np.zeros(8, dtype=bool)) == []
