"""Cycles are collected on the GUI thread, never on a worker thread (rsiviz/gui/gc_guard.py)."""

from __future__ import annotations

import gc
import threading


class _Cycle:
    """A reference cycle that records the thread it is finally collected on."""

    def __init__(self, seen: list[int]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.get_ident())


def test_a_cycle_dropped_on_a_worker_thread_is_collected_on_the_gui_thread(qtbot) -> None:
    from rsiviz.gui.app import application
    from rsiviz.gui.gc_guard import INTERVAL_MS, GuiThreadCollector

    application()  # the app's own start-up installs the collector
    assert not gc.isenabled()
    seen: list[int] = []
    # more cycles than the youngest generation's threshold: automatic collection would
    # run on the worker (collection counts net allocations, so junk freed does not count)
    n = 2 * gc.get_threshold()[0] + 100

    def worker() -> None:
        for _ in range(n):
            _Cycle(seen)  # garbage at once: only a collection can free it

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == []  # nothing collected on the worker thread
    collector = application().findChild(GuiThreadCollector)
    assert collector is not None and collector.timer.isActive()
    assert collector.timer.interval() == INTERVAL_MS
    # (in a long suite an earlier timer tick may have promoted some of them to an older
    # generation, which the timer collects only later, as Python would: collect them all)
    gc.collect()
    assert len(seen) == n and set(seen) == {threading.get_ident()}
    assert len(application().findChildren(GuiThreadCollector)) == 1  # installed once


def test_the_first_collection_freezes_what_start_up_left_and_later_cycles_are_still_collected(
    qtbot,
) -> None:
    from rsiviz.gui.app import application
    from rsiviz.gui.gc_guard import FIRST_WAIT_TICKS, INTERVAL_MS, GuiThreadCollector

    collector = application().findChild(GuiThreadCollector)
    assert collector is not None
    qtbot.waitUntil(lambda: collector.frozen, timeout=(FIRST_WAIT_TICKS + 3) * INTERVAL_MS)
    assert gc.get_freeze_count() > 1000  # the start-up's objects: skipped from now on
    seen: list[int] = []
    n = 2 * gc.get_threshold()[0] + 100
    for _ in range(n):
        _Cycle(seen)
    assert seen == []
    # Python's count is net (frees of older objects lower it), so whether the timer's
    # next tick finds it over the threshold depends on what the event loop frees first:
    # the tick's own step is called here, with the count over the threshold
    assert gc.get_count()[0] > collector.threshold[0]
    collector.collect()
    assert len(seen) == n


def test_the_first_collection_waits_for_a_paint(qtbot) -> None:
    """The first, full collection (30-50 ms) must not delay the window's first paint: its
    first tick comes as the event loop starts, before that paint; it collects at the first
    tick after a widget has painted."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QLabel

    from rsiviz.gui.gc_guard import GuiThreadCollector

    owner = QObject()
    collector = GuiThreadCollector(owner)
    collector.timer.stop()  # its ticks are called here, in order
    try:
        collector.collect()  # the first tick: nothing has painted since
        collector.collect()
        assert not collector.frozen
        label = QLabel("painted")
        qtbot.addWidget(label)
        label.show()
        qtbot.waitUntil(lambda: collector.painted, timeout=5000)
        assert not collector.frozen
        collector.collect()
        assert collector.frozen
    finally:
        owner.deleteLater()


def test_the_first_collection_comes_without_a_paint(qtbot) -> None:
    """With no widget painting (a headless test, a window never shown) the collection still
    comes, FIRST_WAIT_TICKS ticks after the first."""
    from PySide6.QtCore import QObject

    from rsiviz.gui.gc_guard import FIRST_WAIT_TICKS, GuiThreadCollector

    owner = QObject()
    collector = GuiThreadCollector(owner)
    collector.timer.stop()
    try:
        for _ in range(FIRST_WAIT_TICKS):
            collector.collect()
        assert not collector.frozen and not collector.painted
        collector.collect()
        assert collector.frozen
    finally:
        owner.deleteLater()
