"""Background recomputation of a view when the live scenario settles.

A view hands :class:`Recompute` itself: its ``make_work`` turns the scenario into work for
the job runner (``ctx.jobs``, key = the view's key). The controller's ``settled`` signal says
an edit is finished (a dragged slider has been released; a preset, a development pause or
a parameter typed in has been applied): the work is submitted at once, so
``jobs.wait_idle`` covers it and the runner cancels the job it supersedes. A result
computed for an older request is never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QProgressBar

from rsiviz.core.scenario import Scenario

Work = Callable[[Any], Any]  # fn(progress) -> result, run off the GUI thread


class Recompute(QObject):
    """Recompute ``view`` in the background whenever the live scenario settles changed.

    The view provides ``ctx``, ``KEY`` (the job key), ``TITLE``, a ``status`` label,
    ``make_work(scenario) -> fn(progress)`` (on the GUI thread; it may raise ValueError for
    inconsistent inputs) and ``show_result(result)``, called only for the newest request.
    :attr:`bar` shows the progress of the view's job. ``active()`` says whether the result
    is wanted now: a hidden view spends no CPU on a settled change and recomputes when it
    is shown again. A view whose work goes through ``jobs.compute`` (a child process) sets
    ``OFFLOADED = True``: its job then starts without waiting for the GUI thread's turns.
    """

    def __init__(
        self,
        view: Any,
        active: Callable[[], bool] | None = None,
        bar: QProgressBar | None = None,
    ) -> None:
        super().__init__(view)
        self.view, self.ctx, self.key = view, view.ctx, view.KEY
        self._active = active or view.isVisible
        self._serial = 0
        self._requested: Scenario | None = None
        self.bar = QProgressBar() if bar is None else bar
        self.bar.setRange(0, 1000)
        self.bar.setFormat(f"{view.TITLE}: %p%")
        self.bar.hide()
        self.ctx.controller.settled.connect(self._on_controller_settled)
        self.ctx.jobs.progress.connect(self._on_jobs_progress)
        self.ctx.jobs.finished.connect(self._on_jobs_finished)
        view.installEventFilter(self)

    @property
    def running(self) -> bool:
        return bool(self.ctx.jobs.busy(self.key))

    def request(self, force: bool = False) -> None:
        """Recompute if the live scenario differs from the last request (or ``force``)."""
        scenario = self.ctx.controller.current_scenario()
        if scenario == self._requested and not force:
            return
        try:
            work = self.view.make_work(scenario)
        except ValueError as exc:  # ParameterError: the view's own inputs are inconsistent
            self.cancel()  # a job still running was asked for older inputs: drop it too
            self._report(str(exc))
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
            gated=not getattr(self.view, "OFFLOADED", False),
        )

    def cancel(self) -> None:
        self._serial += 1
        self._requested = None
        self.ctx.jobs.cancel(self.key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() == QEvent.Type.Show:
            self.request()  # the scenario may have changed while the view was hidden
        return False

    def _report(self, message: str) -> None:
        """One line in the view and in the window's banner (never a traceback)."""
        self.view.status.setText(f"Not recomputed: {message}")
        self.ctx.show_message("error", f"{self.view.TITLE} not recomputed: {message}")

    # -- handlers -----------------------------------------------------------------------
    def _on_controller_settled(self, _scenario: object) -> None:
        if self._active():  # else the view asks again when it is shown (request())
            self.request()

    def _deliver(self, serial: int, result: Any) -> None:
        if serial == self._serial:  # the job runner drops superseded jobs; belt and braces
            self.view.show_result(result)

    def _fail(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._requested = None  # the same scenario may be tried again
            self._report(message)

    def _on_jobs_progress(self, key: str, done: int, total: int) -> None:
        if key == self.key and total > 0:
            self.bar.setValue(round(1000 * done / total))

    def _on_jobs_finished(self, key: str) -> None:
        if key == self.key and not self.ctx.jobs.busy(key):
            self.bar.hide()
