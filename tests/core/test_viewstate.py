"""The Qt-free view state: runs, bands, frames and their events."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from rsiviz.core.scenario import Scenario
from rsiviz.core.simulation import Simulation
from rsiviz.core.viewstate import MAX_SAVED_SHOWN, Band, Event, Run, ViewState


def _run(key: str, role: str) -> Run:
    sim = Simulation()
    sim.step(3)
    return Run(key, role, key, sim.history, Scenario(name=key))


def test_event_calls_callbacks_in_order_and_disconnects() -> None:
    ev = Event("x")
    got: list[tuple[str, int]] = []
    ev.connect(lambda v: got.append(("a", v)))
    second = got.append
    ev.connect(lambda v: second(("b", v)))
    ev.emit(1)
    assert got == [("a", 1), ("b", 1)]

    def cb(v: int) -> None:
        got.append(("c", v))

    ev.connect(cb)
    ev.disconnect(cb)
    ev.emit(2)
    assert ("c", 2) not in got and len(ev) == 2


def test_event_drops_a_bound_method_whose_object_is_gone() -> None:
    class View:
        def __init__(self) -> None:
            self.seen: list[int] = []

        def on(self, v: int) -> None:
            self.seen.append(v)

    ev = Event("x")
    view = View()
    ev.connect(view.on)
    ev.emit(1)
    assert view.seen == [1]
    del view
    gc.collect()
    ev.emit(2)  # no error, nothing called
    assert len(ev) == 0


def test_runs_any_number_with_events() -> None:
    vs = ViewState()
    keys: list[str] = []
    vs.events.runs.connect(keys.append)
    vs.set_run(_run("live", "live"))
    vs.set_run(_run("counterfactual", "counterfactual"))
    for i in range(6):
        vs.set_run(_run(f"saved:Run {chr(65 + i)}", "saved"))
    vs.set_run(_run("cut:automation", "cut"))
    assert len(vs.runs) == 9 and keys[-1] == "cut:automation"
    shown = list(vs.shown_runs())
    assert all(r.role != "live" for r in shown)
    assert sum(r.role == "saved" for r in shown) == MAX_SAVED_SHOWN
    # drawing order: counterfactual after saved and cut runs, so it is drawn above them
    roles = [r.role for r in shown]
    assert roles.index("counterfactual") > roles.index("cut") > roles.index("saved")
    vs.set_visible("saved:Run A", False)
    assert "saved:Run A" not in [r.key for r in vs.shown_runs()]
    assert "saved:Run E" in [r.key for r in vs.shown_runs()]  # the next one moves up
    vs.remove_run("counterfactual")
    assert keys[-1] == "counterfactual" and "counterfactual" not in vs.runs
    n = len(keys)
    vs.remove_run("not there")  # no event for nothing
    assert len(keys) == n


def test_run_rejects_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="role"):
        _run("x", "ghostly")


def test_bands_are_checked_and_evented() -> None:
    vs = ViewState()
    keys: list[str] = []
    vs.events.bands.connect(keys.append)
    years = np.arange(5.0)
    band = Band("fan", "90%", "capability", years, {q: years * 0 + q for q in (5.0, 50.0)}, 10, 0)
    vs.set_band(band)
    assert keys == ["fan"] and vs.shown_bands() == (band,)
    with pytest.raises(ValueError, match="wrong length"):
        Band("b", "x", "gap", years, {50.0: np.zeros(3)}, 1, 0)
    with pytest.raises(ValueError, match="quantity"):
        Band("b", "x", "speed", years, {}, 1, 0)
    vs.remove_band("fan")
    assert keys == ["fan", "fan"] and vs.bands == {}
