"""The frozen app's self-test, and the first-paint probe for the bundle benchmark.

``rsiviz --self-test [--self-test-result FILE]`` (dispatched by
:func:`rsiviz.gui.app.main`) opens the real main window, plays the
``pause_2028_instant`` preset for a few simulated years, exports a PNG of the
window and checks it is not blank, exports a short MP4 through the app's video
pipeline and decodes it again (a bundle that cannot make video fails), checks
every shipped resource loads, computes a small fan in the worker process (the program
started again, as the window does for fans), and writes a JSON report. It returns 0 only when every check passed. A windowed
Windows build has no stdout, so the report always goes to a file: FILE, or
``rsiviz-selftest.json`` next to the frozen Windows executable (when
writable), else in the temp directory.

``--time-to-first-paint FILE`` (hidden; dispatched by rsiviz.gui.app.main too)
starts the app, writes the wall-clock time of the main window's first
paintEvent to FILE and quits; bench/bench_bundle.py turns that into a startup
time.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rsiviz.core.atomic import atomic_save, atomic_write_text

PRESET = "pause_2028_instant"
PLAY_UNTIL = 2031.0  # three simulated years past the 2028 development pause start
MIN_COLOURS = 8  # a blank or single-colour grab has fewer distinct colours than this
VIDEO_SIZE, VIDEO_FPS, VIDEO_SECONDS = (320, 180), 10, 2.0  # small: a few seconds of CI


# -- where the report goes -------------------------------------------------------------
def default_result_path() -> Path:
    """``rsiviz-selftest.json`` beside a frozen Windows executable, else in the temp folder.

    Only on Windows: a macOS .app must not be written into (that breaks its
    signature), and Linux/macOS runs have a stdout anyway.
    """
    name = "rsiviz-selftest.json"
    if getattr(sys, "frozen", False) and sys.platform == "win32":
        exe_dir = Path(sys.executable).resolve().parent
        if os.access(exe_dir, os.W_OK):
            return exe_dir / name
    return Path(tempfile.gettempdir()) / name


# -- the checks ------------------------------------------------------------------------
def check_version() -> str:
    from importlib.metadata import version

    import rsiviz

    found = version("rsiviz")  # needs rsiviz's dist-info in the bundle
    if found != rsiviz.__version__:
        raise AssertionError(f"metadata {found} != rsiviz.__version__ {rsiviz.__version__}")
    return found


def check_resources() -> str:
    from rsiviz.core.calibration import default_fit
    from rsiviz.core.resources import resource_path, resource_root
    from rsiviz.core.scenario import list_presets, load_preset

    names = list_presets()
    if PRESET not in names:
        raise AssertionError(f"preset {PRESET!r} missing from {resource_root()}: {names}")
    for name in names:
        load_preset(name)
    fit = default_fit()
    if not (fit.n > 2 and 0 < fit.doubling_days < 10_000):
        raise AssertionError(f"implausible METR fit: n={fit.n} doubling={fit.doubling_days}")
    resource_path("icons", "rsiviz.png")
    stories = _check_stories()
    return f"{len(names)} presets, {stories}, METR fit n={fit.n} doubling {fit.doubling_days:.0f} d"


def _check_stories() -> str:
    """Every shipped story parses (stories are optional until rsiviz.core.story exists)."""
    try:
        from rsiviz.core.story import list_stories, load_story, story_dir
    except ImportError:
        return "no story support"
    names = list_stories()
    for path in sorted(story_dir().glob("*.story.toml")):
        load_story(path)
    return f"{len(names)} stories"


def check_simulation() -> str:
    from rsiviz.core.scenario import load_preset

    sim = load_preset(PRESET).simulation()
    sim.run_until(PLAY_UNTIL)
    paused = sim.history.any_paused()
    if not paused.any():
        raise AssertionError(f"no development pause by {PLAY_UNTIL} in {PRESET}")
    return f"{sim.month} months, paused {int(paused.sum())} of them"


def check_worker_process() -> str:
    """The child process that computes fans (rsiviz.core.offload) starts from this very
    program (the frozen executable in a bundle) and computes what this process does."""
    import numpy as np

    from rsiviz.core.fan import WITH_PAUSE, compute_fan_part
    from rsiviz.core.offload import Offload
    from rsiviz.core.scenario import load_preset

    args = (load_preset(PRESET), None, 20, 1, WITH_PAUSE)
    child = Offload()
    try:
        there = child.call(compute_fan_part, args)
        pid = child.pid
    finally:
        child.close()
    here = compute_fan_part(*args)
    for q, values in here.series.items():
        if not np.array_equal(there.series[q], values):
            raise AssertionError(f"the worker process computed another {q} than this one")
    return f"a 20-run fan computed in process {pid} equals this process's"


def _application() -> Any:
    """The app's QApplication (it may already exist, e.g. under pytest-qt)."""
    from rsiviz.gui.app import application

    return application()


