"""The window's views: each one a widget in a dock, opened from View > Views or ``--show``.

A view module defines one ``QWidget`` subclass with class attributes ``KEY`` (the name for
``rsiviz --show KEY``) and ``TITLE``, built as ``View(ctx)`` from a :class:`ViewContext`, with an
``apply_theme()`` method. It subscribes to ``ctx.view_state`` events for what to draw and runs
slow work through ``ctx.jobs``. Register it with one line in :data:`VIEWS` (module path and
class name, imported only when the view is first opened, so start-up stays fast) and its
menu title (the class's ``TITLE``; a test keeps the two equal).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rsiviz.core.viewstate import ViewState

# (KEY, "module:Class", default dock area: "right" or "bottom", menu title)
VIEWS: list[tuple[str, str, str, str]] = [
    ("fan", "rsiviz.gui.views.fan:FanView", "bottom", "Uncertainty fan"),
    ("sweep", "rsiviz.gui.views.sweep:SweepView", "bottom", "Sweep map"),
    ("sensitivity", "rsiviz.gui.views.sensitivity:SensitivityView", "bottom", "Sensitivity"),
    ("compare", "rsiviz.gui.views.compare:CompareView", "bottom", "Compare runs"),
    ("loop", "rsiviz.gui.views.loop:LoopView", "bottom", "Feedback loop"),
    ("explain", "rsiviz.gui.views.explain:ExplainView", "bottom", "The model explained"),
    (
        "calibration",
        "rsiviz.gui.views.calibration:CalibrationView",
        "bottom",
        "Calibration: METR time horizons",
    ),
    (
        "replication",
        "rsiviz.gui.views.replication:ReplicationView",
        "bottom",
        "Replication: Forethought and AI 2027",
    ),
]


@dataclass
class ViewContext:
    """What a view may use: the shared state, the controller, background jobs and the theme."""

    view_state: ViewState
    controller: Any  # rsiviz.gui.controller.Controller
    jobs: Any  # rsiviz.gui.jobs.Jobs
    theme: Any  # rsiviz.gui.theme.Theme
    focus_param: Callable[[str], None]
    show_message: Callable[[str, str], None]


def view_keys() -> list[str]:
    return [entry[0] for entry in VIEWS]


def view_class(key: str) -> Any:
    """The view class registered under ``key`` (imported now)."""
    for k, path, *_rest in VIEWS:
        if k == key:
            module, _, name = path.partition(":")
            return getattr(importlib.import_module(module), name)
    raise KeyError(key)


def view_area(key: str) -> str:
    return next(area for k, _p, area, _t in VIEWS if k == key)


def view_title(key: str) -> str:
    """The view's menu title, without importing its module."""
    return next(title for k, _p, _a, title in VIEWS if k == key)


def parse_show(text: str) -> list[str]:
    """``"fan,sweep"`` -> ``["fan", "sweep"]``; an unknown name raises ValueError."""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    known = view_keys()
    for k in keys:
        if k not in known:
            raise ValueError(f"--show {k!r}: unknown view (views: {', '.join(known) or 'none'})")
    return keys
