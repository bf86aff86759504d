"""A GUI monkey: thousands of random actions, no exception, no Qt warning, bounded memory.

Keys, sliders, the scrubber, resizes, units, UI scale, presenter mode and its clicker keys,
development pauses, scenario open/save, exports and the views in docks, drawn with a fixed
seed. ``RSIVIZ_MONKEY_ACTIONS`` sets how many (default 2,000 in CI; try 50,000 by hand).
Every unexpected error goes through the window's exception hook, which counts it.
"""

from __future__ import annotations

import gc
import os
import random
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

ACTIONS = int(os.environ.get("RSIVIZ_MONKEY_ACTIONS", "2000"))
SIZES = [(1024, 768), (1280, 720), (1366, 768), (800, 600), (1920, 1080)]
KEYS = [
    Qt.Key.Key_Space,
    Qt.Key.Key_Right,
    Qt.Key.Key_P,
    Qt.Key.Key_R,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
]
STAGE_ACTIONS = ["next", "next", "previous", "blank", "blank", "help", "theme", "restart"]
BENIGN_QT = ("propagateSizeHints", "QFont::setPointSizeF")


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Monkey:
    def __init__(self, window, qtbot, tmp_path, seed: int) -> None:
        from rsiviz.core.params import param_specs

        self.w, self.qtbot, self.tmp = window, qtbot, tmp_path
        self.rng = random.Random(seed)
        self.specs = [s for s in param_specs() if not s.is_choice and s.name != "years"]
        self.counts: dict[str, int] = {}

    def act(self) -> None:
        menu = self._menu()
        name = self.rng.choices(list(menu), weights=[w for _, w in menu.values()])[0]
        fn = menu[name][0]
        self.counts[name] = self.counts.get(name, 0) + 1
        fn()
        QApplication.processEvents()

    def _menu(self) -> dict:
        """Action -> (function, weight). Opening the stage and exporting are slow (a new
        stage, a full render), so they are drawn less often, but still dozens of times."""
        w = self.w
        menu = {
            "key": (self.key, 10),
            "slider": (self.slider, 6),
            "scrub": (self.scrub, 4),
            "play": (self.play_a_while, 2),
            "pause_end": (self.pause_end, 2),
            "resize": (self.resize, 1),
            "unit": (self.unit, 1),
            "zoom": (self.zoom, 0.5),
            "reset_params": (w.controller.reset_all_params, 1),
            "save_open": (self.save_open, 1),
            "export": (self.export, 0.4),
            "stage": (self.stage, 0.4),
        }
        if self._view_keys():
            menu["view"] = (self.view, 1)
        return menu

    def _view_keys(self):
        from rsiviz.gui.views import view_keys

        return view_keys()

    def key(self) -> None:
        self.qtbot.keyClick(self.w.plots, self.rng.choice(KEYS))

    def slider(self) -> None:
        spec = self.rng.choice(self.specs)
        control = self.w.params.controls[spec.name]
        control.setValue(self.rng.randint(control.minimum(), control.maximum()))
        if self.rng.random() < 0.3:
            self.w.controller.flush()

    def scrub(self) -> None:
        s = self.w.transport.scrubber
        s.setValue(self.rng.randint(0, max(0, s.maximum())))

    def play_a_while(self) -> None:
        self.w.controller.play()
        self.qtbot.wait(self.rng.randint(5, 40))
        self.w.controller.stop()

    def resize(self) -> None:
        self.w.resize(*self.rng.choice(SIZES))

    def unit(self) -> None:
        a = self.w.actions
        self.rng.choice([*a.units.values(), *a.lower.values()]).trigger()

    def zoom(self) -> None:
        self.rng.choice([self.w.actions.zoom_in, self.w.actions.zoom_out]).trigger()

    def stage(self) -> None:
        p = self.w.start_presenter(fullscreen=False)
        for _ in range(self.rng.randint(3, 12)):
            p.handle(self.rng.choice(STAGE_ACTIONS))
            QApplication.processEvents()
        p.handle("leave")

    def save_open(self) -> None:
        path = str(self.tmp / f"monkey-{self.rng.randint(0, 3)}.toml")
        if self.w.save_file(path) and self.rng.random() < 0.5:
            self.w.open_file(path)

    def export(self) -> None:
        from rsiviz.gui import export_dialog

        fmt = self.rng.choice(["csv", "csv", "svg"])
        export_dialog.export_to(self.w, str(self.tmp / f"monkey.{fmt}"), fmt)

    def pause_end(self) -> None:
        self.w.pause_panel.request()  # starts one, or ends the one in force

    def view(self) -> None:
        """Open one view (often) or none; the others close. One open view at a time keeps
        the background work of a fan or a sweep map from swamping a 2-core CI machine."""
        keys = self._view_keys()
        chosen = self.rng.choice(keys) if self.rng.random() < 0.7 else None
        for key in keys:
            if key != chosen:
                self.w.docks.toggle_view(key, False)
        if chosen is not None:
            self.w.docks.toggle_view(chosen, True)


@pytest.fixture
def qt_messages():
    seen: list[str] = []

    def handler(kind, _ctx, message: str) -> None:
        if not any(b in message for b in BENIGN_QT):
            seen.append(message)

    qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(None)


def test_random_actions_raise_nothing_and_memory_stays_bounded(
    window, qtbot, tmp_path, monkeypatch, qt_messages
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    monkeypatch.setenv("RSIVIZ_DATA_DIR", str(tmp_path / "data"))
    for dialog in ("getSaveFileName", "getOpenFileName"):  # nothing modal may block the run
        monkeypatch.setattr(QFileDialog, dialog, staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    hook, old = window.excepthook, sys.excepthook
    hook.install()
    monkey = Monkey(window, qtbot, tmp_path, seed=20261130)
    try:
        for _ in range(100):  # warm-up: fonts, caches, first stage
            monkey.act()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        start = _rss_mb()
        for _ in range(ACTIONS):
            monkey.act()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        growth = _rss_mb() - start
    finally:
        sys.excepthook = old
        window.controller.stop()
    assert hook.seen == [], hook.seen[:3]
    assert qt_messages == [], qt_messages[:3]
    # Views that keep results (the last fans, a sweep map: ~30 MB) count; a leak of the kind
    # issue 12 saw (547 MB over 5,000 actions) does not fit.
    assert growth < 120, f"memory grew {growth:.0f} MB over {ACTIONS} actions ({monkey.counts})"
    assert len(monkey.counts) >= 12  # every kind of action was drawn
