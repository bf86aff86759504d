"""Story claims: the vocabulary, each kind true and false on constructed runs, and stories."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.claims import (
    TOL,
    UNITS,
    WINDOW_MONTHS,
    ClaimError,
    Scene,
    evaluate,
    parse_claim,
    series,
)
from rsiviz.core.history import lab_slug
from rsiviz.core.interventions import Lab
from rsiviz.core.story import StoryError, find_story, list_stories, story_from_text

from .budget import examples

LABS = (Lab("Lab A"), Lab("Lab B", -0.3, -0.2), Lab("Lab C", -0.6, -0.4, complies=False))
NAMES = tuple(lab.name for lab in LABS)
P = Params(years=12.0)


def _month(year: float) -> int:
    return round((year - P.start_year) * 12)


def _scene(pauses: tuple[DevelopmentPause, ...] = (), labs: tuple[Lab, ...] = (Lab(),)) -> Scene:
    """A whole run; a Scene at any month is read from it (rows past the month unused)."""
    sim = Simulation(P, labs, pauses)
    return Scene(sim.run(), 0, tuple(lab.name for lab in labs))


FREE = _scene()  # the default single-lab run: explodes around 2028, slows near 2031
PAUSED = _scene((DevelopmentPause.at(2028.0, months=18, release="instant"),))
RACE = _scene((DevelopmentPause.at(2028.0, months=600, compliance=("Lab A", "Lab B")),), LABS)


def at(scene: Scene, year: float) -> Scene:
    return Scene(scene.history, _month(year), scene.labs)


def holds(text: str, here: Scene, previous: Scene | None = None, cf: Scene = FREE) -> bool:
    return evaluate(parse_claim(text), here, previous, at(cf, here.year)).holds


# -- parsing ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,kind,lab,quantity,op,ref,value",
    [
        ("multiplier rising", "trend", None, "multiplier", "rising", None, None),
        ("gap above 1.5", "compare", None, "gap", "above", None, 1.5),
        ("doubling time below previous beat", "compare", None, "doubling time", "below",
         "previous beat", None),
        ("gap  below   counterfactual", "compare", None, "gap", "below", "counterfactual", None),
        ("oversight within 0.5 of counterfactual", "within", None, "oversight", None,
         "counterfactual", 0.5),
        ("horizon above 1e4", "compare", None, "horizon", "above", None, 10000.0),
        ("capability not growing", "growing", None, None, "not", None, None),
        ("lab 'Lab C' growing", "growing", "Lab C", None, None, None, None),
        ('lab "Lab C" development pause off', "pause", "Lab C", None, "off", None, None),
        ("lab 'Lab C' within 0.5 OOM of the leader", "near", "Lab C", None, None, None, 0.5),
        ("lab 'Lab C' leads", "leads", "Lab C", None, None, None, None),
        ("lab 'Lab C' overhang falling", "trend", "Lab C", "overhang", "falling", None, None),
    ],
)  # fmt: skip
def test_parse_each_form(
    text: str,
    kind: str,
    lab: str | None,
    quantity: str | None,
    op: str | None,
    ref: str | None,
    value: float | None,
) -> None:
    c = parse_claim(text)
    assert (c.kind, c.lab, c.quantity, c.op, c.ref, c.value) == (
        kind,
        lab,
        quantity,
        op,
        ref,
        value,
    )


def test_parse_ahead_of_names_both_labs() -> None:
    c = parse_claim("lab 'Lab C' ahead of \"Lab A\"")
    assert (c.kind, c.lab, c.other) == ("ahead", "Lab C", "Lab A")


@pytest.mark.parametrize(
    "text,needle",
    [
        ("capability is big", "is not understood"),
        ("multiplier rising fast", "is not understood"),
        ("", "must be a non-empty string"),
        (3, "must be a non-empty string"),
        ("leads", "needs a lab first"),
        ("within 1 OOM of the leader", "needs a lab first"),
        ("lab 'Lab C' gap above 1", "gap is field-wide"),
        ("gap above 1e999", "not a finite number"),
        ("gap above " + "9" * 300, "is too long \\(at most 200 characters\\)"),
    ],
)
def test_parse_rejects_with_one_clear_message(text: object, needle: str) -> None:
    with pytest.raises(ClaimError, match=needle):
        parse_claim(text)


# -- each kind, true and false --------------------------------------------------------------
def test_compare_with_a_number() -> None:
    here = at(FREE, 2028.0)  # gap 1.96 OOM
    gap = float(FREE.history.gap()[here.month, 0])
    assert 1.5 < gap < 2.5
    assert holds("gap above 1.5", here) and not holds("gap below 1.5", here)
    assert holds("gap below 2.5", here) and not holds("gap above 2.5", here)
    v = evaluate(parse_claim("gap above 2.5"), here, None, here)
    assert v.observed == f"gap {gap:.3g} OOM"


def test_compare_with_the_previous_beat() -> None:
    before, after = at(FREE, 2027.5), at(FREE, 2028.0)  # doubling time 1.68 -> 0.59 months
    assert holds("doubling time below previous beat", after, before)
    assert not holds("doubling time above previous beat", after, before)
    late = at(FREE, 2029.5)  # 2.0 months: slower again (the issue's rsi_clock beat 4)
    assert not holds("doubling time below previous beat", late, after)
    v = evaluate(parse_claim("doubling time below previous beat"), late, after, late)
    assert "previous beat (2028.00): 0.586 months" in v.observed


def test_compare_with_the_counterfactual() -> None:
    here = at(PAUSED, 2029.0)
    assert holds("gap below counterfactual", here) and holds("oversight above counterfactual", here)
    assert not holds("capability above counterfactual", here)
    assert not holds("gap below counterfactual", at(FREE, 2029.0))  # equal is neither
    assert holds("gap within 0 of counterfactual", at(FREE, 2029.0))
    assert not holds("gap within 0.5 of counterfactual", here)


def test_rising_and_falling_compare_with_window_months_earlier() -> None:
    assert holds("multiplier rising", at(FREE, 2028.0))
    assert not holds("multiplier falling", at(FREE, 2028.0))
    assert holds("multiplier falling", at(FREE, 2029.5))
    assert not holds("multiplier rising", at(FREE, 2029.5))
    m = _month(2029.5)
    mult = FREE.history.progress_multiplier()[:, 0]
    v = evaluate(parse_claim("multiplier rising"), at(FREE, 2029.5), None, FREE)
    assert v.observed == (
        f"multiplier {mult[m]:.3g}x in 2029.50, {mult[m - WINDOW_MONTHS]:.3g}x 3 months earlier"
    )


def test_a_constant_is_neither_rising_nor_falling_and_month_0_has_no_past() -> None:
    during = at(PAUSED, 2029.0)  # capability frozen by the development pause
    assert not holds("capability rising", during) and not holds("capability falling", during)
    start = FREE  # month 0
    assert not holds("capability rising", start) and not holds("capability falling", start)
    v = evaluate(parse_claim("gap rising"), start, None, start)
    assert "the run starts here" in v.observed


def test_growing_follows_the_clock() -> None:
    assert holds("capability growing", at(FREE, 2028.0))
    assert not holds("capability not growing", at(FREE, 2028.0))
    assert holds("capability not growing", at(PAUSED, 2029.0))
    v = evaluate(parse_claim("capability growing"), at(PAUSED, 2029.0), None, FREE)
    assert not v.holds and v.observed == "capability not growing"
    assert math.isinf(PAUSED.history.doubling_time_months()[_month(2029.0), 0])


def test_development_pause_on_and_off() -> None:
    assert holds("development pause on", at(PAUSED, 2029.0))
    assert not holds("development pause off", at(PAUSED, 2029.0))
    assert holds("development pause off", at(PAUSED, 2030.0))  # 18 months: over in 2029.5
    assert not holds("development pause on", at(FREE, 2029.0))


def test_race_per_lab_claims() -> None:
    here = at(RACE, 2028.25)  # A and B stopped at 3.93 / 2.78 OOM; C trains (2.89 OOM)
    assert holds("lab 'Lab C' growing", here) and holds("lab 'Lab A' not growing", here)
    assert holds("lab 'Lab A' development pause on", here)
    assert holds("lab 'Lab C' development pause off", here)
    assert not holds("lab 'Lab C' development pause on", here)
    assert holds("development pause on", here)  # any lab in a development pause
    assert holds("lab 'Lab A' leads", here) and not holds("lab 'Lab C' leads", here)
    assert holds("lab 'Lab C' ahead of 'Lab B'", here)
    assert not holds("lab 'Lab C' ahead of 'Lab A'", here)
    assert holds("lab 'Lab C' within 1.1 OOM of the leader", here)
    assert not holds("lab 'Lab C' within 0.9 OOM of the leader", here)
    assert holds("lab 'Lab C' capability rising", here)
    assert not holds("lab 'Lab A' capability rising", here)
    v = evaluate(parse_claim("lab 'Lab C' leads"), here, None, here)
    assert v.observed.startswith("Lab C 2.89 OOM, 1.04 OOM behind Lab A (3.93 OOM)")


def test_potential_is_the_highest_of_any_lab_and_never_collapses() -> None:
    """The issue's triangle: when a paused leader is overtaken, potential must not drop."""
    h = RACE.history
    each = h.h[:, 0] + h.s[:, 0]
    np.testing.assert_allclose(h.potential()[:, 0], each.max(axis=1))
    assert np.all(np.diff(h.potential()[:, 0]) >= -1e-12)
    assert np.all(h.potential()[:, 0] >= h.capability()[:, 0] - 1e-12)
    overtaken = np.flatnonzero(np.diff(h.frontier_index()[:, 0]) != 0)
    assert overtaken.size  # the leader does change in this run
    cols = h.columns(0, NAMES)  # what `rsiviz run` and the CSV export write
    per_lab = np.column_stack([cols[f"{lab_slug(n)}_potential"] for n in NAMES])
    np.testing.assert_array_equal(cols["potential"], per_lab.max(axis=1))


