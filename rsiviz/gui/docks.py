"""Docks: the side panels and every registered view, rearrangeable, remembered between sessions.

The window's own panels (RSI clock, development pause, parameters) are docks from the start.
Views (:mod:`rsiviz.gui.views`) become docks the first time they are opened, so a view nobody
opens costs nothing at start-up or per frame. The arrangement is saved with
``QMainWindow.saveState`` under a layout version; a saved layout that is stale (another
version, views that no longer exist) or broken (unreadable bytes) is ignored and the default
layout used instead: a bad settings file never stops the window from opening.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStyle, QWidget

from rsiviz.gui.views import ViewContext, view_area, view_class, view_keys

LAYOUT_VERSION = 4  # bump when the default arrangement or the dock names change
AREAS = {
    "right": Qt.DockWidgetArea.RightDockWidgetArea,
    "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
}
BOTTOM_SHARE = 0.42  # a view opened at the bottom takes this share of the window's height


class Docks:
    """Creates, shows, saves and restores the window's docks."""

    def __init__(self, window: QMainWindow, context: ViewContext, settings: QSettings) -> None:
        self.window = window
        self.context = context
        self.settings = settings
        self.panels: dict[str, QDockWidget] = {}  # built-in panels, by key
        self.views: dict[str, QDockWidget] = {}  # registered views opened so far, by key
        self.on_view_created: Callable[[str, QWidget], None] | None = None
        self.restored_geometry = False  # the window's saved size and place were applied
        # How many px the central plots can give up and still be read: a view opened at the
        # bottom of a short window takes less than BOTTOM_SHARE to leave them that.
        self.plots_spare: Callable[[], int] | None = None
        window.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        # The right column runs the full height: a view opened at the bottom takes room from
        # the plots, not from the clock and the parameters.
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

    # -- building -----------------------------------------------------------------------
    def add_panel(self, key: str, title: str, widget: QWidget, area: str = "right") -> QDockWidget:
        dock = self._dock(key, title, widget)
        self.window.addDockWidget(AREAS[area], dock)
        self.panels[key] = dock
        return dock

    def _dock(self, key: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock-{key}")  # saveState/restoreState find docks by name
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        return dock

    def view(self, key: str) -> QWidget | None:
        dock = self.views.get(key)
        return None if dock is None else dock.widget()

    def open_view(self, key: str, raise_it: bool = True) -> QWidget:
        """Show the view ``key`` (built on first use) and bring its tab to the front."""
        dock = self.views.get(key)
        if dock is None:
            dock = self._create_view(key)
        dock.show()
        if raise_it:
            dock.raise_()
        return dock.widget()

    def _create_view(self, key: str) -> QDockWidget:
        cls = view_class(key)
        widget = cls(self.context)
        widget.apply_theme()  # the current UI scale, also for a view opened after a zoom
        dock = self._dock(key, cls.TITLE, widget)
        dock.setFont(self.context.theme.font(0.9, bold=True))
        area = view_area(key)
        same = [d for k, d in self.views.items() if view_area(k) == area and not d.isFloating()]
        self.window.addDockWidget(AREAS[area], dock)
        if same:
            self.window.tabifyDockWidget(same[-1], dock)
        elif area == "bottom":
            self.window.resizeDocks([dock], [self._bottom_height()], Qt.Orientation.Vertical)
        self.views[key] = dock
        if self.on_view_created is not None:
            self.on_view_created(key, widget)
        return dock

    def _bottom_height(self) -> int:
        """A first view at the bottom: BOTTOM_SHARE of the window's height, no more than
        :attr:`plots_spare` in a short window (never below the view's own minimum: Qt keeps
        that)."""
        height = int(self.window.height() * BOTTOM_SHARE)
        if self.plots_spare is not None and self.window.isVisible():
            gap = self.window.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
            height = min(height, self.plots_spare() - gap)
        return max(height, 1)

    def toggle_view(self, key: str, on: bool) -> None:
        if on:
            self.open_view(key)
        elif key in self.views:
            self.views[key].hide()

    def open_keys(self) -> list[str]:
        return [k for k, d in self.views.items() if not d.isHidden()]

    def all_docks(self) -> list[QDockWidget]:
        return [*self.panels.values(), *self.views.values()]

    def apply_theme(self) -> None:
        font = self.context.theme.font(0.9, bold=True)
        for dock in self.all_docks():
            dock.setFont(font)
            widget = dock.widget()
            if hasattr(widget, "apply_theme"):
                widget.apply_theme()

    # -- persistence --------------------------------------------------------------------
    def save(self) -> None:
        s = self.settings
        s.setValue("layout/version", LAYOUT_VERSION)
        s.setValue("layout/views", self.open_keys())
        s.setValue("layout/state", self.window.saveState(LAYOUT_VERSION))
        s.setValue("layout/geometry", self.window.saveGeometry())

    def restore(self) -> bool:
        """Re-open the saved views and arrangement; False (default layout kept) when the
        saved layout is missing, stale or broken."""
        s = self.settings
        try:
            version = int(s.value("layout/version", 0) or 0)
        except (TypeError, ValueError):
            version = 0
        state = s.value("layout/state")
        if version != LAYOUT_VERSION or not isinstance(state, QByteArray | bytes):
            return False
        snapshot = self.default_state()
        for key in _as_list(s.value("layout/views", [])):
            if key in view_keys():
                with contextlib.suppress(Exception):  # a view that cannot open is skipped
                    self.open_view(key, raise_it=False)
        ok = False
        with contextlib.suppress(Exception):
            ok = bool(self.window.restoreState(QByteArray(state), LAYOUT_VERSION))
        if not ok:
            self.window.restoreState(snapshot, LAYOUT_VERSION)
            return False
        geometry = s.value("layout/geometry")
        if isinstance(geometry, QByteArray | bytes):
            with contextlib.suppress(Exception):
                self.restored_geometry = bool(self.window.restoreGeometry(QByteArray(geometry)))
        return True

    def default_state(self) -> QByteArray:
        return self.window.saveState(LAYOUT_VERSION)

    def reset(self, default: QByteArray) -> None:
        """Back to the default arrangement (View > Reset layout)."""
        for dock in self.views.values():
            dock.hide()
        self.window.restoreState(default, LAYOUT_VERSION)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []
