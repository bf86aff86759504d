"""The window's command line: scripted screenshots and clear errors (subprocesses)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}


def test_screenshot_has_requested_size(run_app, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_app(
        [
            "--preset",
            "pause_2028_instant",
            "--until",
            "2031",
            "--screenshot",
            str(out),
            "--size",
            "1280x720",
        ],
        OFFSCREEN,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 720)


def test_screenshot_default_size_with_set_and_pause(run_app, tmp_path: Path) -> None:
    out = tmp_path / "default.png"
    result = run_app(
        [
            "--set",
            "software_returns=2",
            "--pause",
            "2029:12:gradual",
            "--until",
            "2032",
            "--screenshot",
            str(out),
        ],
        OFFSCREEN,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--frobnicate"], "unrecognized arguments"),
        (["--set", "nope=1"], "nope"),
        (["--set", "software_returns=99"], "software_returns"),
        (["--pause", "2028"], "START:MONTHS"),
        (["--size", "huge", "--screenshot", "x.png"], "--size"),
        (["--until", "soon"], "--until"),
        (["--preset", "no_such_preset"], "no_such_preset"),
        (["--preset", "status_quo", "--scenario", "x.toml"], "either"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    run_app, args: list[str], needle: str, tmp_path: Path
) -> None:
    if "--screenshot" not in args:
        args = [*args, "--screenshot", str(tmp_path / "x.png")]
    result = run_app(args, OFFSCREEN, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]


def test_broken_scenario_file_exits_2_with_its_message(run_app, tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[params]\nsoftware_returns = -3\n")
    result = run_app(
        ["--scenario", str(bad), "--screenshot", str(tmp_path / "x.png")], OFFSCREEN, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "broken.toml" in result.stderr and "software_returns" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_self_test_is_dispatched(monkeypatch) -> None:
    import rsiviz.gui.selftest as selftest
    from rsiviz.gui.app import main

    seen = []
    monkeypatch.setattr(selftest, "run_self_test", lambda path: seen.append(path) or 0)
    assert main(["--self-test", "--self-test-result", "out.json"]) == 0
    assert seen == ["out.json"]


def test_file_argument_opens_story_or_scenario(run_app, tmp_path: Path) -> None:
    """What a desktop double-click sends: a bare path to a scenario or a story file."""
    from rsiviz.core.resources import resource_path
    from rsiviz.core.scenario import load_preset, save_scenario

    scen = tmp_path / "mine.toml"
    save_scenario(load_preset("slow_takeoff"), scen)
    story = resource_path("stories", "rsi_clock.story.toml")
    for path in (scen, story):
        shot = tmp_path / f"{path.stem}.png"
        res = run_app(
            [str(path), "--until", "2027", "--screenshot", str(shot), "--size", "800x600"]
        )
        assert res.returncode == 0, res.stderr
        assert QImage(str(shot)).width() == 800
    bad = run_app([str(scen), "--preset", "status_quo", "--screenshot", str(tmp_path / "b.png")])
    assert bad.returncode == 2 and "not both" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [["--set", "nope=1"], ["--frobnicate"], ["--scenario", "/no/such/file.toml"]],
)
def test_bad_launch_opens_the_window_with_the_message(monkeypatch, capsys, args) -> None:
    """From a desktop icon nobody sees stderr: the window opens and says what was wrong."""
    import rsiviz.gui.app as app

    opened = []
    monkeypatch.setattr(app, "no_terminal", lambda: True)  # as from a desktop icon
    monkeypatch.setattr(app, "run_window", lambda *a, **k: opened.append(k.get("error")) or 0)
    assert app.main(args) == 2
    assert len(opened) == 1 and opened[0]
    line = capsys.readouterr().err.strip()
    assert len(line.splitlines()) == 1 and opened[0] in line


def test_launch_error_shows_in_the_real_window(qtbot, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QApplication

    import rsiviz.gui.app as app

    monkeypatch.setenv("RSIVIZ_DATA_DIR", str(tmp_path))
    seen = []
    made = []  # the window this launch made (earlier tests' windows may still exist)
    real_create = app.create_main_window

    def create(*args, **kwargs):
        made.append(real_create(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(app, "create_main_window", create)

    def fake_exec(self) -> int:
        window = made[-1]
        seen.append((window.banner.isVisible(), window.banner.text()))
        window.autosave.close()
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    monkeypatch.setattr(app, "no_terminal", lambda: True)
    assert app.main(["--set", "software_returns=99"]) == 2
    assert seen and seen[0][0] and "software_returns" in seen[0][1]


def test_from_a_terminal_a_bad_launch_only_says_so(monkeypatch, capsys) -> None:
    import rsiviz.gui.app as app

    opened = []
    monkeypatch.setattr(app, "no_terminal", lambda: False)
    monkeypatch.setattr(app, "run_window", lambda *a, **k: opened.append(k) or 0)
    assert app.main(["--set", "nope=1"]) == 2
    assert opened == [] and "nope" in capsys.readouterr().err
