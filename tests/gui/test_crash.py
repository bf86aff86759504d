"""Unexpected errors are calm: a crash log with the scenario, a dialog off stage, no exit."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RSIVIZ_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _raise_in_slot(window, qtbot, exc: Exception) -> None:
    """An exception escaping a Qt slot goes through sys.excepthook, as in the app."""
    from PySide6.QtCore import QTimer

    def slot() -> None:
        raise exc

    QTimer.singleShot(0, slot)
    qtbot.wait(50)


def test_error_writes_log_with_scenario_and_shows_dialog(window, qtbot, data_dir, capsys):
    from PySide6.QtWidgets import QMessageBox

    from rsiviz.core.scenario import scenario_from_text

    window.controller.set_param("software_returns", 2.5)
    window.controller.flush()
    window.controller.advance(6)
    old = sys.excepthook
    try:
        window.excepthook.install()
        sys.excepthook(ValueError, ValueError("boom"), None)
    finally:
        sys.excepthook = old
    logs = list((data_dir / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text()
    assert "ValueError: boom" in text
    scenario = scenario_from_text(text.split("# The scenario on screen")[1].split("\n", 1)[1])
    assert scenario.params.software_returns == 2.5  # reproducible from the log
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and str(logs[0]) in boxes[0].text()
    assert "Traceback" not in capsys.readouterr().err  # the user never sees one
    assert "boom" in window.banner.text() and window.isVisible()
    window.controller.reset()  # the app goes on working
    window.controller.advance(6)
    assert window.controller.sim.month == 6


def test_errors_on_every_frame_open_one_dialog_and_bounded_logs(window, qtbot, data_dir):
    from PySide6.QtWidgets import QMessageBox

    from rsiviz.gui.crash import MAX_LOGS_PER_SESSION

    hook = window.excepthook
    for i in range(MAX_LOGS_PER_SESSION + 15):
        hook(RuntimeError, RuntimeError(f"frame {i}"), None)
    assert len([b for b in window.findChildren(QMessageBox) if b.isVisible()]) == 1
    assert len(list((data_dir / "crash-logs").glob("*.log"))) == MAX_LOGS_PER_SESSION
    assert len(hook.seen) == MAX_LOGS_PER_SESSION + 15


def test_on_stage_nothing_pops_up_but_the_log_is_written(window, qtbot, data_dir):
    from PySide6.QtWidgets import QMessageBox

    window.load_story("rsi_clock")
    presenter = window.start_presenter(fullscreen=False)
    try:
        window.excepthook(KeyError, KeyError("beat"), None)
        assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert len(list((data_dir / "crash-logs").glob("*.log"))) == 1
    finally:
        presenter.stop()


def test_an_exception_in_a_slot_reaches_the_hook(window, qtbot, data_dir):
    old = sys.excepthook
    try:
        window.excepthook.install()
        _raise_in_slot(window, qtbot, ZeroDivisionError("in a slot"))
    finally:
        sys.excepthook = old
    assert any("in a slot" in s for s in window.excepthook.seen)