def make_main_window() -> Any:
    """The GUI engineer's main window, constructed the way the app does."""
    from rsiviz.gui import app as gui_app

    for factory in ("create_main_window", "make_main_window", "build_window"):
        if callable(getattr(gui_app, factory, None)):
            return getattr(gui_app, factory)()
    from rsiviz.gui.main_window import MainWindow

    return MainWindow()


def _controller(window: Any) -> Any:
    for name in ("controller", "_controller", "ctl"):
        ctl = getattr(window, name, None)
        if ctl is not None and hasattr(ctl, "load_preset"):
            return ctl
    raise AssertionError("main window exposes no controller (window.controller)")


def _play_until(window: Any, ctl: Any, year: float) -> None:
    """Play frame by frame as the app does (rsiviz.gui.app.play_until), else jump."""
    from rsiviz.gui import app as gui_app

    play = getattr(gui_app, "play_until", None)
    if callable(play):
        play(window, year)
    else:
        ctl.run_until(year)


def _process(app: Any, seconds: float = 0.2) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def image_colours(image: Any, step: int = 7) -> int:
    """Distinct colours on a sparse grid of a QImage (a blank grab has one or two)."""
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def check_window(png_path: Path) -> str:
    from PySide6.QtGui import QImage

    app = _application()
    window = make_main_window()
    try:
        window.resize(1280, 800)
        window.show()
        _process(app)
        ctl = _controller(window)
        if ctl.load_preset(PRESET) is False:
            raise AssertionError(f"controller could not load {PRESET}")
        _play_until(window, ctl, PLAY_UNTIL)
        _process(app, 0.3)
        if hasattr(ctl, "sim") and not ctl.sim.history.any_paused().any():
            raise AssertionError("the window's run shows no development pause")
        pixmap = window.grab()
        if pixmap.isNull():
            raise AssertionError("the window grab is empty")
        atomic_save(png_path, lambda tmp: pixmap.save(str(tmp), "PNG"), AssertionError)
        image = QImage(str(png_path))
        if image.isNull():
            raise AssertionError(f"{png_path} does not read back as an image")
        colours = image_colours(image)
        if colours < MIN_COLOURS:
            raise AssertionError(f"{png_path} looks blank ({colours} colours)")
        platform_name = app.platformName()
        return f"{image.width()}x{image.height()} px, {colours} colours, platform {platform_name}"
    finally:
        window.close()
        window.deleteLater()
        _process(app, 0.05)


def check_video(mp4_path: Path) -> str:
    """Export a short H.264 MP4 as File > Export does, then decode every frame of it."""
    import av

    from rsiviz.core.story import find_story
    from rsiviz.gui.video import VideoExport

    app = _application()
    story = find_story("development_pause")
    job = VideoExport(story, mp4_path, "mp4", *VIDEO_SIZE, VIDEO_FPS, duration=VIDEO_SECONDS)
    result: list[tuple[bool, str]] = []
    job.finished.connect(lambda ok, message: result.append((ok, message)))
    job.start()
    deadline = time.perf_counter() + 120
    while not result and time.perf_counter() < deadline:
        _process(app, 0.05)
    if not result or not result[0][0]:
        raise AssertionError(result[0][1] if result else "video export did not finish in 120 s")
    with av.open(str(mp4_path)) as container:
        ctx = container.streams.video[0].codec_context
        frames = sum(1 for _ in container.decode(video=0))
        found = (frames, ctx.name, ctx.pix_fmt, ctx.width, ctx.height)
    want = (job.total, "h264", "yuv420p", *VIDEO_SIZE)
    if found != want:
        raise AssertionError(f"{mp4_path} decodes as {found}, expected {want}")
    # the app encodes in a worker process (a stalled encoder can be ended with it)
    where = (
        "in this process" if getattr(job._encoder.sink, "local", None) else "in a worker process"
    )
    return (
        f"{frames} frames {ctx.name} {ctx.pix_fmt} {ctx.width}x{ctx.height}, PyAV "
        f"{av.__version__}, encoded {where}"
    )


