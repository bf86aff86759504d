"""Stepping through a story: beats forward (animated) and back (replayed exactly).

Going back to beat ``k`` re-runs the model from the start with beat ``k``'s development
pauses up to beat ``k``'s month: the model is deterministic, so the state is exactly the
one the beat had when it was first reached.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from rsiviz.core.story import BeatState, Story
from rsiviz.gui.controller import Controller

FRAME_MS = 16
MAX_FRAME_SECONDS = 0.25


class StoryPlayer(QObject):
    """Drives ``controller`` through the beats of a story; views follow ``beat_changed``."""

    beat_changed = Signal(object)  # BeatState
    animating_changed = Signal(bool)

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.story: Story | None = None
        self.states: tuple[BeatState, ...] = ()
        self.index = -1
        self._carry = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._wall = QElapsedTimer()

    @property
    def state(self) -> BeatState:
        return self.states[self.index]

    @property
    def animating(self) -> bool:
        return self._timer.isActive()

    def load(self, story: Story) -> None:
        self.story = story
        self.states = story.states()
        self.controller.load(story.scenario)
        self.go_to(0)

    # -- navigation ---------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        """Show beat ``index`` exactly, at once (replayed from the start)."""
        self._stop()
        self.index = max(0, min(index, len(self.states) - 1))
        state = self.state
        self.controller.replay(state.pauses, state.month)
        self.beat_changed.emit(state)

    def next(self) -> None:
        """Finish a beat that is playing; otherwise start playing the next beat."""
        if self.animating:
            self.go_to(self.index)
            return
        if self.index + 1 >= len(self.states):
            return
        self.index += 1
        state = self.state
        ctl = self.controller
        if state.pauses != ctl.live_pauses:
            ctl.replay(state.pauses, ctl.sim.month)  # same past, new development pauses
        self.beat_changed.emit(state)
        if state.month > ctl.sim.month:
            self._carry = 0.0
            self._wall.start()
            self._timer.start()
            self.animating_changed.emit(True)

    def previous(self) -> None:
        self.go_to(self.index - 1)

    def restart(self) -> None:
        self.go_to(0)

    def step_animation(self, seconds: float) -> bool:
        """Advance a playing beat by ``seconds`` of wall time; False once it has finished."""
        if not self.animating:
            return False
        state, sim = self.state, self.controller.sim
        months = self._carry + min(max(seconds, 0.0), MAX_FRAME_SECONDS) * state.speed
        whole = min(int(months), state.month - sim.month)
        self._carry = months - int(months)
        if whole > 0:
            self.controller.advance(whole)
        if self.controller.sim.month >= state.month or self.controller.sim.done:
            self._stop()
            return False
        return True

    def stop_animation(self) -> None:
        """Stop a beat that is playing (the run stays where it is)."""
        self._stop()

    def _stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.animating_changed.emit(False)

    def _on_timer_timeout(self) -> None:
        self.step_animation(self._wall.restart() / 1000.0)
