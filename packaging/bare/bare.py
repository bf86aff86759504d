"""The budget floor: a bare pyqtgraph window, frozen with the same pruning as rsiviz.

bench/bench_bundle.py compares the rsiviz bundle against this one. Run it as

    bare --time-to-first-paint FILE

to write the wall-clock time of the window's first paint to FILE and quit
(the same probe as rsiviz.gui.selftest.time_to_first_paint); with no
arguments it just shows the window.
"""

import json
import sys
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class FirstPaint(QObject):
    def __init__(self, window, out_path):
        super().__init__()
        self.window, self.out_path = window, out_path

    def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
        # the first paint of the window or of any widget in it (a central
        # widget that fills the window hides the window's own paintEvent)
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window() is self.window
        ):
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        text = json.dumps({"paint_time": time.time(), "since_start": None})
        with open(self.out_path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        QApplication.instance().quit()


def main(argv):
    app = QApplication(argv[:1])
    window = QMainWindow()
    plot = pg.PlotWidget(title="bare pyqtgraph")
    x = np.linspace(0, 10, 500)
    plot.plot(x, np.exp(0.3 * x), pen=pg.mkPen("#0072B2", width=2))
    window.setCentralWidget(plot)
    window.resize(1280, 800)
    probe = None
    if "--time-to-first-paint" in argv:
        probe = FirstPaint(window, argv[argv.index("--time-to-first-paint") + 1])
        app.installEventFilter(probe)
        QTimer.singleShot(30_000, app.quit)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
