"""The controller: owns the simulation, its counterfactual and the previous run, and behaviour.

Widgets emit intent signals; the controller acts and writes what is to be shown into its
:class:`~rsiviz.core.viewstate.ViewState` (the live, counterfactual and previous runs, and a
:class:`~rsiviz.core.viewstate.Snapshot` per frame); views subscribe to that state.
Playback speed is in simulated months per second of wall time and never depends on the
frame rate: each timer tick converts the wall time that really passed into months.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from rsiviz.core.interventions import DevelopmentPause, LinkCut
from rsiviz.core.params import SPEC_BY_NAME, ParameterError, Params
from rsiviz.core.scenario import (
    Scenario,
)
from rsiviz.core.simulation import Simulation
from rsiviz.core.undo import UndoStack
from rsiviz.core.viewstate import Run, Snapshot, ViewState
from rsiviz.gui.controller_edits import (
    CutsMixin,
    EditState,
    PausesMixin,
    ScenarioFilesMixin,
    UndoMixin,
)
from rsiviz.gui.jobs import Jobs
from rsiviz.gui.rerun import Rerun
from rsiviz.gui.units import clock_angles

FRAME_MS = 16  # ~60 Hz; the simulated pace comes from elapsed wall time, not this
DEFAULT_SPEED = 6.0  # simulated months per second
SPEED_RANGE = (0.5, 120.0)
MAX_FRAME_SECONDS = 0.25  # a stalled event loop must not make the run jump ahead
# Share of the software ceiling beyond which the readout says progress slows near its limit
# (returns to research r (1 - s / s_max) have fallen by this share).
NEAR_LIMIT_SHARE = 0.5


class Controller(PausesMixin, ScenarioFilesMixin, UndoMixin, CutsMixin, QObject):
    """Playback, development pauses, parameters and scenarios."""

    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    scenario_changed = Signal(object)  # Scenario
    params_changed = Signal(object)  # Params, after a re-run with new values
    # The live scenario after an edit is finished (not while a slider is dragged): views
    # that recompute something slow (fans, sweeps, sensitivity) listen to this.
    settled = Signal(object)  # Scenario
    message = Signal(str, str)  # level ("info" | "error" | "progress": "" ends it), text
    undo_changed = Signal()  # can_undo / can_redo may have changed

    def __init__(self, scenario: Scenario | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario or Scenario(name="Default")
        self.speed = DEFAULT_SPEED
        self._carry = 0.0
        self._live_pauses: list[DevelopmentPause] = []
        self._pending: dict[str, Any] = {}
        self._dragging = False
        self._cuts: dict[str, LinkCut] = {}  # links cut from the loop view (ghost runs)
        self.cuts_in_background = True  # False (exports): ghost runs computed at once
        self.view_state = ViewState()
        self.counterfactual: Simulation | None = None
        self.sim = self._new_simulation()
        self._show_live()
        self.view_month = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._wall = QElapsedTimer()
        self._rerun_timer = QTimer(self)
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(0)
        self._rerun_timer.timeout.connect(self._on_rerun_timer_timeout)
        # re-runs too slow for the GUI thread, computed in one child process (started at
        # the first; most re-runs never need it)
        self.runner = Jobs(self, children=1)
        self.undo_stack: UndoStack[EditState] = UndoStack()
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(0)
        self._frame_timer.timeout.connect(self._on_frame_timer_timeout)
        self.view_state.events.runs.connect(self._on_view_state_changed)
        self.view_state.events.bands.connect(self._on_view_state_changed)

    # -- state ----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def live_pauses(self) -> tuple[DevelopmentPause, ...]:
        return tuple(self._live_pauses)

    def current_scenario(self) -> Scenario:
        """The scenario that reproduces this run, development pauses pressed live included."""
        return dataclasses.replace(
            self.scenario, pauses=self.scenario.pauses + tuple(self._live_pauses)
        )

    def _new_simulation(self, live: bool = True) -> Simulation:
        extra = tuple(self._live_pauses) if live else ()
        sc = self.scenario
        return Simulation(sc.params, sc.labs, sc.pauses + extra, cuts=sc.cuts)

    # -- playback -------------------------------------------------------------------------
    def play(self) -> None:
        if self.playing:
            return
        if self.sim.done:
            self._restart()
        self.view_month = self.sim.month
        self._carry = 0.0
        self._wall.start()
        self._timer.start()
        self.playing_changed.emit(True)
        self.emit_snapshot()

    def stop(self) -> None:
        if not self.playing:
            return
        self._timer.stop()
        self.playing_changed.emit(False)
        self.emit_snapshot()

    def toggle_play(self) -> None:
        self.stop() if self.playing else self.play()

    def step(self) -> None:
        """One simulated month (stops playback first)."""
        self.stop()
        self.advance(1)

    def reset(self) -> None:
        """Back to the start of the scenario; drops live development pauses and the previous run."""
        self.stop()
        with self._undoable():
            self._live_pauses.clear()
        self.view_state.remove_run("previous")
        self._drop_cuts()
        self._restart()
        self._settle()

    def _restart(self) -> None:
        self._rebuild(0)
        self.emit_snapshot()

    def _rebuild(self, month: int) -> None:
        """The run (and its counterfactual) from the start up to ``month``, viewed there.

        The model is deterministic, so this is the same run as the one it replaces.
        """
        self.runner.cancel("rerun")  # a re-run still computing is superseded by this
        self.sim = self._new_simulation()
        self.sim.step(max(0, min(month, self.sim.n_months)))
        counterfactual = None
        if self._live_pauses:
            counterfactual = self._new_simulation(live=False)
            counterfactual.step(self.sim.month)
        self._set_counterfactual(counterfactual)
        self._show_live()
        self.view_month = self.sim.month
        self._carry = 0.0

    def _show_live(self) -> None:
        self.view_state.set_run(
            Run("live", "live", self.scenario.name, self.sim.history, self.current_scenario())
        )
        self._show_cuts()

    def _set_counterfactual(self, sim: Simulation | None) -> None:
        """Keep ``sim`` (stepped beside the live run) as the run without live pauses."""
        self.counterfactual = sim
        if sim is None:
            self.view_state.remove_run("counterfactual")
            return
        scenario = dataclasses.replace(self.scenario, name=f"{self.scenario.name} (without)")
        label = "Without the development pause"
        self.view_state.set_run(
            Run("counterfactual", "counterfactual", label, sim.history, scenario)
        )

    def set_speed(self, months_per_second: float) -> None:
        low, high = SPEED_RANGE
        self.speed = float(min(high, max(low, months_per_second)))
        self.speed_changed.emit(self.speed)

    def tick(self, elapsed_seconds: float) -> int:
        """Advance by the simulated months that ``elapsed_seconds`` of wall time are worth.

        Fractions of a month carry over to the next tick. Returns the months advanced.
        """
        months = self._carry + min(max(elapsed_seconds, 0.0), MAX_FRAME_SECONDS) * self.speed
        whole = int(months)
        self._carry = months - whole
        if whole:
            self.advance(whole)
        return whole

    def advance(self, months: int) -> None:
        """Advance the run (and its counterfactual) ``months`` months and show the result."""
        self.sim.step(months)
        if self.counterfactual is not None:
            self.counterfactual.step(self.sim.month - self.counterfactual.month)
        self.view_month = self.sim.month
        if self.sim.done:
            self.stop()
        self.emit_snapshot()

    def run_until(self, year: float) -> None:
        """Advance month by month until calendar ``year`` (screenshots, tests)."""
        target = round((year - self.sim.time) * 12)
        if target > 0:
            self.advance(min(target, self.sim.n_months - self.sim.month))

    def scrub(self, month: int) -> None:
        """Look back at month ``month`` of what has run (stops playback)."""
        self.stop()
        self.view_month = int(min(max(month, 0), self.sim.month))
        self.emit_snapshot()

    def _on_timer_timeout(self) -> None:
        elapsed = self._wall.restart() / 1000.0
        self.tick(elapsed)

    # -- parameters -----------------------------------------------------------------------
    def set_param(self, name: str, value: float | str) -> None:
        """Queue a parameter change; all changes in one event-loop turn re-run once."""
        self._pending[name] = value
        self._rerun_timer.start()

    def reset_param(self, name: str) -> None:
        self.set_param(name, SPEC_BY_NAME[name].default)

    def reset_all_params(self) -> None:
        self._pending.clear()
        self._rerun_timer.stop()
        with self._undoable():
            self._apply_params(Params())

    def flush(self) -> None:
        """Apply queued parameter changes now (the 0-ms timer calls this)."""
        self._rerun_timer.stop()
        if not self._pending:
            return
        changes, self._pending = self._pending, {}
        try:
            params = self.scenario.params.replace(**changes)
        except ParameterError as exc:
            self.message.emit("error", f"Parameter not changed: {exc}")
            self.scenario_changed.emit(self.scenario)  # put the controls back
            return
        # One undo step per slider drag: edits of the same parameters coalesce until the
        # slider is released (set_dragging) or a second passes.
        with self._undoable(group="params:" + ",".join(sorted(changes))):
            self._apply_params(params)

    def _on_rerun_timer_timeout(self) -> None:
        self.flush()

    def set_dragging(self, dragging: bool) -> None:
        """A slider is held (True) or released (False): release settles the edit."""
        self._dragging = dragging
        if not dragging:
            self.undo_stack.seal()  # the next drag is a new undo step
            self.flush()
            self._settle()

    def _settle(self) -> None:
        if not self._dragging:
            self.settled.emit(self.current_scenario())

    def _apply_params(self, params: Params) -> None:
        if params == self.scenario.params:
            return
        self.scenario = dataclasses.replace(self.scenario, params=params)
        self._rerun()
        self.params_changed.emit(params)
        self._settle()

    def _rerun(self) -> None:
        """Re-run the whole future; the previous run stays on screen beside it.

        Within a few tens of milliseconds this finishes here; a slow corner goes on in the
        background (see :mod:`rsiviz.gui.rerun`) and the window stays responsive.
        The new frame is drawn at the next event-loop turn: re-running, drawing and
        painting are three turns, not one stall (40-75 ms on the CI machine as one;
        bench_fan.py (b)), and an edit's ``settled`` (which starts background views, a
        fan in two child processes) comes before the drawing.
        """
        self.stop()
        counterfactual = self._new_simulation(live=False) if self._live_pauses else None
        rerun = Rerun(self._new_simulation(), counterfactual, self.sim.fork())
        if rerun.advance():
            self.runner.cancel("rerun")
            self._finish_rerun(rerun)
            return
        self.message.emit("progress", "Re-running the model with the new values...")
        self.runner.submit(
            "rerun",
            lambda p: self.runner.compute(Rerun.finish, (rerun,), p),
            lambda done: self._finish_rerun(done, background=True),
            self._on_rerun_failed,
            gated=False,
        )

    @property
    def rerunning(self) -> bool:
        """A re-run is still computing in the background."""
        return self.runner.busy("rerun")

    def _finish_rerun(self, rerun: Rerun, background: bool = False) -> None:
        """Show the finished re-run; its frame is drawn at the next event-loop turn, so
        finishing the re-run, drawing it and painting it are three turns, not one long
        stall. ``background``: it finished in a child process (its progress note goes)."""
        live = self.view_state.runs["live"]
        previous = rerun.previous.history
        self.view_state.set_run(
            Run("previous", "previous", "Previous run", previous, live.scenario)
        )
        self.sim = rerun.live
        self._set_counterfactual(rerun.counterfactual)
        self._show_live()
        self.view_month = self.sim.month
        self._carry = 0.0
        if background:
            self.message.emit("progress", "")  # done: the note goes
        self._frame_timer.start()

    def _on_rerun_failed(self, message: str) -> None:
        self.message.emit("error", f"The model could not be re-run: {message}")

    # -- snapshots ------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        h = self.sim.history
        m = self.view_month
        doubling = h.doubling_time_months()[: m + 1, 0]
        return Snapshot(
            history=h,
            view_month=m,
            live_month=self.sim.month,
            n_months=self.sim.n_months,
            year=float(h.years[m]),
            runs=tuple(self.view_state.shown_runs()),
            lab_names=tuple(lab.name for lab in self.sim.labs),
            playing=self.playing,
            clock_angle=float(clock_angles(doubling)[-1]),
            doubling_months=float(doubling[-1]),
            multiplier=float(h.progress_multiplier()[m, 0]),
            paused=bool(np.any(h.paused[m, 0])),
            params=self.scenario.params,
            near_software_limit=bool(
                h.s[m, 0, h.frontier_index()[m, 0]]
                >= NEAR_LIMIT_SHARE * self.scenario.params.software_ceiling
            ),
            bands=self.view_state.shown_bands(),
            ended=self.sim.done,
        )

    def emit_snapshot(self) -> None:
        """Publish the frame on screen to every view (through the view state)."""
        self._frame_timer.stop()
        self.view_state.set_frame(self.snapshot())

    def _on_view_state_changed(self, _key: str) -> None:
        # Runs and bands that other features add or hide show at the next event-loop turn;
        # several changes in one turn draw one frame.
        self._frame_timer.start()

    def _on_frame_timer_timeout(self) -> None:
        self.emit_snapshot()
