"""The main window: lays out the widgets and wires their intents to the controller.

Behaviour lives in the controller; this module only connects signals and handles what
is purely about the window (file dialogs, fullscreen, UI scale, recent files).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.scenario import list_presets
from rsiviz.gui.actions import Actions
from rsiviz.gui.banner import Banner
from rsiviz.gui.clock import RsiClock
from rsiviz.gui.controller import Controller, Snapshot
from rsiviz.gui.export_dialog import install as install_export
from rsiviz.gui.params_panel import ParamsPanel
from rsiviz.gui.pause_panel import PausePanel
from rsiviz.gui.plots import Plots
from rsiviz.gui.presenter import install as install_presenter
from rsiviz.gui.theme import Theme
from rsiviz.gui.transport import Transport

MAX_RECENT = 8
NOTE = (
    "Curves are conditional on the assumptions in the parameter panel, not a forecast. "
    "Parameters marked * are illustrative."
)
ABOUT = (
    "rsiviz: a stepwise model of recursive self-improvement in AI. AI capability speeds "
    "up AI research (the feedback loop); oversight grows beside it; a coordinated "
    "development pause freezes frontier training while oversight catches up.\n\n"
    "Every curve is conditional on the parameters, each with its source or marked "
    "illustrative. This is a thinking tool, not a forecast."
)


def say_development_pause(text: str) -> str:
    """Write every bare 'pause' as 'development pause', so the audience never confuses
    the intervention with stopping the animation."""
    return re.sub(
        r"(?<!development )\b[Pp]ause\b",
        lambda m: "Development pause" if m.group(0)[0] == "P" else "development pause",
        text,
    )


class MainWindow(QMainWindow):
    def __init__(
        self, controller: Controller, theme: Theme | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__()
        self.controller = controller
        self.theme = theme or Theme(device_pixel_ratio=self.devicePixelRatioF())
        self.settings = settings or QSettings("rsiviz", "rsiviz")
        self._scheduled: tuple = ()
        self._screen_hooked = False
        self.plots = Plots(self.theme)
        self.transport = Transport(self.theme)
        self.clock = RsiClock(self.theme)
        self.pause_panel = PausePanel(self.theme)
        self.params = ParamsPanel(self.theme)
        self.banner = Banner(self.theme)
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self.actions = Actions(self)
        self._layout()
        self._wire_controller()
        self._wire_widgets()
        self._wire_actions()
        self._fill_presets()
        self._fill_recent()
        install_presenter(self)
        install_export(self)
        self._on_controller_scenario_changed(controller.scenario)
        self.apply_theme()
        self.plots.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plots.setFocus()  # keys go to the window's shortcuts, not the speed box
        controller.emit_snapshot()

    def _layout(self) -> None:
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        for w in (self.banner, self.note, self.transport):
            col.addWidget(w)
        col.addWidget(self.plots, 1)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.clock, 2)
        side.addWidget(self.pause_panel)
        side.addWidget(self.params, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        self.split = split
        self.setCentralWidget(split)
        self.setMinimumSize(320, 240)

    # -- wiring -------------------------------------------------------------------------
    def _wire_controller(self) -> None:
        c = self.controller
        c.snapshot_ready.connect(self._on_controller_snapshot)
        c.message.connect(self.banner.show_message)
        c.scenario_changed.connect(self._on_controller_scenario_changed)
        c.params_changed.connect(self.params.set_params)
        c.speed_changed.connect(self.transport.show_speed)
        self.transport.show_speed(c.speed)

    def _wire_widgets(self) -> None:
        c, t, p = self.controller, self.transport, self.pause_panel
        t.play_toggled.connect(c.toggle_play)
        t.step_requested.connect(c.step)
        t.reset_requested.connect(c.reset)
        t.speed_changed.connect(c.set_speed)
        t.scrubbed.connect(c.scrub)
        p.development_pause_requested.connect(lambda kw: c.start_development_pause(**kw))
        p.schedule_requested.connect(c.add_scheduled_pause)
        p.clear_requested.connect(c.clear_scheduled_pauses)
        self.params.param_changed.connect(c.set_param)
        self.params.param_reset.connect(c.reset_param)
        self.params.reset_all_requested.connect(c.reset_all_params)

    def _wire_actions(self) -> None:
        a, c = self.actions, self.controller
        a.open.triggered.connect(self._on_open_triggered)
        a.save.triggered.connect(self._on_save_triggered)
        a.quit.triggered.connect(self.close)
        a.play.triggered.connect(c.toggle_play)
        a.step.triggered.connect(c.step)
        a.reset.triggered.connect(c.reset)
        a.faster.triggered.connect(lambda: c.set_speed(c.speed * 1.5))
        a.slower.triggered.connect(lambda: c.set_speed(c.speed / 1.5))
        a.development_pause.triggered.connect(self.pause_panel.request)
        a.schedule_pause.triggered.connect(self.pause_panel.schedule.click)
        a.clear_pauses.triggered.connect(c.clear_scheduled_pauses)
        a.zoom_in.triggered.connect(lambda: self.zoom(1.15))
        a.zoom_out.triggered.connect(lambda: self.zoom(1 / 1.15))
        a.zoom_reset.triggered.connect(lambda: self.zoom(1 / self.theme.scale))
        a.fullscreen.triggered.connect(self.toggle_fullscreen)
        a.leave_fullscreen.triggered.connect(self.leave_fullscreen)
        a.reset_params.triggered.connect(c.reset_all_params)
        a.about.triggered.connect(self._on_about_triggered)
        for key, action in a.units.items():
            action.triggered.connect(lambda _=False, k=key: self.plots.set_unit(k))
        for key, action in a.lower.items():
            action.triggered.connect(lambda _=False, k=key: self.plots.set_lower_mode(k))

    # -- controller -> views ------------------------------------------------------------
    def _on_controller_snapshot(self, snap: Snapshot) -> None:
        self.plots.show_snapshot(snap)
        self.transport.show_snapshot(snap)
        self.clock.show_snapshot(snap)
        pauses = self.controller.current_scenario().pauses
        if pauses != self._scheduled:
            self._scheduled = pauses
            self.pause_panel.set_scheduled(pauses)

    def _on_controller_scenario_changed(self, scenario: object) -> None:
        sc = self.controller.scenario
        self.params.set_params(sc.params)
        self.pause_panel.set_labs(sc.labs)
        self.setWindowTitle(f"rsiviz: {say_development_pause(sc.name)}")

    # -- window-only behaviour ----------------------------------------------------------
    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self._screen_hooked:
            self._screen_hooked = True
            # Moving to a screen with another devicePixelRatio re-derives line widths.
            handle.screenChanged.connect(lambda _screen: self.apply_theme())
        # The plots get about three quarters of the width, whatever the window size.
        width = max(self.width(), 400)
        self.split.setSizes([int(width * 0.73), int(width * 0.27)])

    def zoom(self, factor: float) -> None:
        """Scale fonts and line widths of the whole UI (projectors)."""
        self.theme.zoomed(factor)
        self.apply_theme()

    def apply_theme(self) -> None:
        self.theme.device_pixel_ratio = self.devicePixelRatioF()
        self.note.setFont(self.theme.font(0.9))
        self.menuBar().setFont(self.theme.font(0.9))
        for part in (
            self.plots,
            self.transport,
            self.clock,
            self.pause_panel,
            self.params,
            self.banner,
        ):
            part.apply_theme()

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.leave_fullscreen()
        else:
            self.showFullScreen()
            self.actions.fullscreen.setChecked(True)

    def leave_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        self.actions.fullscreen.setChecked(False)

    def open_file(self, path: str) -> bool:
        ok = self.controller.load_file(path)
        if ok:
            self._remember(path)
        return ok

    def save_file(self, path: str) -> bool:
        ok = self.controller.save_file(path)
        if ok:
            self._remember(path)
        return ok

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open scenario", "", "Scenarios (*.toml);;All files (*)"
        )
        if path:
            self.open_file(path)

    def _on_save_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save scenario", "scenario.toml", "Scenarios (*.toml)"
        )
        if path:
            self.save_file(path)

    def _on_about_triggered(self) -> None:
        QMessageBox.information(self, "About rsiviz", ABOUT)

    def _fill_presets(self) -> None:
        menu = self.actions.preset_menu
        for name in list_presets():
            action = menu.addAction(say_development_pause(name.replace("_", " ")))
            action.triggered.connect(lambda _=False, n=name: self.controller.load_preset(n))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self.recent_files() if f != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        files = self.recent_files()
        for path in files:
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        menu.setEnabled(bool(files))
