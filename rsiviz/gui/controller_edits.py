"""The controller's edits: development pauses, scenario files, undo/redo and link cuts.

:class:`rsiviz.gui.controller.Controller` is made of these mixins and its own playback,
parameters and frames; they share its state (``scenario``, ``sim``, ``view_state``, the
live development pauses) and are split out only to keep each file readable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rsiviz.core.interventions import DevelopmentPause, LinkCut
from rsiviz.core.params import ParameterError
from rsiviz.core.pauses import ACTIVE
from rsiviz.core.scenario import Scenario, ScenarioError, load_preset, load_scenario, save_scenario
from rsiviz.core.viewstate import Run

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class EditState:
    """What undo restores: the scenario and the development pauses pressed live."""

    scenario: Scenario
    live_pauses: tuple[DevelopmentPause, ...]


class PausesMixin:
    """Development pauses: start one now, end the one in force, schedule, replay."""

    def start_development_pause(
        self,
        months: float = 24.0,
        release: str | None = None,
        compliance: tuple[str, ...] | None = None,
        until_oversight: bool = False,
    ) -> bool:
        """Start a coordinated development pause at the month on screen.

        The run without it is kept as the counterfactual. When the view is scrubbed back,
        the pause starts at the month shown: the run goes back there (the model is
        deterministic) and the months after it, with any development pause pressed in
        them, are dropped.
        """
        with self._undoable():
            return self._start_development_pause(months, release, compliance, until_oversight)

    def _start_development_pause(
        self,
        months: float,
        release: str | None,
        compliance: tuple[str, ...] | None,
        until_oversight: bool,
    ) -> bool:
        branched = self.view_month < self.sim.month
        if branched:
            self._branch_at(self.view_month)
        if self.sim.done:
            self.message.emit(
                "info",
                "The run has ended: press Reset (R) to start again, "
                "then start the development pause.",
            )
            return False
        try:
            pause = DevelopmentPause.at(
                self.sim.time,
                months=months,
                release=release,
                compliance=compliance,
                until_oversight=until_oversight,
                max_months=max(months, 1.0),
            )
        except ParameterError as exc:
            self.message.emit("error", f"Development pause not started: {exc}")
            return False
        if self.counterfactual is None:
            self._set_counterfactual(self.sim.fork())  # before schedule(): the run without it
        self.sim.schedule(pause)
        self._live_pauses.append(pause)
        self._show_live()
        self.view_month = self.sim.month
        note = " The later months were dropped: the run goes on from here." if branched else ""
        self.message.emit("info", f"Development pause started in {self.sim.time:.1f}.{note}")
        self.emit_snapshot()
        self._settle()
        return True

    def end_development_pause_now(self) -> bool:
        """End the development pauses in force at the month on screen, now.

        Each becomes a dated development pause from when it started until now, released as
        it says (instant, gradual or no catch-up); the months before are unchanged (the model
        is deterministic) and later months are dropped, as when one is started while
        scrubbed back.
        """
        with self._undoable():
            return self._end_development_pause_now()

    def _end_development_pause_now(self) -> bool:
        if self.view_month < self.sim.month:
            self._branch_at(self.view_month)
        book, now = self.sim.book, self.sim.time
        ended: dict[DevelopmentPause, DevelopmentPause] = {}
        for pause, status, started in zip(book.pauses, book.status, book.started, strict=True):
            if int(status[0]) == ACTIVE:
                start = float(started[0])
                months = round(max(0.0, (now - start) * 12.0), 6)
                ended[pause] = dataclasses.replace(
                    pause, trigger="date", start=start, months=months, until_oversight=False
                )
        if not ended:
            self.message.emit("info", "No development pause is in force at this month.")
            return False
        self._live_pauses = [ended.get(p, p) for p in self._live_pauses]
        pauses = tuple(ended.get(p, p) for p in self.scenario.pauses)
        self.scenario = dataclasses.replace(self.scenario, pauses=pauses)
        self.stop()
        self._rebuild(self.sim.month)
        self.message.emit("info", f"Development pause ended in {now:.1f}.")
        self.emit_snapshot()
        self._settle()
        return True

    def _branch_at(self, month: int) -> None:
        """Take the run back to ``month``, dropping live development pauses pressed later."""
        self.stop()
        when = self.sim.k.t0 + month / 12.0
        self._live_pauses = [p for p in self._live_pauses if p.start <= when + 1e-9]
        self._rebuild(month)

    def replay(self, live_pauses: tuple[DevelopmentPause, ...], month: int) -> None:
        """Re-run from the start with these live development pauses, up to ``month``.

        Stories use this to rebuild a beat exactly: the model is deterministic.
        """
        self.stop()
        self._live_pauses = list(live_pauses)
        self.view_state.remove_run("previous")
        self._rebuild(month)
        self.emit_snapshot()

    def add_scheduled_pause(self, pause: DevelopmentPause) -> None:
        """Add a dated or conditional development pause to the scenario and re-run."""
        with self._undoable():
            self._set_scenario(
                dataclasses.replace(self.scenario, pauses=self.scenario.pauses + (pause,))
            )

    def clear_scheduled_pauses(self) -> None:
        with self._undoable():
            self._live_pauses.clear()
            self._set_scenario(dataclasses.replace(self.scenario, pauses=()))

    def _set_scenario(self, scenario: Scenario) -> None:
        """Re-run with a changed scenario: from the start if nothing has run yet."""
        self.scenario = scenario
        if self.sim.month == 0:
            self._restart()
        else:
            self._rerun()
        self._settle()


class ScenarioFilesMixin:
    """Scenarios: load a preset or a file, save one."""

    def load(self, scenario: Scenario) -> None:
        """Start a new scenario from its first month (no previous run)."""
        self.stop()
        with self._undoable():
            self.scenario = scenario
            self._live_pauses.clear()
        self._pending.clear()
        self.view_state.remove_run("previous")
        self._drop_cuts()
        self._restart()
        self.scenario_changed.emit(scenario)
        self._settle()

    def load_preset(self, name: str) -> bool:
        return self._load_with(load_preset, name)

    def load_file(self, path: str) -> bool:
        """Load a scenario file; a broken one is reported and the current run kept."""
        return self._load_with(load_scenario, path)

    def _load_with(self, loader: Any, what: str) -> bool:
        try:
            scenario = loader(what)
        except ScenarioError as exc:
            self.message.emit("error", f"Could not open the scenario: {exc}")
            return False
        self.load(scenario)
        self.message.emit("info", f"Loaded scenario: {scenario.name}")
        return True

    def save_file(self, path: str) -> bool:
        try:
            save_scenario(self.current_scenario(), path)
        except (OSError, ScenarioError) as exc:
            self.message.emit("error", f"Could not save the scenario: {exc}")
            return False
        self.message.emit("info", f"Saved scenario to {path}")
        return True


class UndoMixin:
    """Undo and redo of parameter and development-pause edits (rsiviz.core.undo)."""

    def edit_state(self) -> EditState:
        return EditState(self.scenario, tuple(self._live_pauses))

    @contextmanager
    def _undoable(self, group: str | None = None) -> Iterator[None]:
        """Record the state before the edit inside, if the edit changed it."""
        before = self.edit_state()
        yield
        if self.edit_state() != before:
            self.undo_stack.push(before, group)
            self.undo_changed.emit()

    def seal_undo(self) -> None:
        """The next edit starts a new undo step (a click, not part of a drag)."""
        self.undo_stack.seal()

    def undo(self) -> bool:
        return self._restore(self.undo_stack.undo(self.edit_state()), "Undone")

    def redo(self) -> bool:
        return self._restore(self.undo_stack.redo(self.edit_state()), "Redone")

    def _restore(self, state: EditState | None, verb: str) -> bool:
        """Re-run ``state``: like a parameter edit (the whole future, in the background when
        slow) when its parameters differ, else up to the month reached now."""
        self.undo_changed.emit()
        if state is None:
            return False
        self.stop()
        self._pending.clear()
        self._rerun_timer.stop()
        params_differ = state.scenario.params != self.scenario.params
        month = self.sim.month
        self.message.emit("info", f"{verb}: the run is re-run with the restored settings.")
        self.scenario, self._live_pauses = state.scenario, list(state.live_pauses)
        if params_differ:
            self._rerun()  # the run it replaces stays on screen as the previous run
        else:
            self._rebuild(month)
            self.emit_snapshot()
        self.scenario_changed.emit(self.scenario)
        self.params_changed.emit(self.scenario.params)
        self._settle()
        return True


class CutsMixin:
    """Link cuts (the loop view): each one a ghost run with role "cut"."""

    def cut_link(self, name: str) -> bool:
        """Cut link ``name`` from the month on screen; the run without it becomes a ghost."""
        if any(c.name == name for c in self.scenario.cuts):
            self.message.emit("info", f"The link {name} is already cut in this scenario.")
            return False
        start = None if self.view_month == 0 else float(self.sim.history.years[self.view_month])
        try:
            self._cuts[name] = LinkCut(name, start)
        except ParameterError as exc:
            self.message.emit("error", f"Link not cut: {exc}")
            return False
        self._show_cuts()
        when = "from the start" if start is None else f"from {start:.1f}"
        self.message.emit("info", f"Link {name} cut {when}: the run without it is the ghost.")
        return True

    def add_cuts(self, cuts: Sequence[LinkCut]) -> None:
        """Cut these links (each from its own start) and draw each run without it as a ghost."""
        for cut in cuts:
            self._cuts[cut.name] = cut
        self._show_cuts()

    def remove_cut(self, name: str) -> None:
        """Remove the cut of link ``name`` and its ghost run."""
        self._cuts.pop(name, None)
        self.runner.cancel(f"cut:{name}")
        self.view_state.remove_run(f"cut:{name}")

    def _drop_cuts(self) -> None:
        for name in list(self._cuts):
            self.remove_cut(name)

    def _show_cuts(self) -> None:
        """(Re-)run each cut link's ghost in the background: the live scenario, development
        pauses and all, with that one link cut (a full run, whenever the live run is rebuilt;
        a newer request for the same link supersedes an older one)."""
        live = self.current_scenario()
        for name, cut in self._cuts.items():
            scenario = live.with_cut(cut)
            if not self.cuts_in_background:  # an export: the ghost is there at once
                self._set_cut_run(cut, scenario, scenario.simulation().run())
                continue
            self.runner.submit(
                f"cut:{name}",
                lambda _progress, sc=scenario: sc.simulation().run(),
                lambda history, sc=scenario, c=cut: self._set_cut_run(c, sc, history),
                lambda text, n=name: self._on_cut_failed(n, text),
            )

    def _set_cut_run(self, cut: LinkCut, scenario: Scenario, history: Any) -> None:
        if self._cuts.get(cut.name) != cut:
            return  # removed (or cut anew) while it ran
        when = "" if cut.start is None else f" from {cut.start:.1f}"
        label = f"Link {cut.name} cut{when}"
        self.view_state.set_run(Run(f"cut:{cut.name}", "cut", label, history, scenario))

    def _on_cut_failed(self, name: str, text: str) -> None:
        # e.g. the run got shorter than the cut's start
        self.remove_cut(name)
        self.message.emit("error", f"Link cut removed: {text}")
