"""No window is left behind: presenter mode opened and closed many times gives back what it took."""

from __future__ import annotations

import gc
import os

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

CYCLES = int(os.environ.get("RSIVIZ_LEAK_CYCLES", "200"))


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _settle() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()


def test_stage_open_close_200_times_leaves_nothing_behind(window) -> None:
    window.load_story("development_pause")
    for _ in range(5):  # warm-up: caches, fonts, first-use allocations
        window.start_presenter(fullscreen=False).stop()
    _settle()
    widgets, rss = len(QApplication.allWidgets()), _rss_mb()
    for i in range(CYCLES):
        p = window.start_presenter(fullscreen=False)
        if i % 3 == 0:
            p.handle("next")
        p.handle("leave")
        del p
        if i % 20 == 0:
            _settle()
    _settle()
    assert window.presenter is None
    assert len(QApplication.allWidgets()) == widgets
    growth = _rss_mb() - rss
    assert growth < 20, f"memory grew {growth:.1f} MB over {CYCLES} presenter cycles"
    # the window's story player is the one File > Export... reads, still alive
    assert window.story_player is not None and window.story_player.story is not None
