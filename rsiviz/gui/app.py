"""The window's entry point: options, QApplication, exception hook, screenshot mode.

``rsiviz [--preset NAME | --scenario FILE] [--set NAME=VALUE] [--pause START:MONTHS[:RELEASE]]
[--show VIEW,...] [--until YEAR] [--screenshot FILE.png [--size WxH]]`` opens the window with
those views (or plays it up to ``--until``, waits for their background work and saves a
screenshot). Bad options exit 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from rsiviz.core.options import OptionError, build_scenario
from rsiviz.core.scenario import Scenario, ScenarioError
from rsiviz.core.story import Story, StoryError, find_story, is_story_file
from rsiviz.gui.views import parse_show, view_keys

DEFAULT_SIZE = (1920, 1080)
SCREENSHOT_CHUNK = 3  # months per rendered frame while playing up to --until


class UsageError(Exception):
    """A malformed command line (reported in one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="rsiviz", description="Live view of the recursive-self-improvement model.")
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a scenario (.rsiviz, .toml) or story (.rsivizstory, .story.toml) file",
    )
    p.add_argument("--preset", help="start from a shipped preset (see the Presets menu)")
    p.add_argument("--scenario", help="start from a scenario file (TOML)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a parameter (repeatable)",
    )
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="START:MONTHS[:RELEASE]",
        help="schedule a development pause (repeatable)",
    )
    p.add_argument(
        "--cut",
        action="append",
        default=[],
        metavar="NAME[:START]",
        help="cut a link of the loop from START (default: the start; repeatable)",
    )
    p.add_argument("--years", type=float, help="years to simulate")
    p.add_argument("--until", type=float, metavar="YEAR", help="play up to this year")
    p.add_argument(
        "--show",
        default="",
        metavar="VIEW,...",
        help=f"open these views in docks ({', '.join(view_keys()) or 'none yet'})",
    )
    p.add_argument("--screenshot", metavar="FILE.png", help="save a screenshot and exit")
    p.add_argument("--size", default=None, metavar="WxH", help="window size for --screenshot")
    p.add_argument(
        "--units", choices=("oom", "metr", "multiplier"), default="oom", help="capability units"
    )
    p.add_argument(
        "--lower", choices=("gap", "multiplier"), default="gap", help="what the lower plot shows"
    )
    p.add_argument("--story", metavar="FILE|NAME", help="open a story (file or shipped name)")
    p.add_argument("--present", action="store_true", help="start in presenter mode (F5)")
    p.add_argument(
        "--theme", choices=("projector", "dark"), default="projector", help="presenter theme"
    )
    p.add_argument("--self-test", action="store_true", help="run the self-test and exit")
    p.add_argument("--self-test-result", metavar="FILE", help="where the self-test report goes")
    p.add_argument("--time-to-first-paint", metavar="FILE", help=argparse.SUPPRESS)
    return p


def parse_size(text: str | None) -> tuple[int, int]:
    if text is None:
        return DEFAULT_SIZE
    w, sep, h = text.lower().partition("x")
    try:
        size = (int(w), int(h))
    except ValueError:
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not sep or not (200 <= size[0] <= 8000 and 150 <= size[1] <= 8000):
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT between 200x150 and 8000x8000")
    return size


def _fail(message: str) -> int:
    print(f"rsiviz: error: {message}", file=sys.stderr)
    return 2