# -- properties: a claim and its opposite never both hold ---------------------------------
QUANTITIES = sorted(UNITS)
MONTHS = st.integers(0, P.n_months)


@settings(max_examples=examples(200), deadline=None)
@given(MONTHS, st.sampled_from(QUANTITIES), st.floats(-5, 25), st.sampled_from((FREE, PAUSED)))
def test_above_below_and_rising_falling_exclude_each_other(
    m: int, q: str, x: float, run: Scene
) -> None:
    here = Scene(run.history, m, run.labs)
    value = float(series(run.history, q, None)[m])
    above, below = holds(f"{q} above {x!r}", here), holds(f"{q} below {x!r}", here)
    assert not (above and below)
    assert above == (value > x + TOL)
    assert below == (value < x - TOL)
    rising, falling = holds(f"{q} rising", here), holds(f"{q} falling", here)
    assert not (rising and falling)
    grows = holds("capability growing", here)
    assert grows != holds("capability not growing", here)
    assert grows == math.isfinite(run.history.doubling_time_months()[m, 0])


# -- stories --------------------------------------------------------------------------------
STORY = """
title = "Claims"
[scenario]
name = "Test"
[scenario.params]
years = 10.0

[[beats]]
caption = "Start"
claims = ["multiplier below 1.5"]

[[beats]]
caption = "The loop runs away"
play_to = 2028.0
claims = ["multiplier rising", "{claim}"]
"""


