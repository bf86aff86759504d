"""The beat counter on stage and the speaker's presenter view (second screen)."""

from __future__ import annotations

from rsiviz.gui.presenter_view import elapsed_text


def test_beat_counter_follows_the_beats_and_n_hides_it(window, qtbot) -> None:
    window.load_story("development_pause")
    p = window.start_presenter(fullscreen=False)
    try:
        total = len(p.player.states)
        assert p.counter.text() == f"1/{total}" and p.counter.isVisible()
        p.handle("next")
        p.handle("next")  # finishes the animation of beat 2
        assert p.counter.text() == f"2/{total}"
        stage = p.stage.rect()
        assert stage.contains(p.counter.geometry())  # inside the stage, not clipped
        p.handle("counter")
        assert not p.counter.isVisible()
        p.handle("counter")
        assert p.counter.isVisible()
        p.handle("blank")
        assert not p.counter.isVisible()  # a blank screen is blank
        p.handle("blank")
        assert p.counter.isVisible()
    finally:
        p.stop()


def test_presenter_view_on_the_speaker_screen(window, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    window.load_story("development_pause")
    p = window.presenter = None
    from rsiviz.gui.presenter import Presenter

    story = window.story
    p = Presenter(window.controller, story, parent=window)
    p.start(fullscreen=False, screen=None, speaker_screen=QGuiApplication.primaryScreen())
    try:
        view = p.view
        assert view is not None and view.isVisible()
        states = p.player.states
        assert view.caption.text() == states[0].caption
        assert view.next.text() == f"Next: {states[1].caption}"
        assert view.beat.text().startswith(f"Beat 1/{len(states)}")
        p.player.go_to(len(states) - 1)
        assert view.next.text() == "Last beat."
        expected_note = states[-1].note or "(no notes for this beat)"
        assert view.note.text() == expected_note
    finally:
        p.stop()
    assert not view.isVisible()


def test_elapsed_text() -> None:
    assert elapsed_text(0) == "0:00"
    assert elapsed_text(61_500) == "1:01"
    assert elapsed_text(3_600_000) == "60:00"