def no_terminal() -> bool:
    """Started where nobody reads stderr (a desktop icon, a file double-clicked), with a
    screen to show a window on."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False  # no screen: a window cannot open
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr at all (a windowed frozen app)
        return True


def _fail_in_window(message: str) -> int:
    """Say it on stderr and in the window (opened with the default scenario); exit 2."""
    _fail(message)
    run_window(Scenario(name="Default"), None, "oom", "gap", [], error=message)
    return 2


def _route_file(args: argparse.Namespace) -> None:
    """A file opened from the desktop: a story or a scenario, told apart by its name."""
    if args.file is None:
        return
    if args.scenario or args.story or args.preset:
        raise UsageError("give a FILE or --scenario/--story/--preset, not both")
    if is_story_file(args.file):
        args.story = args.file
    else:
        args.scenario = args.file


NON_INTERACTIVE = ("--screenshot", "--self-test", "--time-to-first-paint")


def main(argv: list[str] | None = None) -> int:
    """Run the window (or a screenshot / self-test); returns the exit status.

    A bad option, file or setting is one line on stderr and exit status 2. When the window
    was asked for from a desktop icon or a double-clicked file (no terminal to read stderr,
    a real screen), the window opens anyway, with the default scenario and the message in
    it, and the exit status after it closes is still 2.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    interactive = not any(a.split("=")[0] in NON_INTERACTIVE for a in argv) and no_terminal()
    try:
        args = build_parser().parse_args(argv)
        _route_file(args)
        size = parse_size(args.size)
        if args.until is not None and not 1900 <= args.until <= 2300:
            raise UsageError(f"--until {args.until:g}: expected a calendar year")
        try:
            args.show = parse_show(args.show)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    except UsageError as exc:
        return _fail_in_window(str(exc)) if interactive else _fail(str(exc))
    if args.self_test:
        from rsiviz.gui.selftest import run_self_test

        return run_self_test(args.self_test_result)
    if args.time_to_first_paint:
        from rsiviz.gui.selftest import time_to_first_paint

        return time_to_first_paint(args.time_to_first_paint)
    story = None
    try:
        if args.story:
            story = find_story(args.story)
            scenario = story.scenario
        else:
            scenario = build_scenario(
                args.preset, args.scenario, args.set, args.pause, args.years, args.cut
            )
    except (OptionError, ScenarioError, StoryError) as exc:
        return _fail_in_window(str(exc)) if interactive else _fail(str(exc))
    if args.screenshot:
        return screenshot(
            scenario, args.screenshot, size, args.until, args.units, args.lower, args.show
        )
    window_args = (args.until, args.units, args.lower, args.show)
    if story is not None or args.present:
        return run_presenter(scenario, story, args.present, args.theme, window_args)
    return run_window(scenario, *window_args)


def run_presenter(
    scenario: Scenario,
    story: Story | None,
    present: bool,
    theme: str,
    window_args: tuple[float | None, str, str, list[str]],
) -> int:
    """The window with a story loaded, in presenter mode with ``present``."""
    app = application()
    window = create_main_window(scenario, session=True)
    show_on_screen(window)
    if not present:  # on stage nothing pops up; the edits are offered at the next start
        window.autosave.offer_restore(window, window.banner.show_message)
    _prepare(window, *window_args)
    if story is not None:
        window.load_story(story)
    if present:
        window.start_presenter(theme)
    return int(app.exec())


def application() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "rsiviz"])
        app.setApplicationName("rsiviz")
        app.setOrganizationName("rsiviz")
    from rsiviz.gui.gc_guard import collect_on_gui_thread

    collect_on_gui_thread()  # a worker thread never destroys a Qt object (gc_guard.py)
    return app


def create_main_window(
    scenario: Scenario | None = None, restore_layout: bool = True, session: bool = False
) -> Any:
    """A main window with its controller, exception hook installed.

    ``restore_layout=False`` (screenshots) uses the default dock layout and saves none;
    ``session=True`` (the app itself) autosaves unsaved edits and asks before quitting.
    """
    application()
    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    window = MainWindow(Controller(scenario), restore_layout=restore_layout, session=session)
    install_excepthook(window)
    return window


