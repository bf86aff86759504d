"""A slow corner of the parameter space never freezes the window: the re-run moves off it."""

from __future__ import annotations

import dataclasses

import numpy as np

SLOW = {"years": 50.0, "software_ceiling": 2.0, "software_returns": 0.2, "parallel_returns": 1.0}


def _slow_race(controller):
    from rsiviz.core.scenario import load_preset

    sc = load_preset("race_one_lab_defects")
    sc = dataclasses.replace(sc, params=sc.params.replace(**SLOW))
    controller.load(sc)
    return sc


def test_slow_rerun_goes_to_the_background_and_lands_exactly(controller, qtbot) -> None:
    _slow_race(controller)
    controller.advance(12)
    before = controller.sim
    controller.set_param("software_returns", 0.25)
    controller.flush()
    assert controller.rerunning  # the GUI thread was handed back at once
    assert controller.sim is before  # the old run stays on screen meanwhile
    assert controller.runner.wait_idle(120)
    assert not controller.rerunning and controller.sim.done
    assert len(controller.runner.child_pids()) == 1  # computed in the re-run's own process
    fresh = controller.current_scenario().simulation().run()
    np.testing.assert_array_equal(fresh.c, controller.sim.history.c)
    assert controller.view_state.runs["previous"].history.length == before.n_months + 1


def test_a_newer_edit_supersedes_a_rerun_still_computing(controller, qtbot) -> None:
    _slow_race(controller)
    for value in (0.25, 0.3, 0.35):
        controller.set_param("software_returns", value)
        controller.flush()
    assert controller.runner.wait_idle(180)
    assert controller.scenario.params.software_returns == 0.35
    fresh = controller.current_scenario().simulation().run()
    np.testing.assert_array_equal(fresh.c, controller.sim.history.c)


def test_reset_while_a_rerun_computes_cancels_it(controller, qtbot) -> None:
    _slow_race(controller)
    controller.set_param("software_returns", 0.25)
    controller.flush()
    assert controller.rerunning
    controller.reset()
    assert controller.runner.wait_idle(60)
    assert controller.sim.month == 0  # the late result did not replace the reset run


def test_ordinary_edits_still_rerun_at_once(controller, monkeypatch) -> None:
    import rsiviz.gui.rerun as rerun

    # a default run takes a few ms; 1 s of budget keeps this true on a loaded machine too
    monkeypatch.setattr(rerun, "BUDGET_S", 1.0)
    controller.advance(12)
    controller.set_param("software_returns", 1.5)
    controller.flush()
    assert not controller.rerunning and controller.sim.done


class _FakeClock:
    """perf_counter for rerun.py: every month stepped costs ``month_s`` seconds."""

    def __init__(self, month_s: float) -> None:
        self.now, self.month_s = 0.0, month_s

    def __call__(self) -> float:
        return self.now


def _timed_rerun(monkeypatch, month_s: float):  # type: ignore[no-untyped-def]
    import rsiviz.gui.rerun as rerun
    from rsiviz.core.simulation import Simulation

    clock = _FakeClock(month_s)
    monkeypatch.setattr(rerun.time, "perf_counter", clock)
    live, previous = Simulation(), Simulation()
    for sim in (live, previous):
        step = sim.step

        def timed(months: int, step=step) -> None:  # type: ignore[no-untyped-def]
            clock.now += clock.month_s * months
            step(months)

        monkeypatch.setattr(sim, "step", timed)
    return rerun.Rerun(live, None, previous), clock


def test_a_rerun_that_cannot_finish_in_budget_stops_early(monkeypatch) -> None:
    import rsiviz.gui.rerun as rerun

    # 2 ms a month: 2 x 144 months would take 0.58 s, far over the 40 ms budget
    job, clock = _timed_rerun(monkeypatch, 0.002)
    assert not job.advance()
    assert clock.now <= rerun.PROBE_S + 0.002 + 1e-12  # not the whole budget
    assert not job.done


def test_a_rerun_that_fits_its_budget_finishes_on_the_gui_thread(monkeypatch) -> None:
    import rsiviz.gui.rerun as rerun

    # 0.1 ms a month: both runs take 29 ms, inside the 40 ms budget
    job, clock = _timed_rerun(monkeypatch, 0.0001)
    assert job.advance()
    assert job.done and clock.now <= rerun.BUDGET_S


def test_progress_notes_go_to_the_status_bar_not_the_banner(window) -> None:
    window.controller.message.emit("progress", "Re-running the model with the new values...")
    assert window.statusBar().currentMessage().startswith("Re-running")
    assert window.banner.isHidden()  # the chart does not move for a progress note
    window.controller.message.emit("progress", "")
    assert window.statusBar().currentMessage() == ""
    window.controller.message.emit("info", "Saved")
    assert not window.banner.isHidden()


def test_a_rerun_slowed_before_its_first_month_still_steps(monkeypatch) -> None:
    import rsiviz.gui.rerun as rerun

    # The thread lost the CPU for 10 ms before its first month (the monkey test found a
    # division by zero here). The pace counts from the first month on: 10 ms + 288 months
    # at 0.1 ms fit the 40 ms budget, so it finishes here.
    job, clock = _timed_rerun(monkeypatch, 0.0001)
    reads = []

    def late() -> float:
        reads.append(1)
        return clock.now + (0.010 if len(reads) > 1 else 0.0)

    monkeypatch.setattr(rerun.time, "perf_counter", late)
    assert job.advance()


def test_chunks_grow_only_while_they_fit_an_eighth_of_the_budget_left() -> None:
    from rsiviz.gui.rerun import CHUNK_MONTHS, CHUNK_SHARE, _chunk

    assert _chunk(0.0, 0.04) == 1  # the pace is not known yet
    assert _chunk(20e-6, 0.039) == CHUNK_MONTHS  # an ordinary run: 20 us a month
    assert _chunk(5e-3, 0.035) == 1  # a slow corner: 5 ms a month
    for pace in (1e-4, 3e-4, 6e-4, 1e-3):
        n = _chunk(pace, 0.03)
        assert 1 <= n <= CHUNK_MONTHS
        assert n == 1 or n * pace <= 0.03 * CHUNK_SHARE  # a chunk fits its share


def test_a_rerun_stepped_in_chunks_lands_on_the_month_by_month_run() -> None:
    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.rerun import Rerun

    sc = load_preset("race_one_lab_defects")
    sims = [sc.simulation() for _ in range(3)]
    rerun = Rerun(sims[0], sims[1], sims[2])
    while not rerun.advance(budget_s=10.0):
        pass
    plain = sc.simulation()
    for _ in range(plain.n_months):
        plain.step(1)
    for sim in sims:
        for name in ("h", "s", "c", "v", "ds", "paused"):
            np.testing.assert_array_equal(getattr(sim.history, name), getattr(plain.history, name))