def _environment() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
    }
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info.update(pyside6=PySide6.__version__, qt=qVersion())
        import numpy
        import pyqtgraph

        info.update(numpy=numpy.__version__, pyqtgraph=pyqtgraph.__version__)
    except Exception as exc:  # reported in the checks below anyway
        info["import_error"] = repr(exc)
    return info


def _run(name: str, fn: Callable[[], str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        detail, ok = fn(), True
    except Exception as exc:  # every failure must land in the report
        detail, ok = "".join(traceback.format_exception_only(exc)).strip(), False
    return {"name": name, "ok": ok, "detail": detail, "seconds": round(time.perf_counter() - t0, 3)}


def run_self_test(result_path: str | None = None) -> int:
    """Run every check, write the JSON report to ``result_path``; 0 only if all passed."""
    out = Path(result_path) if result_path else default_result_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    png = out.with_suffix(".png")
    checks = [
        _run("version", check_version),
        _run("resources", check_resources),
        _run("simulation", check_simulation),
        _run("worker process", check_worker_process),
        _run("window", lambda: check_window(png)),
        _run("video", lambda: check_video(out.with_suffix(".mp4"))),
    ]
    ok = all(c["ok"] for c in checks)
    report = {"ok": ok, "checks": checks, "screenshot": str(png), **_environment()}
    atomic_write_text(out, json.dumps(report, indent=2) + "\n")
    lines = [
        f"[self-test] {'ok  ' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}" for c in checks
    ]
    lines.append(f"[self-test] {'passed' if ok else 'FAILED'}; report: {out}")
    _say("\n".join(lines))
    return 0 if ok else 1


def _say(text: str) -> None:
    """Print when there is a stdout (a windowed Windows build has none); never fail."""
    if sys.stdout is None:
        return
    # a closed pipe must not turn a passing self-test into a failure
    with contextlib.suppress(OSError):
        print(text, flush=True)


# -- the first-paint probe (bench/bench_bundle.py) --------------------------------------
def time_to_first_paint(out_path: str | None) -> int:
    """Open the main window; at its first paint write ``time.time()`` to ``out_path``, quit.

    The report is JSON: ``{"paint_time": <epoch s>, "since_start": <s or null>, "marks":
    {"probe", "application", "window": <epoch s>}}`` (this function entered, the
    QApplication made, the window built);
    ``since_start`` is measured from the process start when the OS tells it
    (Linux /proc), the benchmark uses its own spawn time instead.
    """
    marks = {"probe": time.time()}  # where the time goes (epoch s): reported with the paint
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    app = _application()
    marks["application"] = time.time()
    window = make_main_window()
    marks["window"] = time.time()

    class _FirstPaint(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            # the first paint of the window or of any widget in it (a central
            # widget that fills the window hides the window's own paintEvent)
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget)
                and obj.window() is window
            ):
                app.removeEventFilter(self)
                # let the paint finish before reporting and quitting
                QTimer.singleShot(0, lambda: _report(time.time()))
            return False

    def _report(paint_time: float) -> None:
        data = {"paint_time": paint_time, "since_start": _since_process_start(), "marks": marks}
        text = json.dumps(data)
        if out_path:
            atomic_write_text(out_path, text + "\n")
        else:
            _say(text)
        app.quit()

    probe = _FirstPaint()
    app.installEventFilter(probe)
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(30_000, app.quit)  # never hang a benchmark
    app.exec()
    return 0


def _since_process_start() -> float | None:
    """Seconds since this process started, to 10 ms (Linux only; None elsewhere)."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(stat[19])  # field 22: starttime, in clock ticks after boot
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
