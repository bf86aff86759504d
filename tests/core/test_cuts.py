"""Link cuts (MODEL.md, "Link cuts"): each holds one influence of the loop from its start on.

A cut changes nothing before it starts, holds exactly what MODEL.md says after, runs the
same on both integrator paths (tests/core/test_fast_path.py), and is data in scenario files
and on the command line.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.history import History
from rsiviz.core.interventions import LINKS, LinkCut
from rsiviz.core.options import OptionError, build_scenario
from rsiviz.core.params import ParameterError
from rsiviz.core.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_text,
    scenario_to_text,
)

from .budget import examples
from .test_properties import params

CUT_YEAR = 2029.0
CUT_MONTH = 36  # 2029.0 is month 36 of a run from 2026.0
LEVELS = ("h", "s", "c", "v")
RATES = ("a", "ds", "dc")


@st.composite
def cuts(draw: st.DrawFn, p: Params) -> list[LinkCut]:
    """Any combination of links, each from the start or from a month inside the run."""
    names = draw(st.lists(st.sampled_from(sorted(LINKS)), unique=True, max_size=len(LINKS)))
    out = []
    for name in names:
        # up to the run's last month boundary (years rounded to whole months)
        start = draw(st.one_of(st.none(), st.floats(0.0, p.n_months / 12)))
        out.append(LinkCut(name, None if start is None else p.start_year + start))
    return out


def _run(cut_list: list[LinkCut], float_path: bool = True, **kw: object) -> History:
    return Simulation(cuts=cut_list, float_path=float_path, **kw).run()  # type: ignore[arg-type]


@pytest.mark.parametrize("float_path", [True, False])
def test_automation_cut_from_start_is_automation_held_at_its_start_value(
    float_path: bool,
) -> None:
    """The "no recursive self-improvement" baseline is the core's a_fixed run, bit for bit."""
    cut = _run([LinkCut("automation")], float_path)
    a0 = float(cut.a[0, 0, 0])
    assert a0 == pytest.approx(Params().automation_now, abs=1e-12)
    held = Simulation(a_fixed=a0, float_path=float_path).run()
    for name in (*LEVELS, *RATES):
        np.testing.assert_array_equal(getattr(cut, name), getattr(held, name), err_msg=name)
    # and it is a different world from the one with the loop
    assert cut.c[-1, 0, 0] < _run([], float_path).c[-1, 0, 0] - 3.0


@pytest.mark.parametrize("name", sorted(LINKS))
@pytest.mark.parametrize("float_path", [True, False])
def test_a_mid_run_cut_leaves_the_months_before_it_alone(name: str, float_path: bool) -> None:
    base = _run([], float_path)
    cut = _run([LinkCut(name, CUT_YEAR)], float_path)
    for attr in LEVELS:  # levels up to and including the boundary of the cut
        np.testing.assert_array_equal(
            getattr(cut, attr)[: CUT_MONTH + 1], getattr(base, attr)[: CUT_MONTH + 1], attr
        )
    for attr in RATES:
        np.testing.assert_array_equal(
            getattr(cut, attr)[:CUT_MONTH], getattr(base, attr)[:CUT_MONTH], attr
        )
    # and it changes what follows
    assert not np.array_equal(cut.c[-1], base.c[-1]) or not np.array_equal(cut.v[-1], base.v[-1])


def _log_rate(h: History, p: Params, labour: float | None, s_c: float | None) -> np.ndarray:
    """log10(ds/dt / g_S0) from MODEL.md's equations 3-4, with a term held where given."""
    t = h.time - p.start_year
    s, hh, a = h.s[:, 0, 0], h.h[:, 0, 0], h.a[:, 0, 0]
    r, pp, s_max = p.software_returns, p.parallel_returns, p.software_ceiling
    rho_h = p.software_pace / r * t
    rho_ai = math.log10(p.full_automation_speedup) / pp + (hh + s if labour is None else labour)
    if s_c is None:
        drag = -(pp * s_max / r) * np.log1p(-s / s_max)
    else:  # r_eff held at its value at s_c: B grows linearly from there
        b_c = -(pp * s_max / r) * math.log1p(-s_c / s_max)
        drag = b_c + pp * (s - s_c) / (r * (1 - s_c / s_max))
    return np.asarray(pp * ((1 - a) * rho_h + a * rho_ai) - drag)


