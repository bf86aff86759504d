"""A view context for testing a view on its own: the real controller, view state and jobs,
without the window."""

from __future__ import annotations

from typing import Any

from rsiviz.gui.jobs import Jobs
from rsiviz.gui.theme import Theme
from rsiviz.gui.views import ViewContext


def view_context(controller: Any) -> tuple[ViewContext, list[tuple[str, str]]]:
    """A ViewContext around ``controller`` and the list its ``show_message`` appends to."""
    messages: list[tuple[str, str]] = []
    ctx = ViewContext(
        view_state=controller.view_state,
        controller=controller,
        jobs=Jobs(),
        theme=Theme(),
        focus_param=lambda name: None,
        show_message=lambda level, text: messages.append((level, text)),
    )
    return ctx, messages


def open_view(qtbot: Any, controller: Any, cls: type, size: tuple[int, int]) -> Any:
    """A view built from a fresh context, shown; ``view.messages`` lists its messages."""
    ctx, messages = view_context(controller)
    view = cls(ctx)
    view.messages = messages
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    return view
