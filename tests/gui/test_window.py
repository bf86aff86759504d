"""Every control and key of the main window (offscreen platform)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from rsiviz.core.params import param_specs
from rsiviz.gui.params_panel import slider_to_value, value_to_slider


def _all_text(widget: QWidget) -> list[str]:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QGroupBox

    texts = [w.text() for w in widget.findChildren(QLabel)]
    texts += [w.text() for w in widget.findChildren(QAbstractButton)]
    texts += [w.title() for w in widget.findChildren(QGroupBox)]
    texts += [a.text() for a in widget.findChildren(QAction)]
    texts += [w.toolTip() for w in widget.findChildren(QPushButton)]
    return texts


def test_space_plays_and_stops(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.playing
    assert window.transport.play.text() == "Stop"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.controller.playing
    assert window.transport.play.text() == "Play"


def test_play_button_and_timer_tick(window, qtbot) -> None:
    qtbot.mouseClick(window.transport.play, Qt.MouseButton.LeftButton)
    assert window.controller.playing
    window.controller.tick(0.25)  # explicit elapsed time, not the wall clock
    assert window.controller.sim.month >= 1
    qtbot.mouseClick(window.transport.play, Qt.MouseButton.LeftButton)
    assert not window.controller.playing


def test_right_steps_and_step_button(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.controller.sim.month == 1
    qtbot.mouseClick(window.transport.step, Qt.MouseButton.LeftButton)
    assert window.controller.sim.month == 2
    assert window.transport.year.text() == f"{2026 + 2 / 12:.1f}"


def test_r_and_reset_button(window, qtbot) -> None:
    window.controller.advance(20)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.controller.sim.month == 0
    window.controller.advance(5)
    qtbot.mouseClick(window.transport.reset, Qt.MouseButton.LeftButton)
    assert window.controller.sim.month == 0


def test_speed_control(window, qtbot) -> None:
    window.transport.speed.setValue(24.0)
    assert window.controller.speed == 24.0
    window.actions.faster.trigger()
    assert window.controller.speed == pytest.approx(36.0)
    assert window.transport.speed.value() == pytest.approx(36.0)
    window.actions.slower.trigger()
    assert window.controller.speed == pytest.approx(24.0)


def test_scrubber_looks_back(window) -> None:
    window.controller.advance(48)
    assert window.transport.scrubber.maximum() == 48
    window.transport.scrubber.setValue(12)
    assert window.controller.view_month == 12
    x, _ = window.plots.frontier.getData()
    assert x[-1] == pytest.approx(2027.0)
    assert window.transport.year.text() == "2027.0"


def test_p_key_and_button_start_the_development_pause(window, qtbot) -> None:
    window.controller.advance(24)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert len(window.controller.live_pauses) == 1
    window.controller.advance(6)
    assert window.plots.top_spans.regions[0].isVisible()
    assert window.plots.bottom_spans.regions[0].isVisible()
    assert window.plots.cf_cap.isVisible()  # the counterfactual ghost
    assert "STOPPED" in window.clock.status.text().upper()
    window.controller.reset()
    window.controller.advance(12)
    window.pause_panel.months.setValue(6)
    qtbot.mouseClick(window.pause_panel.button, Qt.MouseButton.LeftButton)
    pause = window.controller.live_pauses[0]
    assert pause.months == 6 and pause.start == pytest.approx(2027.0)
    window.controller.advance(12)
    assert window.plots.top_spans.ends[0].isVisible()  # its end is marked


def test_development_pause_compliance_in_race(window, qtbot) -> None:
    window.controller.load_preset("race_one_lab_defects")
    assert [c.text() for c in window.pause_panel.lab_checks] == ["Lab A", "Lab B", "Lab C"]
    window.pause_panel.lab_checks[1].setChecked(False)
    window.controller.advance(12)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert window.controller.live_pauses[0].compliance == ("Lab A",)
    window.controller.advance(3)
    paused = window.controller.sim.history.paused[window.controller.sim.month, 0]
    assert list(paused) == [True, False, False]
    assert sum(c.isVisible() for c in window.plots.labs) == 3


def test_playback_is_never_called_pause(window) -> None:
    for text in _all_text(window):
        lowered = text.lower().replace("development pause", "")
        assert "pause" not in lowered, text


@pytest.mark.parametrize("unit", ["oom", "metr", "multiplier"])
def test_units_switch_relabels_axis(window, unit: str) -> None:
    window.controller.advance(60)
    window.actions.units[unit].trigger()
    axis = window.plots.top.getAxis("left")
    assert axis.unit == unit
    values = axis.tickValues(*window.plots.top.viewRange()[1], 600)[0][1]
    labels = axis.tickStrings(values, 1.0, 1.0)
    assert labels
    if unit == "metr":
        assert any(w in " ".join(labels) for w in ("hour", "work-", "min"))
    if unit == "multiplier":
        assert all(label.endswith("x") for label in labels)
    _, y = window.plots.frontier.getData()
    assert np.isfinite(y).all()


def test_lower_plot_shows_multiplier_with_milestones(window) -> None:
    assert not any(line.isVisible() for line in window.plots.milestones)  # gap at start
    window.controller.advance(60)
    window.actions.lower["multiplier"].trigger()
    assert all(line.isVisible() for line in window.plots.milestones)
    _, y = window.plots.low.getData()
    h = window.controller.sim.history
    np.testing.assert_allclose(10**y, h.progress_multiplier()[:, 0], rtol=1e-9)
    window.actions.lower["gap"].trigger()
    assert not any(line.isVisible() for line in window.plots.milestones)


def test_slider_reruns_and_leaves_a_ghost(window, qtbot) -> None:
    window.controller.advance(12)
    slider = window.params.controls["software_returns"]
    slider.setValue(slider.value() + 100)
    qtbot.waitUntil(lambda: window.controller.scenario.params.software_returns != 1.2)
    qtbot.waitUntil(window.plots.ghost_cap.isVisible)  # the re-run's frame: the next turn
    assert window.controller.sim.done


def test_double_click_resets_one_slider(window, qtbot) -> None:
    slider = window.params.controls["full_automation_speedup"]
    slider.setValue(900)
    qtbot.waitUntil(lambda: window.controller.scenario.params.full_automation_speedup > 8)
    qtbot.mouseDClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(5, slider.height() // 2))
    qtbot.waitUntil(lambda: window.controller.scenario.params.full_automation_speedup == 8.0)
    spec = next(s for s in param_specs() if s.name == "full_automation_speedup")
    assert slider.value() == value_to_slider(spec, 8.0)


def test_reset_all_button(window, qtbot) -> None:
    window.params.controls["compute_growth"].setValue(0)
    window.params.controls["release_mode"].setCurrentText("gradual")
    qtbot.waitUntil(lambda: window.controller.scenario.params.compute_growth == 0.0)
    qtbot.mouseClick(window.params.reset_all, Qt.MouseButton.LeftButton)
    params = window.controller.scenario.params
    assert params.compute_growth == 0.663 and params.release_mode == "instant"
    assert window.params.controls["release_mode"].currentText() == "instant"


def test_scenario_names_say_development_pause(window) -> None:
    from rsiviz.gui.main_window import say_development_pause

    assert say_development_pause("Coordinated pause in 2028") == (
        "Coordinated development pause in 2028"
    )
    assert say_development_pause("Pause now; development pause") == (
        "Development pause now; development pause"
    )
    window.controller.load_preset("pause_2028_instant")
    assert "development pause" in window.windowTitle()


def test_parameter_panel_is_built_from_the_table(window) -> None:
    specs = param_specs()
    assert set(window.params.controls) == {s.name for s in specs}
    for spec in specs:
        tip = window.params.controls[spec.name].toolTip()
        assert spec.explanation in tip
        if spec.is_illustrative:
            assert "illustrative" in tip
            assert window.params.name_labels[spec.name].text().endswith("*")
        else:
            assert spec.source in tip


def test_log_sliders_round_trip() -> None:
    for spec in param_specs():
        if spec.is_choice:
            continue
        assert slider_to_value(spec, value_to_slider(spec, spec.default)) == pytest.approx(
            spec.default, rel=0.02
        )
        if spec.log_scale:
            middle = slider_to_value(spec, 500)
            assert middle == pytest.approx((spec.low * spec.high) ** 0.5, rel=0.01)


def test_preset_menu_loads(window) -> None:
    names = [a.text() for a in window.actions.preset_menu.actions()]
    assert "development pause 2028 instant" in names
    action = window.actions.preset_menu.actions()[names.index("slow takeoff")]
    action.trigger()
    assert window.controller.scenario.params.software_returns < 1
    assert "Slow takeoff" in window.windowTitle()


def test_open_broken_file_shows_message_and_keeps_run(window, tmp_path: Path) -> None:
    window.controller.advance(30)
    sim = window.controller.sim
    bad = tmp_path / "broken.toml"
    bad.write_text("this is = = not toml")
    assert not window.open_file(str(bad))
    assert window.banner.isVisible()
    assert "broken.toml" in window.banner.text() and "Traceback" not in window.banner.text()
    assert window.controller.sim is sim and sim.month == 30
    assert window.recent_files() == []


def test_save_load_and_recent_files(window, tmp_path: Path) -> None:
    window.params.controls["software_pace"].setValue(700)
    window.controller.flush()
    path = tmp_path / "mine.toml"
    assert window.save_file(str(path))
    window.controller.reset_all_params()
    assert window.open_file(str(path))
    assert window.controller.scenario.params.software_pace != 0.45
    assert window.recent_files() == [str(path.resolve())]
    assert [a.text() for a in window.actions.recent_menu.actions()] == [str(path.resolve())]


def test_zoom_keys_scale_fonts_and_lines(window, qtbot) -> None:
    size = window.transport.play.font().pointSizeF()
    width = window.plots.frontier.opts["pen"].widthF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.transport.play.font().pointSizeF() > size
    assert window.plots.frontier.opts["pen"].widthF() > width
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.transport.play.font().pointSizeF() < size


def test_fullscreen_toggle_and_escape(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen() and window.actions.fullscreen.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen() and not window.actions.fullscreen.isChecked()
    window.actions.fullscreen.trigger()
    assert window.isFullScreen()
    window.actions.fullscreen.trigger()
    assert not window.isFullScreen()


def test_every_key_is_also_in_a_menu(window) -> None:
    in_menus = set()
    for menu_action in window.menuBar().actions():
        stack = [menu_action.menu()]
        while stack:
            menu = stack.pop()
            for action in menu.actions():
                if action.menu() is not None:
                    stack.append(action.menu())
                in_menus.add(action)
    keyed = [
        a
        for a in window.actions.__dict__.values()
        if hasattr(a, "shortcut") and not a.shortcut().isEmpty()
    ]
    assert keyed and all(a in in_menus for a in keyed)


def test_excepthook_shows_plain_message(window, capsys) -> None:
    import sys

    from rsiviz.gui.app import install_excepthook

    old = sys.excepthook
    try:
        install_excepthook(window)
        sys.excepthook(ValueError, ValueError("boom"), None)
    finally:
        sys.excepthook = old
    assert window.banner.isVisible() and "boom" in window.banner.text()
    assert "Traceback" not in capsys.readouterr().err
    assert window.isVisible()


def test_a_start_year_moved_past_a_pause_is_said_and_shown_alike(window, qtbot) -> None:
    """Moving the start year past a scheduled pause (2028, 24 months): the panel says what
    is left of it, and the run holds the labs for exactly that (before, the panel said 2028
    while the chart showed the pause running 2030-2032)."""
    ctl = window.controller
    assert ctl.load_preset("pause_2028_instant")
    for year, said, held in ((2029.0, "its last 12 months", 12), (2030.0, "no effect", 0)):
        ctl.set_param("start_year", year)
        ctl.flush()
        ctl.advance(36)
        qtbot.waitUntil(lambda said=said: said in window.pause_panel.scheduled.text())
        assert int(ctl.snapshot().history.paused[:37, 0].any(axis=-1).sum()) == held


def test_schedule_dialog_builds_condition_pause(window) -> None:
    from rsiviz.gui.pause_panel import ScheduleDialog

    dialog = ScheduleDialog(window.theme, ["Frontier lab"], window)
    dialog.trigger.setCurrentIndex(1)
    dialog.metric_box.setCurrentIndex(dialog.metric_box.findData("progress_multiplier"))
    dialog.threshold.setValue(3.0)
    dialog._on_buttons_accepted()
    pause = dialog.pause
    assert pause is not None and pause.trigger == "condition" and pause.threshold == 3.0
    window.pause_panel.schedule_requested.emit(pause)
    assert window.controller.scenario.pauses == (pause,)
    assert "progress_multiplier" in window.pause_panel.scheduled.text()


def test_files_from_the_desktop_open_in_the_window(window, qtbot, tmp_path) -> None:
    # macOS hands a double-clicked file to the running app as a QFileOpenEvent
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from rsiviz.core.scenario import load_preset, save_scenario
    from rsiviz.core.story import STORY_SUFFIX, find_story, story_dir
    from rsiviz.gui.app import install_file_open_handler

    app = QApplication.instance()
    install_file_open_handler(app, window)
    path = tmp_path / "slow.toml"
    save_scenario(load_preset("slow_takeoff"), path)
    QApplication.sendEvent(app, QFileOpenEvent(str(path)))
    assert window.controller.scenario.params == load_preset("slow_takeoff").params
    story = find_story("rsi_clock")
    QApplication.sendEvent(app, QFileOpenEvent(str(story_dir() / f"rsi_clock{STORY_SUFFIX}")))
    assert window.story is not None and window.story.title == story.title


def test_live_months_render_no_axis_title(window, qtbot, monkeypatch) -> None:
    """Axis titles are HTML that pyqtgraph re-renders on each range change when an SI
    prefix may apply; neither the visible axes nor the hidden top and right ones do that
    while the run plays (the titles change only with the units or the theme)."""
    import pyqtgraph as pg

    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.controller.advance(1)
    qtbot.wait(20)
    rendered: list[str] = []
    real = pg.AxisItem._updateLabel
    monkeypatch.setattr(
        pg.AxisItem, "_updateLabel", lambda axis: (rendered.append(axis.orientation), real(axis))
    )
    for _ in range(40):
        window.controller.advance(1)
        qtbot.wait(1)
    assert window.controller.sim.month >= 41
    assert rendered == []
