"""The loop diagram's numbers: contributions sum and sign as MODEL.md's equations say."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.interventions import LinkCut
from rsiviz.core.loop import LINK_BY_KEY, LOOP_LINKS, LOOPS, NODES, loop_state, node_level
from rsiviz.core.model import EXP_MAX
from rsiviz.core.scenario import load_preset

from .budget import examples
from .test_cuts import cuts
from .test_properties import params


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_contributions_sum_to_the_software_rate_with_the_signs_of_the_equations(
    data: st.DataObject,
) -> None:
    p = data.draw(params())
    cut_list = data.draw(cuts(p))
    pause = DevelopmentPause.at(p.start_year + data.draw(st.floats(0.0, p.years)), months=12)
    hist = Simulation(p, pauses=[pause], cuts=cut_list).run()
    for month in range(hist.length):
        st_ = loop_state(hist, month, cut_list)
        ds = hist.ds[month, 0, 0]
        exponent = st_.human_term + st_.ai_term + st_.returns_term
        # below the overflow cap, not stopped at a ceiling, and a normal float (a subnormal
        # rate, e.g. research at 5e-324 of its pace during a pause, has lost the digits)
        if ds >= np.finfo(float).tiny and exponent < EXP_MAX:
            assert st_.log_rate == pytest.approx(math.log10(ds), abs=1e-9, rel=1e-9)
        assert st_.human_term >= 0.0 and st_.ai_term >= 0.0  # h, s never fall below 0
        assert st_.returns_term <= 0.0 and st_.pause_term <= 0.0
        assert st_.compute_growth >= 0.0 and 0.0 <= st_.a <= 1.0
        if "oversight_uplift" not in st_.cut:
            assert st_.uplift * (st_.multiplier - 1.0) >= 0.0
        for link in LOOP_LINKS:
            assert 0.0 <= link.strength(st_) <= 1.0, link.key


def test_levels_are_the_history_s() -> None:
    sc = load_preset("pause_2028_instant")
    hist = sc.simulation().run()
    for month in (0, 12, 30, 60, hist.length - 1):
        st_ = loop_state(hist, month)
        assert st_.c == hist.capability()[month, 0] and st_.v == hist.oversight()[month, 0]
        assert st_.gap == pytest.approx(hist.gap()[month, 0], abs=1e-12)
        assert st_.a == hist.automation()[month, 0]
        assert st_.multiplier == pytest.approx(hist.progress_multiplier()[month, 0], rel=1e-12)
        assert st_.doubling_time_months == hist.doubling_time_months()[month, 0]
        assert st_.paused == bool(hist.any_paused()[month, 0])


def test_a_development_pause_stops_the_capability_link_and_release_surges() -> None:
    hist = load_preset("pause_2028_instant").simulation().run()
    paused = np.flatnonzero(hist.any_paused()[:, 0])
    link = LINK_BY_KEY["software_capability"]
    during = loop_state(hist, int(paused[3]))
    release = loop_state(hist, int(paused[-1]) + 1)
    before = loop_state(hist, int(paused[0]) - 1)
    assert during.paused and link.value(during) == 0.0
    assert LINK_BY_KEY["compute_capability"].value(during) == 0.0
    # the overhang released at once: the month's capability growth dwarfs the trend before
    assert link.value(release) > 5 * link.value(before)
    assert during.pause_term == pytest.approx(math.log10(0.5))


def test_default_start_matches_model_md() -> None:
    st_ = loop_state(Simulation().run(), 0)
    assert st_.ai_speedup == pytest.approx(1.18, abs=0.01)  # MODEL.md: today's ~1.18x
    assert st_.human_term == 0.0 and st_.returns_term == 0.0
    assert node_level(st_, "automation") == "a = 8%"


def test_cut_links_hold_their_terms() -> None:
    cut_list = [LinkCut("ai_labour", 2028.0), LinkCut("oversight_uplift", 2028.0)]
    hist = Simulation(Params(), cuts=cut_list).run()
    at_cut, later = loop_state(hist, 24, cut_list), loop_state(hist, 60, cut_list)
    assert loop_state(hist, 23, cut_list).cut == ()
    assert set(later.cut) == {"ai_labour", "oversight_uplift"}
    assert later.rho_ai == at_cut.rho_ai and later.uplift == at_cut.uplift
    assert later.h + later.s > at_cut.h + at_cut.s + 1.0
    assert later.log_rate == pytest.approx(math.log10(hist.ds[60, 0, 0]), abs=1e-9)


def test_every_link_joins_two_nodes_and_every_cut_is_a_link() -> None:
    from rsiviz.core.interventions import LINKS

    for link in LOOP_LINKS:
        assert link.source in NODES and link.target in NODES and link.sign in (1, -1)
        assert link.cut is None or link.cut in LINKS
    assert {link.cut for link in LOOP_LINKS} - {None} == set(LINKS)
    for _, nodes in LOOPS.values():
        assert set(nodes) <= set(NODES)


def test_loop_state_reads_each_run_s_own_constants() -> None:
    """loop_state keeps the last run's constants as floats (a frame per month of one run);
    alternating between runs with other parameters still reads each run's own."""
    import dataclasses

    from rsiviz.core.history import doubling_time_months
    from rsiviz.core.loop import _doubling_months

    base = load_preset("status_quo")
    other = dataclasses.replace(base, params=dataclasses.replace(base.params, software_returns=2.0))
    runs = [sc.simulation().run() for sc in (base, other)]
    first = [loop_state(h, 30) for h in runs]
    again = [loop_state(h, 30) for h in reversed(runs)][::-1]
    assert first == again and first[0] != first[1]
    assert first[0].returns_term != first[1].returns_term
    for dc in (0.0, 1e-10, 0.3, 2.5):
        assert _doubling_months(dc) == float(doubling_time_months(np.float64(dc)))
