"""Property tests over the whole declared parameter ranges (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsiviz.core import DevelopmentPause, Params, Simulation
from rsiviz.core.params import param_specs
from rsiviz.core.scenario import Scenario, scenario_from_text, scenario_to_text

from .budget import examples

NUMERIC = [s for s in param_specs() if not s.is_choice and s.name not in ("start_year", "years")]


@st.composite
def params(draw: st.DrawFn) -> Params:
    values: dict[str, object] = {
        s.name: draw(st.floats(s.low, s.high, allow_nan=False)) for s in NUMERIC
    }
    values["release_mode"] = draw(st.sampled_from(["instant", "gradual", "no_catch_up"]))
    values["years"] = draw(st.floats(1.0, 8.0))
    values["start_year"] = draw(st.floats(2020.0, 2040.0))
    return Params(**values)  # type: ignore[arg-type]


FAST = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _all_outputs(sim: Simulation) -> list[np.ndarray]:
    h = sim.history
    return [
        h.capability(),
        h.potential(),
        h.oversight(),
        h.gap(),
        h.automation(),
        h.progress_multiplier(),
        h.metr_horizon_minutes(),
        h.s,
        h.h,
        h.c,
    ]


@FAST
@given(params(), st.floats(0.0, 6.0), st.floats(1.0, 48.0))
def test_never_nan_or_inf_and_pause_freezes_capability(
    p: Params, start: float, months: float
) -> None:
    year = p.start_year + start
    sim = Simulation(p, pauses=[DevelopmentPause.at(year, months=months)])
    sim.run()
    for arr in _all_outputs(sim):
        assert np.isfinite(arr).all()
    dt = sim.history.doubling_time_months()
    assert not np.isnan(dt).any() and (dt > 0).all()
    h = sim.history
    paused = h.paused[:, 0, 0]
    # a complying lab's capability does not move during its development pause
    for i in np.flatnonzero(paused[:-1] & paused[1:]):
        assert h.c[i + 1, 0, 0] == h.c[i, 0, 0]
    # potential never falls; capability never exceeds potential
    q = h.h[:, 0, 0] + h.s[:, 0, 0]
    assert (np.diff(q) >= -1e-12).all()
    assert (h.c[:, 0, 0] <= q + 1e-12).all()


@FAST
@given(params())
def test_deterministic(p: Params) -> None:
    a = Simulation(p).run()
    b = Simulation(p).run()
    np.testing.assert_array_equal(a.c, b.c)
    np.testing.assert_array_equal(a.v, b.v)


@FAST
@given(
    params(),
    st.integers(0, 2**63 - 1),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)
def test_save_load_round_trip(p: Params, seed: int, name: str) -> None:
    pause = DevelopmentPause(
        trigger="condition",
        metric="gap",
        threshold=1.5,
        until_oversight=True,
        max_months=30,
        release="gradual",
    )
    sc = Scenario(
        name=name,
        description='a\n"quoted" \\ text',
        params=p,
        pauses=(pause, DevelopmentPause.at(p.start_year + p.years / 2, 7)),  # inside the run
        seed=seed,
    )
    assert scenario_from_text(scenario_to_text(sc)) == sc


def test_members_are_independent() -> None:
    """An ensemble member gives exactly what the same parameters give alone."""
    r = np.array([0.5, 1.2, 3.0])
    ens = Simulation(overrides={"software_returns": r}).run()
    for i, value in enumerate(r):
        alone = Simulation(Params(software_returns=float(value))).run()
        np.testing.assert_allclose(ens.c[:, i, 0], alone.c[:, 0, 0], rtol=0, atol=1e-9)


def test_falling_rate_over_time_never_steps_backwards() -> None:
    """Regression: human research effort outgrowing AI's made d log(rate)/dt negative and the
    step limit negative, so software moved backwards (found by the property test above)."""
    p = Params(
        start_year=2020.0,
        years=8.0,
        compute_growth=0.0,
        compute_ceiling=1.0,
        software_pace=1.207,
        software_returns=0.4832,
        parallel_returns=1.0,
        full_automation_speedup=1.0,
        software_ceiling=2.0,
        automation_now=0.1731,
        automation_span=3.2057,
        oversight_pace=0.0,
        oversight_share=0.0,
        release_mode="gradual",
        diffusion_rate=1.0,
        pause_research_fraction=1.0,
    )
    sim = Simulation(p, pauses=[DevelopmentPause.at(2020.0, months=19.0)])
    sim.run()
    q = sim.history.h[:, 0, 0] + sim.history.s[:, 0, 0]
    assert (np.diff(q) >= 0).all()
