"""The controller's behaviour, driven by explicit elapsed times (no wall clock)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rsiviz.core.interventions import DevelopmentPause
from rsiviz.core.scenario import load_preset
from rsiviz.gui.controller import Controller


def test_tick_converts_wall_time_to_months_independent_of_frame_rate(controller) -> None:
    controller.set_speed(12.0)  # 12 simulated months per second
    for _ in range(60):  # 60 frames of 1/60 s
        controller.tick(1 / 60)
    fine = controller.sim.month
    other = Controller()
    other.set_speed(12.0)
    for _ in range(4):  # 4 frames of 1/4 s: same wall time, fewer frames
        other.tick(0.25)
    assert fine == other.sim.month == 12


def test_fractional_months_carry_over(controller) -> None:
    controller.set_speed(2.0)
    assert controller.tick(0.2) == 0
    assert controller.tick(0.2) == 0
    assert controller.tick(0.2) == 1
    assert controller.sim.month == 1


def test_a_stalled_loop_does_not_jump_the_run(controller) -> None:
    controller.set_speed(12.0)
    controller.tick(30.0)
    assert controller.sim.month <= 3


def test_play_stop_and_end_of_run(controller, qtbot) -> None:
    with qtbot.waitSignal(controller.playing_changed):
        controller.play()
    assert controller.playing
    controller.stop()
    assert not controller.playing
    controller.play()
    controller.advance(10_000)
    assert controller.sim.done and not controller.playing
    controller.play()  # Play at the end starts the run again
    assert controller.sim.month == 0 and controller.playing
    controller.stop()


def test_step_and_reset(controller) -> None:
    controller.step()
    controller.step()
    assert controller.sim.month == 2
    controller.reset()
    assert controller.sim.month == 0 and controller.view_month == 0


def test_scrub_looks_back_without_changing_the_run(controller, qtbot) -> None:
    controller.advance(24)
    frames = []
    controller.view_state.events.frame.connect(frames.append)
    controller.scrub(6)
    snap = frames[-1]
    assert snap.view_month == 6 and snap.live_month == 24
    assert snap.year == pytest.approx(controller.sim.history.years[6])
    controller.scrub(999)
    assert controller.view_month == 24


def test_development_pause_freezes_capability_and_keeps_counterfactual(controller) -> None:
    controller.advance(24)
    c_now = controller.sim.history.capability()[-1, 0]
    assert controller.start_development_pause(months=12, release="instant")
    controller.advance(6)
    snap = controller.snapshot()
    assert snap.paused
    assert controller.sim.history.capability()[-1, 0] == pytest.approx(c_now)
    cf = snap.counterfactual
    assert cf is not None and cf.length == controller.sim.history.length
    assert cf.capability()[-1, 0] > c_now + 0.1  # the run without the pause kept going
    assert not np.isfinite(snap.doubling_months)
    angle = snap.clock_angle
    controller.advance(3)
    assert controller.snapshot().clock_angle == pytest.approx(angle)  # clock stopped


def test_development_pause_while_scrubbed_back_starts_at_the_month_on_screen(
    controller, qtbot
) -> None:
    controller.advance(48)
    controller.start_development_pause(months=6)  # pressed live at month 48 ...
    controller.advance(12)
    controller.scrub(24)  # ... then the presenter looks back to month 24 and presses again
    with qtbot.waitSignal(controller.message) as blocker:
        assert controller.start_development_pause(months=12, release="instant")
    assert "dropped" in blocker.args[1]
    assert controller.sim.month == controller.view_month == 24
    # the later press is gone; the new one starts at month 24
    assert [p.start for p in controller.live_pauses] == [pytest.approx(controller.sim.time)]
    controller.advance(12)
    h = controller.sim.history
    assert h.paused[24:36, 0, 0].all() and not h.paused[:24, 0, 0].any()
    # the counterfactual is the run without any development pause, in step with the run
    cf = controller.snapshot().counterfactual
    assert cf is not None and cf.length == h.length
    plain = Controller()
    plain.advance(36)
    np.testing.assert_allclose(cf.c[: cf.length], plain.sim.history.c[:37], atol=1e-12)
    # up to the press the run is the same run as before
    np.testing.assert_allclose(h.c[:25], plain.sim.history.c[:25], atol=1e-12)


def test_development_pause_after_the_end_starts_from_a_scrubbed_month(controller) -> None:
    controller.advance(10_000)
    controller.scrub(30)
    assert controller.start_development_pause(months=6)
    assert controller.sim.month == 30 and not controller.sim.done


def test_clock_spins_while_capability_grows(controller) -> None:
    controller.advance(12)
    a1 = controller.snapshot().clock_angle
    controller.advance(12)
    a2 = controller.snapshot().clock_angle
    assert 0 < a1 < a2


def test_development_pause_after_the_end_is_refused(controller, qtbot) -> None:
    controller.advance(10_000)
    with qtbot.waitSignal(controller.message) as blocker:
        assert not controller.start_development_pause()
    assert "Reset" in blocker.args[1]


def test_parameter_changes_coalesce_into_one_rerun_with_ghost(controller, qtbot) -> None:
    controller.advance(12)
    before = controller.sim.history
    runs = []
    controller.view_state.events.frame.connect(runs.append)
    for value in (1.0, 1.1, 1.3, 1.5):  # a drag: many moves in one event-loop turn
        controller.set_param("software_returns", value)
    assert controller.scenario.params.software_returns == 1.2  # not yet
    qtbot.waitUntil(lambda: controller.scenario.params.software_returns == 1.5, timeout=5000)
    assert len(runs) == 1
    snap = runs[0]
    # the previous run, to its end (a copy: the old run object may still be shown meanwhile)
    assert snap.ghost.length == before.years.size
    np.testing.assert_array_equal(snap.ghost.c[:13], before.c[:13])
    assert controller.sim.done  # the whole future, at once
    assert snap.history.capability()[-1, 0] != pytest.approx(before.capability()[-1, 0])


def test_an_edit_settles_then_draws_its_frame_at_the_next_turn(controller, qtbot) -> None:
    """Background views (the fan's two child processes) start on the new scenario while
    the GUI thread draws the re-run; the frame comes a turn later (the re-run, its frame
    and its paint are three turns, not one stall)."""
    controller.advance(12)
    order: list[tuple[str, object]] = []
    controller.settled.connect(lambda scenario: order.append(("settled", scenario)))
    controller.view_state.events.frame.connect(lambda snap: order.append(("frame", snap)))
    controller.set_param("software_returns", 1.4)
    controller.flush()
    assert [what for what, _ in order] == ["settled"]  # the frame is not drawn yet
    assert order[0][1] == controller.current_scenario()
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order[1][0] == "frame"
    assert order[1][1].params.software_returns == 1.4
    assert order[1][1].history is controller.sim.history  # the re-run's
    order.clear()
    controller.set_dragging(True)  # a held slider: frames, but nothing settles
    controller.set_param("software_returns", 1.6)
    controller.flush()
    qtbot.waitUntil(lambda: len(order) == 1)
    assert order[0][0] == "frame"
    controller.set_dragging(False)
    assert [what for what, _ in order] == ["frame", "settled"]


def test_reset_param_and_reset_all(controller) -> None:
    controller.set_param("software_returns", 2.0)
    controller.set_param("compute_growth", 1.0)
    controller.flush()
    controller.reset_param("software_returns")
    controller.flush()
    assert controller.scenario.params.software_returns == 1.2
    assert controller.scenario.params.compute_growth == 1.0
    controller.reset_all_params()
    assert controller.scenario.params.compute_growth == 0.663


def test_bad_parameter_is_reported(controller, qtbot) -> None:
    controller.set_param("software_returns", 99.0)
    with qtbot.waitSignal(controller.message) as blocker:
        controller.flush()
    assert blocker.args[0] == "error" and "software_returns" in blocker.args[1]


def test_broken_file_is_reported_and_run_untouched(controller, qtbot, tmp_path: Path) -> None:
    controller.advance(30)
    sim = controller.sim
    bad = tmp_path / "bad.toml"
    bad.write_text("[params]\nsoftware_returns = 'lots'\n")
    with qtbot.waitSignal(controller.message) as blocker:
        assert not controller.load_file(str(bad))
    assert blocker.args[0] == "error"
    assert "bad.toml" in blocker.args[1] and "software_returns" in blocker.args[1]
    assert "Traceback" not in blocker.args[1]
    assert controller.sim is sim and sim.month == 30


def test_save_and_load_round_trip_keeps_live_pauses(controller, tmp_path: Path) -> None:
    controller.set_param("full_automation_speedup", 16.0)
    controller.flush()
    controller.reset()
    controller.advance(18)
    controller.start_development_pause(months=6)
    path = tmp_path / "run.toml"
    assert controller.save_file(str(path))
    fresh = Controller()
    assert fresh.load_file(str(path))
    assert fresh.scenario.params.full_automation_speedup == 16.0
    assert len(fresh.scenario.pauses) == 1
    fresh.advance(40)
    controller.advance(22)
    np.testing.assert_allclose(fresh.sim.history.capability(), controller.sim.history.capability())


def test_presets_load(controller) -> None:
    assert controller.load_preset("race_one_lab_defects")
    assert len(controller.snapshot().lab_names) == 3
    assert not controller.load_preset("no_such_preset")


def test_scheduled_condition_pause(controller) -> None:
    controller.add_scheduled_pause(
        DevelopmentPause(trigger="condition", metric="gap", threshold=0.5, months=12)
    )
    controller.advance(10_000)
    assert controller.sim.history.any_paused().any()
    controller.clear_scheduled_pauses()
    assert not controller.sim.history.any_paused().any()


def test_race_snapshot_has_lab_curves() -> None:
    ctl = Controller(load_preset("race_one_lab_defects"))
    ctl.advance(36)
    snap = ctl.snapshot()
    assert snap.history.c[: snap.view_month + 1].shape[2] == 3


def test_multiplier_below_one_is_not_called_a_speed_up(controller) -> None:
    from rsiviz.gui.clock import multiplier_text

    controller.advance(12)
    early = controller.snapshot()
    assert early.multiplier > 1 and not early.near_software_limit
    assert multiplier_text(early.multiplier, False, False).startswith("AI research speed-up")
    controller.advance(10_000)  # by the late 2030s software nears its 12-OOM limit
    late = controller.snapshot()
    assert late.multiplier < 1 and late.near_software_limit
    text = multiplier_text(late.multiplier, late.paused, late.near_software_limit)
    assert "speed-up" not in text and "near its limit" in text and "historical pace" in text
    assert "in the pause" in multiplier_text(0.5, True, False)


def test_multiplier_texts_fit_the_lines_the_clock_reserves(qapp) -> None:
    """Every wording of the multiplier fits the lines the clock keeps for it, none wider than
    the lines its font is fitted to (a longer one would wrap or be cut)."""
    from PySide6.QtGui import QFontMetricsF

    from rsiviz.gui.clock import LINES, SIZES, WIDEST, multiplier_text
    from rsiviz.gui.theme import Theme

    relative, bold = SIZES["multiplier"]
    metrics = QFontMetricsF(Theme().font(relative, bold))
    widest = max(metrics.horizontalAdvance(line) for line in WIDEST["multiplier"])
    for m in (0.05, 0.5, 1.0, 4.8, 999.9, 1500.0):
        for paused in (False, True):
            for near in (False, True):
                lines = multiplier_text(m, paused, near).split("\n")
                assert len(lines) <= LINES["multiplier"], lines
                assert all(metrics.horizontalAdvance(x) <= widest + 0.5 for x in lines), lines
