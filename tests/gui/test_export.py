"""Exports: PNG at slide size, SVG that parses, CSV of the run, MP4/GIF video off the GUI
thread (counted by events, never by wall time)."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QTimer

from rsiviz.core.history import COLUMNS
from rsiviz.core.scenario import load_preset
from rsiviz.core.story import find_story, story_for_scenario
from rsiviz.gui import exporters
from rsiviz.gui.export_cli import main as export_main
from rsiviz.gui.svg_fix import normalise_path_data, restore_path_data
from rsiviz.gui.video import VideoExport, frame_plan

SVG = "{http://www.w3.org/2000/svg}"


def video_streams(path: Path) -> tuple[int, str, str, str, int, int]:
    """Decode every frame: (frames, codec, pixel format, profile, width, height)."""
    import av

    with av.open(str(path)) as container:
        ctx = container.streams.video[0].codec_context
        frames = sum(1 for _ in container.decode(video=0))
        return frames, ctx.name, ctx.pix_fmt, str(ctx.profile), ctx.width, ctx.height


def test_png_is_slide_sized_with_large_text(qapp, tmp_path: Path) -> None:
    out = tmp_path / "slide.png"
    story = find_story("development_pause")
    assert exporters.export_png(story, 5, out) == (3840, 2160)
    with Image.open(out) as img:
        assert img.size == (3840, 2160)
        small = img.convert("L")
        # Thick curves, not hairlines: a dark run in the caption band is many pixels tall.
        band = [small.getpixel((x, y)) for x in range(40, 2000, 7) for y in range(20, 160, 2)]
        assert min(band) < 60  # the caption is drawn, in black
    off = exporters.OffscreenStage.create(story, 3840, 2160)
    try:
        assert off.stage.caption.font().pointSizeF() >= 2 * 13 * 1.5 * 1.9 * 0.99
        assert off.stage.plots.frontier.opts["pen"].widthF() >= 2 * 3.0 * 1.4
    finally:
        off.close()


def test_svg_parses_and_has_curves(qapp, tmp_path: Path) -> None:
    out = tmp_path / "plots.svg"
    exporters.export_svg_file(find_story("development_pause"), 5, out)
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    assert int(root.get("width")) > 0 and root.get("viewBox")
    paths = root.findall(f".//{SVG}path") + root.findall(f".//{SVG}polyline")
    long_curves = [p for p in paths if len((p.get("d") or p.get("points") or "").split()) > 40]
    assert len(long_curves) >= 5  # capability, potential, oversight, gap, counterfactual
    texts = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Capability" in texts and "OOM" in texts
    for p in root.findall(f".//{SVG}path"):
        d = p.get("d", "")
        assert not re.search(r"[Zz][-\d]", d), d  # no leftovers of the closed-path fix


def test_closed_path_fix_round_trip() -> None:
    d = "M0,0 L433.859,0 L433.859,264.5 L0,264.5 L0,0 Z"
    fixed = normalise_path_data(d)
    assert fixed.endswith("Z0,0") and all("," in token for token in fixed.split())
    assert restore_path_data(fixed.replace("Z0,0", "Z12.5,-3e-05")) == d


def test_csv_has_the_run_columns(tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    scenario = load_preset("race_one_lab_defects")
    assert (
        export_main(
            [
                "--preset",
                "race_one_lab_defects",
                "--until",
                "2030",
                "--format",
                "csv",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[: len(COLUMNS)] == list(COLUMNS)
    assert "lab_c_capability" in header
    assert len(rows) - 1 == 4 * 12 + 1
    assert len(scenario.labs) == 3
    dt = header.index("doubling_time_months")
    values = [r[dt] for r in rows[1:]]
    assert "" in values or all(v for v in values)  # blank, never "inf" or "nan"
    assert not any(v.lower() in ("inf", "nan", "-inf") for r in rows[1:] for v in r)


@pytest.mark.parametrize("until", [2030.5, 2037.9, 2037.96, 2038.0, 2040.0])
def test_until_between_months_exports_the_nearest_month(tmp_path: Path, until: float) -> None:
    """A year between two month boundaries ends the export at the nearest month, as the
    window's --until does; 2037.9 (month 142.8) once exported the start year, 2026, as the
    beat it asked for stood at month 143 (2037.917), past 2037.9."""
    out = tmp_path / "run.csv"
    args = ["--preset", "slow_takeoff", "--until", str(until), "--format", "csv"]
    assert export_main([*args, "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    last = min(round((until - 2026) * 12), 12 * 12)
    assert len(rows) - 1 == last + 1
    assert float(rows[-1][0]) == pytest.approx(2026 + last / 12, abs=0.006)  # 2 decimals


def test_csv_is_byte_identical_to_rsiviz_run(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "export.csv", tmp_path / "run.csv"
    common = ["--preset", "race_one_lab_defects"]
    assert export_main([*common, "--out", str(ours)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "rsiviz", "run", *common, "--out", str(theirs)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert ours.read_bytes() == theirs.read_bytes()


def test_frame_plan_holds_and_plays() -> None:
    story = find_story("development_pause")
    plan = frame_plan(story, fps=10, hold=1.0)
    first = story.states()[0].month  # beat 1 plays to 2027.5 (month 18)
    assert plan[0].beat == 0 and 0 < plan[0].month <= first
    assert plan[-1].month == story.states()[-1].month
    assert [f.month for f in plan] == sorted(f.month for f in plan)
    assert len(frame_plan(story, fps=30, duration=4.0)) == 120


def _run(qtbot, job: VideoExport, on_progress=None) -> tuple[bool, str]:
    result: list = []
    job.finished.connect(lambda ok, msg: result.append((ok, msg)))
    if on_progress is not None:
        job.progress.connect(on_progress)
    job.start()
    qtbot.waitUntil(lambda: bool(result), timeout=120_000)
    return result[0]


def test_mp4_plays_in_powerpoint(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "talk.mp4"
    story = story_for_scenario(load_preset("status_quo"), until=2030.0)
    job = VideoExport(story, out, "mp4", width=641, height=361, fps=24, duration=3.0)
    ok, message = _run(qtbot, job)
    assert ok, message
    assert video_streams(out) == (72, "h264", "yuv420p", "High", 640, 360)
    data = out.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # +faststart: index first


def test_gif(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "talk.gif"
    job = VideoExport(find_story("rsi_clock"), out, "gif", width=320, fps=5, hold=0.2)
    ok, message = _run(qtbot, job)
    assert ok, message
    with Image.open(out) as img:
        assert img.size == (320, 180)
        assert img.n_frames == job.total


def test_export_does_not_block_the_gui_thread(qtbot, tmp_path: Path) -> None:
    """A 0-ms timer keeps firing between rendered batches: the event loop never stalls
    for the whole export (counted in events, not seconds)."""
    ticks = [0]
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    seen: list[tuple[int, int]] = []  # (frames done, timer ticks so far)
    job = VideoExport(
        find_story("development_pause"),
        tmp_path / "v.mp4",
        "mp4",
        width=320,
        height=180,
        fps=10,
        duration=6.0,
    )
    timer.start()
    ok, message = _run(qtbot, job, lambda done, total: seen.append((done, ticks[0])))
    timer.stop()
    assert ok, message
    assert len(seen) >= 5  # many batches, each followed by a return to the event loop
    ticks_between = [b[1] - a[1] for a, b in zip(seen, seen[1:], strict=False)]
    assert sum(t > 0 for t in ticks_between) >= len(ticks_between) // 2
    assert max(b[0] - a[0] for a, b in zip(seen, seen[1:], strict=False)) < job.total


def test_the_stage_built_in_pieces_draws_what_create_draws(qapp) -> None:
    """A video export builds its offscreen stage a piece per event-loop turn
    (:meth:`OffscreenStage.build`): the same picture as :meth:`OffscreenStage.create`."""
    from PySide6.QtWidgets import QApplication

    story = find_story("development_pause")
    whole = exporters.OffscreenStage.create(story, 640, 360)
    steps, pieces = exporters.OffscreenStage.build(story, 640, 360), 0
    try:
        while True:
            next(steps)
            pieces += 1
            QApplication.processEvents()
    except StopIteration as done:
        built = done.value
    try:
        assert pieces >= 5
        for beat in (0, 2):
            whole.show_beat(beat)
            built.show_beat(beat)
            a, b = whole.image(), built.image()
            assert a.size() == b.size() and a == b, f"beat {beat}"
    finally:
        whole.close()
        built.close()


def test_export_start_returns_before_the_stage_is_built(qtbot, tmp_path: Path) -> None:
    job = VideoExport(find_story("rsi_clock"), tmp_path / "v.gif", "gif", width=320, fps=5)
    turns: list[bool] = []  # per render-timer turn: whether the stage was still being built
    job.render_timer.timeout.connect(lambda: turns.append(job._stage is None))
    ok, message = _run(qtbot, job)
    assert ok, message
    assert turns[:4] == [True] * 4 and turns[-1] is False


def test_cancel_while_the_stage_is_built(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "early.mp4"
    job = VideoExport(find_story("rsi_clock"), out, "mp4", width=320, height=180, fps=30)
    result: list = []
    job.finished.connect(lambda ok, msg: result.append((ok, msg)))
    job.start()
    qtbot.waitUntil(lambda: job._setup is not None and job._stage is None, timeout=5_000)
    job.cancel()
    qtbot.waitUntil(lambda: bool(result), timeout=60_000)
    assert result == [(False, "Export cancelled.")]
    assert job._setup is None and job._stage is None
    assert not job.render_timer.isActive() and not job.watchdog.isActive()
    assert not out.exists()


def test_a_stage_that_cannot_be_laid_out_is_reported(qtbot, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "broken.mp4"

    class Broken(exporters.Stage):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("no fonts")

    monkeypatch.setattr(exporters, "Stage", Broken)
    job = VideoExport(find_story("rsi_clock"), out, "mp4", width=320, height=180, fps=30)
    ok, message = _run(qtbot, job)
    assert not ok and message.startswith("Export failed") and "no fonts" in message
    assert not job.render_timer.isActive() and not job.watchdog.isActive()
    qtbot.waitUntil(lambda: not job.encoder_thread.is_alive(), timeout=30_000)
    assert not out.exists()


def test_cancel_removes_the_file(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.mp4"
    job = VideoExport(find_story("rsi_clock"), out, "mp4", width=320, height=180, fps=30)
    job.progress.connect(lambda done, total: job.cancel() if done > 5 else None)
    ok, message = _run(qtbot, job)
    assert not ok and "cancelled" in message
    assert not out.exists()


def test_export_cli_png_and_errors(qapp, tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.png"
    assert (
        export_main(
            ["--story", "race_defection", "--beat", "3", "--width", "960", "--out", str(out)]
        )
        == 0
    )
    with Image.open(out) as img:
        assert img.size == (960, 540)
    assert export_main(["--preset", "status_quo", "--out", str(tmp_path / "x.doc")]) == 2
    assert "--format" in capsys.readouterr().err
    assert export_main(["--story", "race_defection", "--beat", "99", "--out", str(out)]) == 2
    assert "beats 1 to" in capsys.readouterr().err


def test_window_export_keeps_live_pauses(window, tmp_path: Path) -> None:
    from rsiviz.gui.export_dialog import current_view, export_to

    ctl = window.controller
    ctl.advance(24)
    ctl.start_development_pause(months=12.0)
    ctl.advance(6)
    story, beat = current_view(window)
    state = story.states()[beat]
    assert state.pauses == ctl.live_pauses and state.month == ctl.sim.month
    export_to(window, str(tmp_path / "w.csv"))
    with open(tmp_path / "w.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) - 1 == ctl.sim.month + 1
    assert rows[-1][COLUMNS.index("paused")] == "1"
    assert "without_development_pause_capability" in rows[0]  # the run without it, too


def test_file_export_menu_video_with_progress(window, qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "menu.gif"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    window.controller.advance(12)
    window.actions.export.trigger()
    job = window.video_export
    assert job is not None and job.running
    # Progress and Cancel in the status bar, like every background job.
    indicator = window.jobs_indicator
    assert indicator.isVisible() and indicator.key == "export"
    # The first frame comes after the stage is built, a piece per event-loop turn: ~0.5 s
    # here, and more on a loaded machine (CI runs two test suites on two cores), so the
    # wait is long; it ends as soon as the bar moves, and fails with what the banner says.
    qtbot.waitUntil(
        lambda: not job.running or (indicator.bar.maximum() > 0 and indicator.bar.value() > 0),
        timeout=60_000,
    )
    assert job.running or job.done > 0, window.banner.text()
    assert indicator.bar.maximum() == job.total and indicator.bar.value() > 0
    qtbot.waitUntil(lambda: not job.running, timeout=120_000)
    assert out.exists()
    assert "Wrote" in window.banner.text()
    qtbot.waitUntil(lambda: not indicator.isVisible())


FOOTER = "Conditional on assumptions, not a forecast"


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (3840, 2160)])
def test_png_shows_the_whole_stage_with_a_footer(qapp, tmp_path: Path, size) -> None:
    """The exported slide is the stage: caption, clock, legend and the footer, all inside
    the picture and none on top of another (the layout audit of the layout tests)."""
    from rsiviz import __version__
    from rsiviz.gui.layout_audit import problems, texts

    story = find_story("race_defection")
    off = exporters.OffscreenStage.create(story, *size)
    try:
        off.show_beat(3)
        stage = off.stage
        assert stage.footer.isVisible()
        assert FOOTER in stage.footer.text() and __version__ in stage.footer.text()
        assert story.title in stage.footer.text()
        assert problems(stage) == []
        shown = {t.name for t in texts(stage)}
        assert {"caption", "year", "clock status", "clock doubling", "footer"} <= shown
    finally:
        off.close()
    out = tmp_path / "beat4.png"
    w, h = size
    args = ["--story", "race_defection", "--beat", "4", "--width", str(w), "--height", str(h)]
    assert export_main([*args, "--out", str(out)]) == 0
    with Image.open(out) as img:
        assert img.size == size


def test_svg_is_the_whole_slide_at_the_requested_size(qapp, tmp_path: Path) -> None:
    out = tmp_path / "slide.svg"
    assert export_main(["--story", "race_defection", "--beat", "4", "--out", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("1920", "1080")  # as export -h says
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    state = find_story("race_defection").states()[3]
    for expected in (FOOTER, state.caption, f"{state.year:.1f}", "RSI clock", "Capability"):
        assert expected in texts, expected
    out2 = tmp_path / "small.svg"
    args = ["--width", "1024", "--height", "768", "--out", str(out2)]
    assert export_main(["--story", "rsi_clock", "--beat", "2", *args]) == 0
    root = ET.parse(out2).getroot()
    assert (root.get("width"), root.get("height")) == ("1024", "768")


def test_csv_has_the_counterfactual_at_six_digits(tmp_path: Path) -> None:
    out = tmp_path / "beat4.csv"
    assert export_main(["--story", "race_defection", "--beat", "4", "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[: len(COLUMNS)] == list(COLUMNS)
    cf = [h for h in header if h.startswith(exporters.COUNTERFACTUAL_PREFIX)]
    assert f"{exporters.COUNTERFACTUAL_PREFIX}capability" in cf
    assert f"{exporters.COUNTERFACTUAL_PREFIX}lab_c_capability" in cf
    last = dict(zip(header, rows[-1], strict=True))
    assert float(last["paused"]) == 1.0
    assert float(last[f"{exporters.COUNTERFACTUAL_PREFIX}capability"]) > float(last["capability"])
    for row in rows[1:]:
        for name, cell in zip(header, row, strict=True):
            digits = re.sub(r"[^0-9]", "", cell.split("e")[0]).lstrip("0")
            assert len(digits) <= 6, f"{name} = {cell}"


def test_number_format() -> None:
    from rsiviz.cli.output import number

    assert number(0.1 + 0.2) == "0.3"
    assert number(2026 + 1 / 12) == "2026.08"  # a month still tells from the next
    assert number(1.23456789e12) == "1.23457e+12"
    assert number(float("inf")) == "" and number(float("nan")) == ""
    assert number(-0.0) == "0"


def test_pdf_handout_has_a_page_per_beat(qapp, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    story = find_story("race_defection")
    assert export_main(["--story", "race_defection", "--format", "pdf", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)
    assert len(pages) == len(story.beats)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", data)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    letter = tmp_path / "letter.pdf"
    args = ["--story", "rsi_clock", "--format", "pdf", "--page", "letter", "--out", str(letter)]
    assert export_main(args) == 0
    w, h = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", letter.read_bytes())[0]
    assert (round(float(w)), round(float(h))) == (792, 612)


def test_video_export_prints_progress_lines(tmp_path: Path) -> None:
    out = tmp_path / "p.gif"
    args = ["export", "--story", "rsi_clock", "--beat", "2", "--width", "160", "--fps", "4"]
    result = subprocess.run(
        [sys.executable, "-m", "rsiviz", *args, "--hold", "0.5", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "frames (" in line]
    assert lines and lines[-1].endswith("(100%)") and len(lines) <= 11
