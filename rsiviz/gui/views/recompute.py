"""Background recomputation of a view when the live scenario changes.

A view hands :class:`Recompute` a function that turns the scenario into work for the
job runner (``ctx.jobs``, key = the view's key). A change is submitted at once, so
``jobs.wait_idle`` covers it (the runner cancels the job it supersedes), except while a
mouse button is held: a slider being dragged re-runs the live curve, not the ensemble, and
the work starts when it is released (checked every :data:`SETTLE_MS`). A result computed
for an older request is never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressBar

from rsiviz.core.scenario import Scenario

SETTLE_MS = 120
Work = Callable[[Any], Any]  # fn(progress) -> result, run off the GUI thread


class Recompute(QObject):
    """Submit ``make_work(scenario)`` as job ``key`` whenever the scenario changes.

    ``on_result(result)`` and ``on_error(message)`` run on the GUI thread, only for the
    newest request. :attr:`bar` shows the progress of the running job.
    """

    def __init__(
        self,
        ctx: Any,
        key: str,
        make_work: Callable[[Scenario], Work],
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.key = ctx, key
        self._make_work, self._on_result, self._on_error = make_work, on_result, on_error
        self._serial = 0
        self._requested: Scenario | None = None
        self.running = False
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._submit_if_changed)
        ctl = ctx.controller
        ctl.params_changed.connect(self._on_scenario_event)
        ctl.scenario_changed.connect(self._on_scenario_event)
        ctx.view_state.events.runs.connect(self._on_scenario_event)
        ctx.jobs.progress.connect(self._on_jobs_progress)

    def request(self, force: bool = False) -> None:
        """Recompute if the scenario differs from the last request (or ``force``)."""
        if force:
            self._requested = None
        self._submit_if_changed()

    def cancel(self) -> None:
        self._timer.stop()
        self.ctx.jobs.cancel(self.key)
        self._serial += 1
        self._finish()

    # -- internals ----------------------------------------------------------------------
    def _on_scenario_event(self, *_: object) -> None:
        self.request()

    def _submit_if_changed(self) -> None:
        scenario = self.ctx.controller.current_scenario()
        if scenario == self._requested:
            return
        if QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._timer.start()  # still dragging: wait for the release
            return
        try:
            work = self._make_work(scenario)
        except ValueError as exc:  # ParameterError: the view's inputs are inconsistent
            self.cancel()  # a job still running was asked for older inputs: drop it too
            self._on_error(str(exc))
            return
        self._requested = scenario
        self._serial += 1
        serial = self._serial
        self.running = True
        self.bar.setValue(0)
        self.bar.show()
        self.ctx.jobs.submit(
            self.key,
            work,
            lambda result: self._deliver(serial, result),
            lambda message: self._fail(serial, message),
        )

    def _deliver(self, serial: int, result: Any) -> None:
        if serial == self._serial:  # the job runner drops superseded jobs; belt and braces
            self._finish()
            self._on_result(result)

    def _fail(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._finish()
            self._requested = None  # the same scenario may be tried again
            self._on_error(message)

    def _finish(self) -> None:
        self.running = False
        self.bar.hide()

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key == self.key and total > 0:
            self.bar.setValue(round(1000 * done / total))
