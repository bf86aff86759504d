"""Stories in the window and presenter mode: beats forward and back, keys, no pop-ups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from rsiviz.core.story import find_story
from rsiviz.gui.presenter import key_action
from rsiviz.gui.story_player import StoryPlayer


def _state(controller) -> dict[str, np.ndarray]:
    """Everything that defines the run's state: levels, history and the counterfactual."""
    sim = controller.sim
    h = sim.history
    out = {
        "h": sim.h.copy(),
        "s": sim.s.copy(),
        "c": sim.c.copy(),
        "v": sim.v.copy(),
        "modes": sim.modes.copy(),
        "month": np.array([sim.month]),
        "hist_c": h.c[: h.length].copy(),
        "hist_v": h.v[: h.length].copy(),
        "hist_paused": h.paused[: h.length].copy(),
    }
    if controller.counterfactual is not None:
        out["cf_c"] = controller.counterfactual.history.c[: h.length].copy()
    return out


def _finish(player: StoryPlayer) -> None:
    while player.step_animation(0.1):  # explicit time steps, not the wall clock
        pass


@pytest.mark.parametrize("name", ["development_pause", "race_defection", "rsi_clock"])
def test_going_back_restores_each_beat_exactly(controller, name: str) -> None:
    player = StoryPlayer(controller)
    player.load(find_story(name))
    first_seen = [_state(controller)]
    for _ in range(len(player.states) - 1):
        player.next()
        _finish(player)
        assert controller.sim.month == player.state.month
        first_seen.append(_state(controller))
    for k in range(len(player.states) - 2, -1, -1):
        player.previous()
        assert player.index == k
        again = _state(controller)
        assert again.keys() == first_seen[k].keys()
        for key, value in first_seen[k].items():
            np.testing.assert_array_equal(again[key], value, err_msg=f"beat {k + 1}: {key}")


def test_next_while_playing_finishes_the_beat(controller) -> None:
    player = StoryPlayer(controller)
    player.load(find_story("rsi_clock"))
    player.next()
    assert player.animating
    player.step_animation(0.1)
    assert 0 < controller.sim.month < player.state.month
    player.next()  # finishes, does not skip a beat
    assert not player.animating and player.index == 1
    assert controller.sim.month == player.state.month


def test_development_pause_beat_pauses_and_shows_counterfactual(controller) -> None:
    player = StoryPlayer(controller)
    player.load(find_story("development_pause"))
    player.go_to(3)
    assert controller.sim.history.any_paused()[controller.sim.month, 0]
    assert controller.counterfactual is not None
    before = controller.snapshot().clock_angle
    controller.advance(1)
    assert controller.snapshot().clock_angle == pytest.approx(before)  # the RSI clock stops
    player.go_to(5)  # released at once
    assert not controller.sim.history.any_paused()[controller.sim.month, 0]


@pytest.fixture
def presenter(window, qtbot):
    assert window.load_story("development_pause")
    p = window.start_presenter(fullscreen=False)
    p.stage.resize(1280, 720)
    qtbot.waitExposed(p.stage)
    yield p
    if window.presenter is not None:
        window.presenter.stop()


def _key(qtbot, p, key) -> None:
    qtbot.keyClick(p.stage, key)


def test_clicker_keys_step_through_beats(presenter, qtbot) -> None:
    p = presenter
    assert p.player.index == 0
    assert p.stage.caption.text() == p.player.states[0].caption
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space):
        _key(qtbot, p, key)
        p.player.go_to(p.player.index)  # finish the animation at once
    assert p.player.index == 3
    assert p.stage.caption.text() == p.player.states[3].caption
    _key(qtbot, p, Qt.Key.Key_PageUp)
    _key(qtbot, p, Qt.Key.Key_Left)
    assert p.player.index == 1
    _key(qtbot, p, Qt.Key.Key_End)
    assert p.player.index == len(p.player.states) - 1
    _key(qtbot, p, Qt.Key.Key_Home)
    assert p.player.index == 0 and p.controller.sim.month == p.player.states[0].month == 18


def test_blank_help_theme_and_escape(presenter, qtbot, window) -> None:
    p = presenter
    _key(qtbot, p, Qt.Key.Key_B)
    assert p.stage.blank.isVisible()
    _key(qtbot, p, Qt.Key.Key_PageDown)  # first key only brings the picture back
    assert not p.stage.blank.isVisible() and p.player.index == 0
    qtbot.keyClicks(p.stage, ".")
    assert p.stage.blank.isVisible()
    qtbot.keyClicks(p.stage, ".")
    assert not p.stage.blank.isVisible()
    assert not p.stage.help.isVisible()  # the key list only on request
    _key(qtbot, p, Qt.Key.Key_F1)
    assert p.stage.help.isVisible()
    qtbot.keyClicks(p.stage, "?")
    assert not p.stage.help.isVisible()
    assert p.stage.colours.name == "projector"
    _key(qtbot, p, Qt.Key.Key_T)
    assert p.stage.colours.name == "dark"
    _key(qtbot, p, Qt.Key.Key_Escape)
    assert window.presenter is None and not p.stage.isVisible()


def test_stray_keys_do_nothing() -> None:
    assert key_action(Qt.Key.Key_Q) is None
    assert key_action(Qt.Key.Key_P) is None  # no development pause by accident on stage
    assert key_action(Qt.Key.Key_PageDown) == "next"
    assert key_action(0, ".") == "blank"


def test_cursor_hides_after_stillness_and_returns_on_move(presenter, qtbot) -> None:
    p = presenter
    qtbot.waitUntil(lambda: p.cursor_hidden, timeout=3000)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPoint(10, 10).toPointF(),
        QPoint(10, 10).toPointF(),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(p.stage, move)
    assert not p.cursor_hidden
    qtbot.waitUntil(lambda: p.cursor_hidden, timeout=3000)


def test_no_tooltips_on_stage(presenter) -> None:
    from PySide6.QtGui import QHelpEvent

    event = QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), QPoint(5, 5))
    assert presenter.eventFilter(presenter.stage, event) is True


def test_f5_starts_presenter_for_plain_scenario(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F5)
    p = window.presenter
    assert p is not None
    assert p.stage.caption.text() == window.controller.scenario.name
    p.stop()


def test_broken_story_reported_in_window(window, tmp_path: Path) -> None:
    bad = tmp_path / "bad.story.toml"
    bad.write_text('[[beats]]\ncaption = "Intro"\nplay_to = "later"\n', encoding="utf-8")
    assert not window.load_story(str(bad))
    assert window.banner.isVisible()
    text = window.banner.text()
    assert "bad.story.toml" in text and "beat 1 ('Intro')" in text and "play_to" in text


def test_story_command_line_errors(run_app, tmp_path: Path) -> None:
    bad = tmp_path / "bad.story.toml"
    bad.write_text('[[beats]]\ncaption = "Intro"\nunits = "x"\n', encoding="utf-8")
    result = run_app(["--story", str(bad), "--present"])
    assert result.returncode == 2
    assert "bad.story.toml: beat 1 ('Intro'): units" in result.stderr


def test_export_from_window_shows_the_beat_on_stage(presenter, qtbot) -> None:
    from rsiviz.gui.export_dialog import current_view

    p = presenter
    for _ in range(3):
        _key(qtbot, p, Qt.Key.Key_PageDown)
        p.player.go_to(p.player.index)
    story, beat = current_view(p.parent())
    assert story is p.player.story and beat == 3
    p.stop()
    p.stop()  # twice is harmless
