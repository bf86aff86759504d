"""Python's cyclic garbage collection runs on the GUI thread only.

Python collects cycles in whichever thread happens to allocate when a generation fills up.
If that is a worker thread (the video encoder, a job waiting on its child process) and the
cycle holds a Qt object, PySide destroys the ``QObject`` on that thread: its destructor
takes Qt's lock, then waits for the GIL, while the GUI thread, holding the GIL, waits for
that lock to delete a widget. The test suite hung that way in ``test_export.py`` (both
threads' native stacks in the closing note of this change). pyqtgraph documents the same
hazard (``pyqtgraph.util.garbage_collector``).

:func:`collect_on_gui_thread` turns automatic collection off and collects on a timer of
the GUI thread instead, generation by generation, when each generation's count passes the
threshold Python itself would have used.

Once the window has painted, the collector collects everything once and then freezes what
survives (``gc.freeze``), the ~70,000 objects of Qt's wrappers, the modules and the window,
which live as long as the app. Later collections then skip them. Without this, the first
collection of the older generation came a few seconds into the first run, as a single
15-20 ms pause (a dropped frame at 60 Hz).

That first collection takes 30-50 ms. Its first tick comes once the event loop runs, after
the window is built but usually before the window's first paint: there it would delay the
first sight of the window by as much. So the first tick only starts watching for a paint,
and the collection comes at the tick after one (or after FIRST_WAIT_TICKS ticks when no
widget paints, as in a test that shows none).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

INTERVAL_MS = 500  # cycles wait at most this long for their collection
# Ticks the first collection waits for a widget's paint at most (then it collects anyway).
FIRST_WAIT_TICKS = 4


class GuiThreadCollector(QObject):
    """A timer on the GUI thread that does what Python's automatic collection would."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.frozen = False
        self.painted = False  # a widget has painted since the first tick
        self.waited = 0  # ticks spent waiting for that paint
        gc.disable()
        self.timer.start()

    def collect(self) -> None:
        """Collect the generations whose counts passed their thresholds (youngest first);
        the first time, everything, then freeze the survivors (not before a widget has
        painted: module docstring)."""
        if not self.frozen:
            if self.waited == 0:
                # only now: an application-wide filter sees every event, and the window's
                # construction (before the event loop runs) sends thousands
                QCoreApplication.instance().installEventFilter(self)
            self.waited += 1
            if not self.painted and self.waited <= FIRST_WAIT_TICKS:
                return
            QCoreApplication.instance().removeEventFilter(self)
            self.frozen = True
            gc.collect()
            gc.freeze()
            return
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self.threshold[generation]:
                break
            gc.collect(generation)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Note a widget's paint (the filter is on the application until the first
        collection)."""
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def collect_on_gui_thread() -> GuiThreadCollector:
    """Install the collector on the application (once; returns the one installed)."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