def test_a_false_claim_refuses_the_story_with_one_exact_line() -> None:
    with pytest.raises(StoryError) as err:
        story_from_text(STORY.format(claim="multiplier falling"), "talk.story.toml")
    assert str(err.value) == (
        "talk.story.toml: beat 2 ('The loop runs away'): claim 'multiplier falling' is false: "
        "multiplier 12.2x in 2028.00, 5.68x 3 months earlier"
    )


def test_check_false_loads_a_story_with_false_claims() -> None:
    story = story_from_text(STORY.format(claim="gap above 5"), "talk.story.toml", check=False)
    assert [c.text for c in story.beats[1].claims] == ["multiplier rising", "gap above 5"]


@pytest.mark.parametrize(
    "claim,needle",
    [
        ("lab 'Lab Z' growing", "claim \"lab 'Lab Z' growing\" names unknown lab 'Lab Z'"),
        ("gap sideways", "claims: claim 'gap sideways' is not understood"),
    ],
)
def test_claims_that_cannot_be_checked_are_errors_even_unchecked(claim: str, needle: str) -> None:
    with pytest.raises(StoryError, match="talk.story.toml: beat 2") as err:
        story_from_text(STORY.format(claim=claim), "talk.story.toml", check=False)
    assert needle in str(err.value)


def test_previous_beat_at_the_first_beat_and_claims_not_a_list() -> None:
    text = STORY.replace('["multiplier below 1.5"]', '["gap above previous beat"]')
    with pytest.raises(StoryError, match="beat 1 .*the first beat has no previous beat"):
        story_from_text(text.format(claim="gap above 1"), "t.story.toml", check=False)
    text = STORY.replace('["multiplier below 1.5"]', '"gap above 1"')
    with pytest.raises(StoryError, match="claims = 'gap above 1' must be a list of strings"):
        story_from_text(text.format(claim="gap above 1"), "t.story.toml")


def test_every_shipped_caption_carries_claims_that_hold() -> None:
    for name in list_stories():
        story = find_story(name)  # loading checks every claim
        for i, beat in enumerate(story.beats):
            assert beat.claims, f"{name} beat {i + 1} ({beat.caption!r}) has no claims"


def test_the_issue_falsehoods_are_gone() -> None:
    """Issue 9: rsi_clock beat 4, development_pause beat 1, race_defection beat 4."""
    clock = find_story("rsi_clock").states()
    assert "faster than the last" in clock[3].caption
    assert clock[3].year < 2028.25  # the doubling time bottoms out in 2028.25
    pause = find_story("development_pause").states()
    assert "outruns oversight" in pause[0].caption and pause[0].month > 0  # not an empty chart
    race = find_story("race_defection")
    state = race.states()[3]
    assert "Lab C keeps training" in state.caption
    sim = Simulation(race.scenario.params, race.scenario.labs, state.pauses)
    sim.step(state.month)
    front = NAMES[int(sim.history.frontier_index()[state.month, 0])]
    assert front == "Lab C"  # the clock shows the frontier lab: now the one that trains
    assert math.isfinite(sim.history.doubling_time_months()[state.month, 0])
