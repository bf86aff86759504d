"""Each equation of MODEL.md against values derived by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.model import LN10, build_constants, log_linear_increment


def test_automation_at_start_and_span() -> None:
    k = build_constants(Params())
    assert float(k.automation(0.0)) == pytest.approx(0.08)
    # 20% -> 95% over automation_span = 4 OOM
    c20 = k.c50 + math.log(0.2 / 0.8) / k.inv_w
    c95 = k.c50 + math.log(0.95 / 0.05) / k.inv_w
    assert c95 - c20 == pytest.approx(4.0)
    assert float(k.automation(c20)) == pytest.approx(0.2)


def test_today_speedup_is_f_to_the_a() -> None:
    # a = 0.08, f = 8: rho = a log10(f)/p, so ds/dt = g_S0 * 8^0.08 = 1.181 g_S0
    sim = Simulation()
    m = sim.history.progress_multiplier()[0, 0]
    assert m == pytest.approx(8**0.08, rel=1e-9)
    assert m == pytest.approx(1.18, abs=0.005)


def test_initial_rates_by_hand() -> None:
    sim = Simulation()
    h = sim.history
    ds0 = 0.45 * 8**0.08
    assert h.ds[0, 0, 0] == pytest.approx(ds0)
    assert h.dc[0, 0, 0] == pytest.approx(0.663 + ds0)
    doubling = math.log10(2) / (0.663 + ds0) * 12
    assert h.doubling_time_months()[0, 0] == pytest.approx(doubling)


def test_no_automation_follows_historical_trend() -> None:
    # a ~ 0 (smallest share, huge span) and a far ceiling: software grows at g_S0 exactly.
    p = Params(
        automation_now=0.001,
        automation_span=10.0,
        software_ceiling=40.0,
        compute_growth=0.0,
        years=5.0,
    )
    hist = Simulation(p).run()
    s_end = hist.s[-1, 0, 0]
    # the tiny automation share still adds a hair; the trend is 0.45 OOM/yr * 5 yr
    assert s_end == pytest.approx(0.45 * 5, rel=0.01)


def test_forethought_doubling_time_law() -> None:
    # a = 1, no compute growth, far from the ceiling: each software doubling multiplies the
    # next doubling time by 2^(p (1/r - 1)).
    p, r = 0.3, 2.0
    params = Params(
        compute_growth=0.0,
        parallel_returns=p,
        software_returns=r,
        software_ceiling=40.0,
        full_automation_speedup=2.0,
        years=4.0,
        software_pace=0.3,
    )
    sim = Simulation(params, a_fixed=1.0)
    sim.run()
    s = sim.history.s[:, 0, 0]
    t = sim.history.time
    lvl = np.log10(2) * np.arange(1, 4)
    times = np.interp(lvl, s, t)
    d1, d2 = times[1] - times[0], times[2] - times[1]
    r_eff = r * (1 - 1.5 * np.log10(2) / 40.0)
    assert d2 / d1 == pytest.approx(2 ** (p * (1 / r_eff - 1)), rel=0.01)


def test_potential_is_compute_plus_software_and_compute_ceiling() -> None:
    hist = Simulation(Params(compute_ceiling=2.0, years=6.0)).run()
    np.testing.assert_allclose(hist.potential()[:, 0], hist.h[:, 0, 0] + hist.s[:, 0, 0])
    assert hist.h.max() == pytest.approx(2.0)
    # compute grows at g_C until the ceiling: 0.663 OOM/yr
    assert hist.h[12, 0, 0] == pytest.approx(0.663)


def test_oversight_without_ai_help() -> None:
    p = Params(oversight_share=0.0, years=2.0)
    hist = Simulation(p).run()
    assert hist.oversight()[-1, 0] == pytest.approx(0.9 * 2.0)


def test_oversight_boost_during_pause() -> None:
    p = Params(oversight_share=0.0, years=3.0, pause_oversight_boost=2.0)
    hist = Simulation(p, pauses=[DevelopmentPause.at(2027.0, months=12)]).run()
    v = hist.oversight()[:, 0]
    assert v[12] == pytest.approx(0.9)  # one ordinary year
    assert v[24] - v[12] == pytest.approx(1.8)  # doubled during the development pause
    assert v[36] - v[24] == pytest.approx(0.9)


def test_log_linear_increment_matches_closed_forms() -> None:
    rate, dt = np.array([2.0]), np.array([0.1])
    # kappa = tau = 0: linear
    assert log_linear_increment(rate, np.array([0.0]), np.array([0.0]), dt)[0] == pytest.approx(0.2)
    # pure hyperbola: ds/dt = R 10^(k s): s(t) = -log10(1 - k ln10 R t)/k
    k = 1.5
    exact = -math.log10(1 - k * LN10 * 2.0 * 0.1) / k
    got = log_linear_increment(rate, np.array([k]), np.array([0.0]), dt)[0]
    assert got == pytest.approx(exact, rel=1e-9)
    # pure exponential in time: ds/dt = R 10^(tau t): s = R (10^(tau t) - 1)/(tau ln10)
    tau = 0.7
    exact = 2.0 * (10 ** (tau * 0.1) - 1) / (tau * LN10)
    got = log_linear_increment(rate, np.array([0.0]), np.array([tau]), dt)[0]
    assert got == pytest.approx(exact, rel=1e-9)


def test_metr_horizon_growth_uses_exponent() -> None:
    hist = Simulation(Params(years=1.0)).run()
    c = hist.capability()[:, 0]
    hz = hist.metr_horizon_minutes()[:, 0]
    np.testing.assert_allclose(np.log10(hz / hz[0]), 0.77 * c, rtol=1e-12, atol=1e-12)
