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


def test_f1_lists_every_stage_key() -> None:
    from PySide6.QtGui import QKeySequence

    from rsiviz.gui.presenter import KEYS
    from rsiviz.gui.stage import KEYS_HELP

    listed = " ".join(keys for keys, _ in KEYS_HELP).split()
    names = {".": ".", "?": "?", "Return": "Enter"}
    for key in KEYS:
        name = QKeySequence(key).toString()
        name = {"PgDown": "PageDown", "PgUp": "PageUp"}.get(name, name)
        assert names.get(name, name) in listed, f"{name} is not in the F1 key list"


def test_window_exports_the_story_as_a_pdf_handout(window, tmp_path) -> None:
    from rsiviz.gui import export_dialog

    window.load_story("rsi_clock")
    out = tmp_path / "handout.pdf"
    export_dialog.export_to(window, str(out), "pdf")
    pages = out.read_bytes().count(b"/Type /Page\n") + out.read_bytes().count(b"/Type /Page ")
    assert out.read_bytes().startswith(b"%PDF") and pages >= len(window.story.beats)
