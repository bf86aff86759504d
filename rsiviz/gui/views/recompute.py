"""Background recomputation of a view when the live scenario settles.

A view hands :class:`Recompute` a function that turns the scenario into work for the
job runner (``ctx.jobs``, key = the view's key). The controller's ``settled`` signal says
an edit is finished (a dragged slider has been released; a preset, a development pause or
a parameter typed in has been applied): the work is submitted at once, so
``jobs.wait_idle`` covers it and the runner cancels the job it supersedes. A result
computed for an older request is never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressBar

from rsiviz.core.scenario import Scenario

Work = Callable[[Any], Any]  # fn(progress) -> result, run off the GUI thread


class Recompute(QObject):
    """Submit ``make_work(scenario)`` as job ``key`` whenever the scenario settles changed.

    ``on_result(result)`` and ``on_error(message)`` run on the GUI thread, only for the
    newest request. :attr:`bar` shows the progress of this key's job while it runs.
    ``active()`` says whether the result is wanted now: a hidden view spends no CPU on a
    settled change and calls :meth:`request` when it is shown again.
    """

    def __init__(
        self,
        ctx: Any,
        key: str,
        make_work: Callable[[Scenario], Work],
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
        parent: QObject | None = None,
        active: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.key, self._active = ctx, key, active
        self._make_work, self._on_result, self._on_error = make_work, on_result, on_error
        self._serial = 0
        self._requested: Scenario | None = None
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFormat(f"{key}: %p%")
        self.bar.hide()
        ctx.controller.settled.connect(self._on_controller_settled)
        ctx.jobs.progress.connect(self._on_jobs_progress)
        ctx.jobs.finished.connect(self._on_jobs_finished)

    @property
    def running(self) -> bool:
        return bool(self.ctx.jobs.busy(self.key))

    def request(self, force: bool = False) -> None:
        """Recompute if the live scenario differs from the last request (or ``force``)."""
        scenario = self.ctx.controller.current_scenario()
        if scenario == self._requested and not force:
            return
        try:
            work = self._make_work(scenario)
        except ValueError as exc:  # ParameterError: the view's own inputs are inconsistent
            self.cancel()  # a job still running was asked for older inputs: drop it too
            self._on_error(str(exc))
            return
        self._requested = scenario
        self._serial += 1
        serial = self._serial
        self.bar.setValue(0)
        self.bar.show()
        self.ctx.jobs.submit(
            self.key,
            work,
            lambda result: self._deliver(serial, result),
            lambda message: self._fail(serial, message),
        )

    def cancel(self) -> None:
        self._serial += 1
        self._requested = None
        self.ctx.jobs.cancel(self.key)

    # -- handlers -----------------------------------------------------------------------
    def _on_controller_settled(self, _scenario: object) -> None:
        if self._active():  # else the view asks again when it is shown (request())
            self.request()

    def _deliver(self, serial: int, result: Any) -> None:
        if serial == self._serial:  # the job runner drops superseded jobs; belt and braces
            self._on_result(result)

    def _fail(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._requested = None  # the same scenario may be tried again
            self._on_error(message)

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key == self.key and total > 0:
            self.bar.setValue(round(1000 * done / total))

    def _on_jobs_finished(self, key: str) -> None:
        if key == self.key and not self.ctx.jobs.busy(key):
            self.bar.hide()