def show_on_screen(window: Any) -> None:
    """Show the window inside its screen's available area (a saved size too large for this
    screen, or the default on a small projector, is shrunk and moved to fit)."""
    from PySide6.QtCore import QRect

    screen = window.screen()
    avail: QRect = screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)
    frame = window.frameGeometry()
    restored = window.docks.restored_geometry
    w = min(frame.width() if restored else DEFAULT_SIZE[0], avail.width())
    h = min(frame.height() if restored else DEFAULT_SIZE[1], avail.height())
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    window.resize(max(320, w - extra_w), max(240, h - extra_h))
    x = min(max(frame.x() if restored else avail.x(), avail.x()), avail.right() - w + 1)
    y = min(max(frame.y() if restored else avail.y(), avail.y()), avail.bottom() - h + 1)
    window.move(x, y)
    window.show()


def install_excepthook(window: Any) -> None:
    """Unexpected errors: a crash log, one line in the window, a dialog off stage; never exit."""
    window.excepthook.install()


def _prepare(
    window: Any, until: float | None, units: str, lower: str, show: list[str] | None = None
) -> None:
    window.plots.set_unit(units)
    window.actions.units[units].setChecked(True)
    window.plots.set_lower_mode(lower)
    window.actions.lower[lower].setChecked(True)
    if show:
        window.show_views(show)
    if until is not None:
        play_until(window, until)


def play_until(window: Any, year: float) -> None:
    """Play the real window up to ``year``, a few months per rendered frame."""
    app = application()
    ctl = window.controller
    while not ctl.sim.done and ctl.sim.time < year - 1e-6:
        months = round((year - ctl.sim.time) * 12)
        ctl.advance(max(1, min(SCREENSHOT_CHUNK, months)))
        app.processEvents()


def install_file_open_handler(app: Any, window: Any) -> Any:
    """Files opened from the desktop while the app runs, or that launched it on macOS (the
    Finder sends them as ``QFileOpenEvent``s, not as arguments), open in ``window``."""
    from PySide6.QtCore import QEvent, QObject

    class FileOpenHandler(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.FileOpen and event.file():
                window.open_document(event.file())
                return True
            return False

    handler = FileOpenHandler(window)
    app.installEventFilter(handler)
    return handler


def run_window(
    scenario: Scenario,
    until: float | None,
    units: str,
    lower: str,
    show: list[str],
    error: str = "",
) -> int:
    """The window; ``error``: what was wrong at launch, shown in it (nothing else opened)."""
    app = application()
    window = create_main_window(scenario, session=True)
    if sys.platform == "darwin":
        # Qt sends QFileOpenEvent on macOS only; elsewhere the handler, a filter on the
        # application, would only add a call into Python to each of the app's events
        install_file_open_handler(app, window)
    show_on_screen(window)
    if error:
        window.banner.show_message("error", f"Could not start as asked: {error}")
        return int(app.exec())
    window.autosave.offer_restore(window, window.banner.show_message)
    _prepare(window, until, units, lower, show)
    return int(app.exec())


def screenshot(
    scenario: Scenario,
    path: str,
    size: tuple[int, int],
    until: float | None,
    units: str,
    lower: str,
    show: list[str] | None = None,
) -> int:
    """Play the window to ``until`` (default: the end), let the views' background work
    finish, save ``window.grab()``, exit 0."""
    if not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless: still a real render
    app = application()
    window = create_main_window(scenario, restore_layout=False)
    window.resize(*size)
    window.show()
    app.processEvents()
    end = scenario.params.start_year + scenario.params.years
    _prepare(window, end if until is None else until, units, lower, show)
    app.processEvents()
    if not window.jobs.wait_idle(120.0):
        print("rsiviz: error: the views' background work did not finish", file=sys.stderr)
        return 1
    app.processEvents()
    image = window.grab().toImage()
    if (image.width(), image.height()) != size:
        from PySide6.QtCore import Qt

        image = image.scaled(
            size[0],
            size[1],
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    window.close()
    from rsiviz.gui.exporters import ExportError, save_png

    try:
        save_png(image, path, "the screenshot")
    except ExportError as exc:
        print(f"rsiviz: error: {exc}", file=sys.stderr)
        return 2
    return 0
