"""What the window shows, as a Qt-free evented model: any number of runs and bands.

napari's Qt views subscribe to evented models that know nothing of Qt; this is ours. The
controller writes the live run, its counterfactual and the previous run; other features add
their own (kept runs to compare, one per cut link, uncertainty bands). Views subscribe to
:attr:`ViewState.events` and redraw from what the state holds, so a new kind of run needs no
new field anywhere.

Keys name runs: ``"live"``, ``"counterfactual"``, ``"previous"``, ``"saved:Run A"``,
``"cut:automation"``. Roles say how a run is drawn (see :data:`ROLES`).
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rsiviz.core.history import History
from rsiviz.core.model import FloatArray
from rsiviz.core.params import Params
from rsiviz.core.scenario import Scenario

# How a run is drawn, in drawing order (later on top): the live run is always on top.
ROLES: tuple[str, ...] = ("previous", "saved", "cut", "counterfactual", "live")
PERCENTILES: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0)
MAX_SAVED_SHOWN = 4  # compare overlays at most this many kept runs at once


class Event:
    """A list of callbacks; bound methods are held weakly, so a closed view is dropped."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._refs: list[Callable[[], Callable[..., Any] | None]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if inspect.ismethod(callback):
            ref: Callable[[], Callable[..., Any] | None] = weakref.WeakMethod(callback)
        else:
            ref = _Strong(callback)
        self._refs.append(ref)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Remove ``callback`` (no error when it was never connected)."""
        self._refs = [r for r in self._refs if r() not in (None, callback)]

    def emit(self, *args: Any) -> None:
        dead = False
        for ref in list(self._refs):
            cb = ref()
            if cb is None:
                dead = True
                continue
            cb(*args)
        if dead:
            self._refs = [r for r in self._refs if r() is not None]

    def __len__(self) -> int:
        return sum(1 for r in self._refs if r() is not None)


class _Strong:
    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self) -> Callable[..., Any]:
        return self.fn


@dataclass(frozen=True)
class Run:
    """One run a view can draw: its history (member 0) and the scenario that makes it."""

    key: str
    role: str
    label: str
    history: History
    scenario: Scenario
    visible: bool = True

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"run role {self.role!r} (roles: {', '.join(ROLES)})")


@dataclass(frozen=True)
class Band:
    """Percentile bands over time of one quantity of an ensemble.

    ``years`` is ``(T,)``; ``levels`` maps a percentile (5, 25, 50, 75, 95) to ``(T,)``
    values in the quantity's own units (OOM for capability and gap, the multiplier itself
    for ``progress_multiplier``); NaN where no member has a value.
    """

    key: str
    label: str
    quantity: str
    years: FloatArray
    levels: dict[float, FloatArray]
    members: int
    seed: int
    visible: bool = True
    group: str = ""  # bands computed together (one ensemble) share a group

    def __post_init__(self) -> None:
        if self.quantity not in ("capability", "gap", "progress_multiplier"):
            raise ValueError(f"band quantity {self.quantity!r}")
        for q, arr in self.levels.items():
            if np.shape(arr) != np.shape(self.years):
                raise ValueError(f"band {self.key}: percentile {q} has the wrong length")


@dataclass(frozen=True)
class Snapshot:
    """What every view needs to draw one frame of the live run.

    ``history`` rows ``0 .. view_month`` are shown. ``runs`` are the other visible runs
    of the view state at this frame (a counterfactual cut at the live month, as it ran).
    """

    history: History
    view_month: int
    live_month: int
    n_months: int
    year: float
    runs: tuple[Run, ...]
    lab_names: tuple[str, ...]
    playing: bool
    clock_angle: float
    doubling_months: float
    multiplier: float
    paused: bool
    params: Params
    near_software_limit: bool = False  # the frontier lab's software is near its ceiling
    bands: tuple[Band, ...] = ()
    ended: bool = False

    def run_by_role(self, role: str) -> Run | None:
        return next((r for r in self.runs if r.role == role), None)

    @property
    def counterfactual(self) -> History | None:
        """The run without the live development pauses (None when there are none)."""
        run = self.run_by_role("counterfactual")
        return None if run is None else run.history

    @property
    def ghost(self) -> History | None:
        """The previous run before the last parameter change (None when there is none)."""
        run = self.run_by_role("previous")
        return None if run is None else run.history


@dataclass
class _Events:
    runs: Event = field(default_factory=lambda: Event("runs"))
    bands: Event = field(default_factory=lambda: Event("bands"))
    frame: Event = field(default_factory=lambda: Event("frame"))


class ViewState:
    """Every run and band the window shows, and the live frame; views subscribe to events.

    ``events.runs(key)`` fires when a run is added, replaced or removed; ``events.bands(key)``
    likewise for bands; ``events.frame(snapshot)`` on every new frame of the live run.
    """

    def __init__(self) -> None:
        self.events = _Events()
        self.runs: dict[str, Run] = {}
        self.bands: dict[str, Band] = {}
        self.frame: Snapshot | None = None

    # -- runs -----------------------------------------------------------------------------
    def set_run(self, run: Run) -> None:
        self.runs[run.key] = run
        self.events.runs.emit(run.key)

    def remove_run(self, key: str) -> None:
        if self.runs.pop(key, None) is not None:
            self.events.runs.emit(key)

    def set_visible(self, key: str, visible: bool) -> None:
        run = self.runs.get(key)
        if run is not None and run.visible != visible:
            from dataclasses import replace

            self.set_run(replace(run, visible=visible))

    def runs_with_role(self, role: str) -> list[Run]:
        return [r for r in self.runs.values() if r.role == role]

    def shown_runs(self) -> Iterator[Run]:
        """Visible runs other than the live one, in drawing order (at most
        :data:`MAX_SAVED_SHOWN` kept runs)."""
        saved = 0
        for role in ROLES[:-1]:
            for run in self.runs.values():
                if run.role != role or not run.visible:
                    continue
                if role == "saved":
                    saved += 1
                    if saved > MAX_SAVED_SHOWN:
                        continue
                yield run

    # -- bands ----------------------------------------------------------------------------
    def set_band(self, band: Band) -> None:
        self.bands[band.key] = band
        self.events.bands.emit(band.key)

    def remove_band(self, key: str) -> None:
        if self.bands.pop(key, None) is not None:
            self.events.bands.emit(key)

    def shown_bands(self) -> tuple[Band, ...]:
        return tuple(b for b in self.bands.values() if b.visible)

    # -- frames ---------------------------------------------------------------------------
    def set_frame(self, snapshot: Snapshot) -> None:
        self.frame = snapshot
        self.events.frame.emit(snapshot)