def test_automation_cut_holds_a() -> None:
    h = _run([LinkCut("automation", CUT_YEAR)])
    assert np.all(h.a[CUT_MONTH:, 0, 0] == h.a[CUT_MONTH, 0, 0])
    assert h.a[CUT_MONTH, 0, 0] > h.a[0, 0, 0]  # held at the 2029 value, not the start's


def test_compute_cut_stops_compute() -> None:
    h = _run([LinkCut("compute", CUT_YEAR)])
    assert np.all(h.h[CUT_MONTH:, 0, 0] == h.h[CUT_MONTH, 0, 0])
    assert h.h[CUT_MONTH, 0, 0] > h.h[CUT_MONTH - 1, 0, 0]


def test_ai_labour_cut_holds_the_labour_term() -> None:
    p = Params()
    h = _run([LinkCut("ai_labour", CUT_YEAR)])
    held = h.h[CUT_MONTH, 0, 0] + h.s[CUT_MONTH, 0, 0]
    got = np.log10(h.ds[:, 0, 0] / p.software_pace)
    after = slice(CUT_MONTH, None)
    np.testing.assert_allclose(got[after], _log_rate(h, p, held, None)[after], atol=1e-9)
    # without the hold the equation would not fit after the cut
    assert np.abs(got[after] - _log_rate(h, p, None, None)[after]).max() > 0.1


def test_returns_cut_holds_r_eff() -> None:
    p = Params()
    h = _run([LinkCut("returns", CUT_YEAR)])
    s_c = h.s[CUT_MONTH, 0, 0]
    got = np.log10(np.maximum(h.ds[:, 0, 0], 1e-300) / p.software_pace)
    moving = h.s[:, 0, 0] < p.software_ceiling * (1 - 1e-9)  # still below the ceiling
    after = np.arange(len(got)) >= CUT_MONTH
    assert (after & moving).sum() > 6
    np.testing.assert_allclose(
        got[after & moving], _log_rate(h, p, None, s_c)[after & moving], atol=1e-9
    )
    # bounded by the software ceiling as before: software stops there
    assert h.s[-1, 0, 0] == pytest.approx(p.software_ceiling, abs=1e-6)
    assert h.ds[-1, 0, 0] == 0.0


def test_oversight_uplift_cut_holds_sigma_m_minus_one() -> None:
    p = Params()
    h = _run([LinkCut("oversight_uplift", CUT_YEAR)])
    m_c = h.ds[CUT_MONTH, 0, 0] / p.software_pace
    dv = np.diff(h.v[:, 0]) * 12.0  # no development pause: b_pause = 1
    expected = p.oversight_pace * (1.0 + p.oversight_share * (m_c - 1.0))
    np.testing.assert_allclose(dv[CUT_MONTH:], expected, rtol=1e-12)


def test_oversight_uplift_cut_during_a_development_pause_keeps_the_boost() -> None:
    p = Params()
    pause = DevelopmentPause.at(2030.0, months=12)
    h = Simulation(p, pauses=[pause], cuts=[LinkCut("oversight_uplift", CUT_YEAR)]).run()
    m_c = h.ds[CUT_MONTH, 0, 0] / p.software_pace
    dv = np.diff(h.v[:, 0]) * 12.0
    rate = p.oversight_pace * (1.0 + p.oversight_share * (m_c - 1.0))
    np.testing.assert_allclose(dv[48:60], rate * p.pause_oversight_boost, rtol=1e-12)
    np.testing.assert_allclose(dv[60:], rate, rtol=1e-12)


def test_compute_cut_overrides_compute_during_a_development_pause() -> None:
    pause = DevelopmentPause.at(2027.0, months=24)
    h = Simulation(pauses=[pause], cuts=[LinkCut("compute", 2028.0)]).run()
    assert h.h[13, 0, 0] > h.h[12, 0, 0]  # paused, compute still grows (pi_H = 1)
    assert np.all(h.h[24:, 0, 0] == h.h[24, 0, 0])


def test_cuts_combine() -> None:
    both = _run([LinkCut("compute"), LinkCut("automation")])
    assert np.all(both.h[:, 0, 0] == 0.0) and np.all(both.a == both.a[0])
    assert both.c[-1, 0, 0] < _run([LinkCut("automation")]).c[-1, 0, 0]


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_never_nan_or_inf_with_cuts(data: st.DataObject) -> None:
    p = data.draw(params())
    cut_list = data.draw(cuts(p))
    pause = DevelopmentPause.at(p.start_year + data.draw(st.floats(0.0, p.years)), months=12)
    sim = Simulation(p, pauses=[pause], cuts=cut_list)
    h = sim.run()
    for arr in (h.h, h.s, h.c, h.v, h.a, h.ds, h.dc, h.gap(), h.progress_multiplier()):
        assert np.isfinite(arr).all()
    assert (h.ds >= 0).all()
    q = h.h + h.s
    assert (h.c <= q + 1e-12).all()
    assert set(sim.cut_book.active()) == {c.name for c in cut_list}


# -- data: scenario files and command-line options ------------------------------------------
def test_scenario_files_round_trip_cuts(tmp_path: Path) -> None:
    sc = Scenario(cuts=(LinkCut("automation"), LinkCut("compute", 2030.5)))
    back = scenario_from_text(scenario_to_text(sc))
    assert back == sc
    path = tmp_path / "cut.toml"
    path.write_text(scenario_to_text(sc), encoding="utf-8")
    run = load_scenario(path).simulation().run()
    np.testing.assert_array_equal(run.c, sc.simulation().run().c)


def test_a_cut_after_the_last_month_is_refused() -> None:
    # 1.875 years is 22.5 months: the run steps 22, so it ends at 2021.8333; a cut dated
    # 2021.875 would never take hold (hypothesis found one that was silently inactive)
    p = Params(start_year=2020.0, years=1.875)
    with pytest.raises(ParameterError, match="outside the run"):
        Simulation(p, cuts=[LinkCut("compute", 2021.875)])
    sim = Simulation(p, cuts=[LinkCut("compute", 2020.0 + 22 / 12)])
    sim.run()
    assert sim.cut_book.active() == ("compute",)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('name = "speed"', "cuts[0].name = 'speed' is not a link (links: automation, "),
        (
            'name = "compute"\nstart = 2050',
            "cuts[0].start = 2050 is outside the run (2026 to 2038)",
        ),
        ('name = "compute"\nstart = "soon"', "cuts[0].start = 'soon' must be a number"),
        ('name = "compute"\nwhen = 2030', "unknown key cuts[0].when (allowed: name, start)"),
    ],
)
def test_broken_cut_tables_give_one_clear_line(table: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_text(f"[[cuts]]\n{table}\n", "my.toml")
    text = str(info.value)
    assert text.startswith("my.toml: ") and message in text and "\n" not in text


def test_a_link_cut_twice_in_a_file_is_refused() -> None:
    with pytest.raises(ScenarioError, match="cuts\\[1\\].name = 'compute' is cut twice"):
        scenario_from_text('[[cuts]]\nname = "compute"\n[[cuts]]\nname = "compute"\n', "f")


def test_cut_options() -> None:
    sc = build_scenario(cuts=["automation", "compute:2030"])
    assert sc.cuts == (LinkCut("automation"), LinkCut("compute", 2030.0))
    for text, message in [
        ("speed", "unknown link 'speed'"),
        ("compute:2050", "start = 2050 is outside the run"),
        ("compute:soon", "START must be a year"),
    ]:
        with pytest.raises(OptionError, match=message):
            build_scenario(cuts=[text])
    with pytest.raises(OptionError, match="already cut"):
        build_scenario(cuts=["compute", "compute:2030"])
    # --years shortens the run below a cut the scenario file holds
    with pytest.raises(OptionError, match="outside the run"):
        build_scenario(cuts=["compute:2036"], years=4)


def test_simulation_refuses_a_cut_outside_the_run_or_twice() -> None:
    with pytest.raises(ParameterError, match="outside the run"):
        Simulation(cuts=[LinkCut("compute", 2045.0)])
    sim = Simulation(cuts=[LinkCut("compute")])
    with pytest.raises(ParameterError, match="cut twice"):
        sim.cut(LinkCut("compute", 2030.0))


def test_cutting_a_running_simulation_holds_from_the_current_month() -> None:
    live = Simulation()
    live.step(CUT_MONTH)
    live.cut(LinkCut("compute", live.time))
    live.run()
    planned = _run([LinkCut("compute", CUT_YEAR)])
    np.testing.assert_array_equal(live.history.h, planned.h)
    np.testing.assert_array_equal(live.history.c, planned.c)
