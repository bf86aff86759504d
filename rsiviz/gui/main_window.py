"""The main window: lays out the widgets and docks, and wires their intents to the controller.

Behaviour lives in the controller; what is drawn lives in its view state, which every view
subscribes to. This module declares the window's features (presenter mode, stories, exports,
views in docks) and connects signals; it handles what is purely about the window (file
dialogs, fullscreen, UI scale, recent files, the saved layout).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rsiviz.core.scenario import list_presets
from rsiviz.core.story import (
    Story,
    StoryError,
    find_story,
    is_story_file,
    list_stories,
    story_for_scenario,
)
from rsiviz.core.viewstate import Snapshot
from rsiviz.gui.actions import Actions
from rsiviz.gui.autosave import Autosave
from rsiviz.gui.banner import INFO_SECONDS, Banner
from rsiviz.gui.clock import RsiClock
from rsiviz.gui.controller import Controller
from rsiviz.gui.crash import ExceptionHook
from rsiviz.gui.docks import Docks
from rsiviz.gui.fitted_note import FittedNote
from rsiviz.gui.jobs import Jobs
from rsiviz.gui.jobs_indicator import JobsIndicator
from rsiviz.gui.keys import install_focused_widget_keys
from rsiviz.gui.params_panel import ParamsPanel
from rsiviz.gui.paths import data_dir
from rsiviz.gui.pause_panel import PausePanel
from rsiviz.gui.plots import Plots
from rsiviz.gui.recent import RecentFiles
from rsiviz.gui.story_player import StoryPlayer
from rsiviz.gui.theme import Theme
from rsiviz.gui.transport import Transport
from rsiviz.gui.views import ViewContext, view_keys, view_title

if TYPE_CHECKING:
    from rsiviz.gui.presenter import Presenter

# The main plots show the lower plot's "Year" title only when at least this tall (px): in a
# short window the curves need the room more (see Plots.year_title_from).
YEAR_TITLE_FROM = 380
# A view docked below the main plots leaves them at least this tall (px at UI scale 1):
# a legend row and two plots of ~100 px.
PLOTS_MIN = 300
# A window shorter than this (px at UI scale 1: a 1366x768 laptop, a 1280x720 projector)
# opens with the development pause and the parameters as tabs of one dock, the parameters
# in front: stacked under the clock, each got so little that no parameter slider showed.
TABBED_BELOW = 900
PREFERRED, MAXIMUM = QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum
CLOCK_TITLE = "One turn per capability doubling"
NOTE = (
    "Curves are conditional on the assumptions in the parameter panel, not a forecast. "
    "Parameters marked * are illustrative."
)
# The same caveat, shorter, for a window too narrow for NOTE on one line (FittedNote): the
# plots keep the line a wrapped note took (a 1280x720 projector, a 1366x768 laptop).
NOTES = (
    NOTE,
    "Curves are conditional on the parameters' assumptions, not a forecast. "
    "* marks an illustrative value.",
    "Conditional on the parameters, not a forecast. * = illustrative.",
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
    """Plots in the middle; clock, development pause, parameters and views in docks."""

    def __init__(
        self,
        controller: Controller,
        theme: Theme | None = None,
        settings: QSettings | None = None,
        restore_layout: bool = True,
        session: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("rsiviz")
        self.controller = controller
        self.view_state = controller.view_state
        self.theme = theme or Theme(device_pixel_ratio=self.devicePixelRatioF())
        self.settings = settings or QSettings("rsiviz", "rsiviz")
        self.save_layout_on_close = restore_layout
        self.jobs = Jobs(self)
        self.excepthook = ExceptionHook(self)  # installed by the app (tests keep pytest's)
        # The app's own session autosaves unsaved edits and asks before quitting with them.
        self.autosave = Autosave(controller, data_dir(), parent=self) if session else None
        self.story: Story | None = None  # the story loaded (presented with F5)
        self.story_player: StoryPlayer | None = None
        self.presenter: Presenter | None = None
        self.video_export: Any = None  # rsiviz.gui.video.VideoExport while one runs
        self._scheduled: tuple = ()
        self._screen_hooked = False
        self._unshown_frame: Snapshot | None = None  # the newest frame while hidden
        # A presenter's fullscreen stage on this window's screen (one screen: a laptop
        # mirrored to the projector) covers the window: it then draws nothing, see _covered
        self._cover: QWidget | None = None
        self._view_actions: dict[str, QAction] = {}  # View > Views, by view key
        self.plots = Plots(self.theme, styled=False)  # styled by self.apply_theme() below
        self.plots.start_hint = "Press Play (Space) to run the model"
        self.plots.reserve_legend = False
        self.plots.year_title_from = YEAR_TITLE_FROM
        self.transport = Transport(self.theme)
        # its dock's title says "RSI clock": the dial's own title says what a turn is
        self.clock = RsiClock(self.theme, title=(CLOCK_TITLE,))
        self.pause_panel = PausePanel(self.theme)
        self.params = ParamsPanel(self.theme)
        self.banner = Banner(self.theme)
        self.note = FittedNote(NOTES)
        self.jobs_indicator = JobsIndicator(self.jobs, self.theme)
        self.actions = Actions(self)
        self.recent = RecentFiles(self.settings, self.actions.recent_menu, self.open_file)
        self.docks = Docks(self, self._view_context(), self.settings)
        self.docks.plots_spare = self._plots_spare
        self._layout()
        self._wire_controller()
        self._wire_widgets()
        self._wire_actions()
        self._fill_menus()
        self._size_panels(shown=False)
        self._default_layout = self.docks.default_state()
        if restore_layout:
            self.docks.restore()
        self._on_controller_scenario_changed(controller.scenario)
        self.apply_theme()
        self.plots.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plots.setFocus()  # keys go to the window's shortcuts, not the speed box
        # A focused slider keeps its arrow keys, a text field what is typed (also in views
        # opened later): one filter, following the focus, serves every window.
        install_focused_widget_keys(QApplication.instance())
        controller.emit_snapshot()

    def _view_context(self) -> ViewContext:
        return ViewContext(
            view_state=self.view_state,
            controller=self.controller,
            jobs=self.jobs,
            theme=self.theme,
            focus_param=self.focus_param,
            show_message=self.banner.show_message,
        )

    def _layout(self) -> None:
        centre = QWidget()
        col = QVBoxLayout(centre)
        col.setContentsMargins(4, 0, 4, 0)
        for w in (self.banner, self.note, self.transport):
            col.addWidget(w)
        col.addWidget(self.plots, 1)
        # Docked views never squeeze the plots to nothing (a zero-height plot cannot place
        # its labels: pyqtgraph then inverts a singular transform).
        self.plots.setMinimumHeight(160)
        self.setCentralWidget(centre)
        d = self.docks
        d.add_panel("clock", "RSI clock", self.clock)
        # Scrolls when the window is short (a 1280x720 projector): its full height no longer
        # forces the clock's readouts over the next dock's title.
        d.add_panel("development_pause", "Development pause", _scrolling(self.pause_panel))
        d.add_panel("parameters", "Parameters", self.params)
        self.statusBar().addPermanentWidget(self.jobs_indicator)
        self.setMinimumSize(320, 240)

    def _reset_layout(self) -> None:
        """View > Reset layout: the default arrangement, sized for the window as it is."""
        self.docks.reset(self._default_layout)
        self._size_panels()

    def _size_panels(self, shown: bool = True) -> None:
        """Default dock sizes: the clock readable, the parameters given the rest.

        A window shown short (:data:`TABBED_BELOW`) has the development pause and the
        parameters share one dock as tabs, the parameters in front (the development pause
        stays on P and the Intervention menu, its tab a click away). ``shown``: False while
        the window is built, at a size it will not keep."""
        d = self.docks.panels
        least = d["clock"].minimumSizeHint().height()
        room = self.height() - self.menuBar().sizeHint().height() - self.statusBar().height()
        if shown and self.height() < TABBED_BELOW * self.theme.scale:
            self.tabifyDockWidget(d["development_pause"], d["parameters"])
            d["parameters"].raise_()
            # The pause panel, never taller than it needs when stacked, would cap the tab
            # group at its own height (~290 px): the parameters need the room.
            d["development_pause"].widget().setSizePolicy(PREFERRED, PREFERRED)
            clock = least
            docks, heights = [d["clock"], d["parameters"]], [clock, max(120, room - clock - 6)]
        else:
            # The clock and the development pause as tall as they need (the pause panel
            # scrolls only when the window is shorter than that); the parameters take the rest.
            d["development_pause"].widget().setSizePolicy(PREFERRED, MAXIMUM)
            clock = max(300, least)
            pause = self.pause_panel.sizeHint().height() + 30  # + the dock's title
            params = max(120, room - clock - pause - 12)  # 12: the separators
            docks = [d["clock"], d["development_pause"], d["parameters"]]
            heights = [clock, pause, params]
        self.resizeDocks(docks, heights, Qt.Orientation.Vertical)
        # 30% of the width, at least what the development pause panel needs.
        width = max(
            int(max(self.width(), 800) * 0.3), d["development_pause"].minimumSizeHint().width()
        )
        self.resizeDocks(
            [d["parameters"]], [min(width, self.width() // 2)], Qt.Orientation.Horizontal
        )

    # -- wiring -------------------------------------------------------------------------
    def _wire_controller(self) -> None:
        c = self.controller
        self.view_state.events.frame.connect(self._on_view_state_frame)
        c.message.connect(self._on_controller_message)
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
        p.end_requested.connect(c.end_development_pause_now)
        p.schedule_requested.connect(c.add_scheduled_pause)
        p.clear_requested.connect(c.clear_scheduled_pauses)
        self.params.param_changed.connect(c.set_param)
        self.params.param_reset.connect(c.reset_param)
        self.params.reset_all_requested.connect(c.reset_all_params)
        self.params.dragging_changed.connect(c.set_dragging)

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
        a.open_story.triggered.connect(self._on_open_story_triggered)
        a.export.triggered.connect(self._export)
        a.present.triggered.connect(lambda: self.start_presenter())
        a.reset_layout.triggered.connect(self._reset_layout)
        a.show_bands.toggled.connect(self.plots.set_show_bands)
        for key, action in a.units.items():
            action.triggered.connect(lambda _=False, k=key: self.plots.set_unit(k))
        for key, action in a.lower.items():
            action.triggered.connect(lambda _=False, k=key: self.plots.set_lower_mode(k))
        # undo / redo of parameter and development-pause edits
        a.undo.triggered.connect(c.undo)
        a.redo.triggered.connect(c.redo)
        c.undo_changed.connect(self._on_controller_undo_changed)

    def _on_controller_undo_changed(self) -> None:
        self.actions.undo.setEnabled(self.controller.undo_stack.can_undo)
        self.actions.redo.setEnabled(self.controller.undo_stack.can_redo)

    def _fill_menus(self) -> None:
        a = self.actions
        for name in list_presets():
            action = a.preset_menu.addAction(say_development_pause(name.replace("_", " ")))
            action.triggered.connect(lambda _=False, n=name: self.controller.load_preset(n))
        # The stories are read when their menu first opens (reading them all cost 20-30 ms
        # of every start-up).
        a.story_menu.aboutToShow.connect(self._fill_story_menu)
        for dock in self.docks.panels.values():
            a.panels_menu.addAction(dock.toggleViewAction())
        for key in view_keys():
            action = a.views_menu.addAction(view_title(key))
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=key: self.docks.toggle_view(k, on))
            self._view_actions[key] = action
        a.views_menu.setEnabled(bool(view_keys()))
        self.docks.on_view_created = self._on_docks_view_created

    def _fill_story_menu(self) -> None:
        menu = self.actions.story_menu
        if menu.actions():
            return
        for name in list_stories():
            try:
                title = find_story(name, check=False).title  # claims: checked on opening
            except StoryError:
                title = name.replace("_", " ")  # still listed: opening it reports the problem
            action = menu.addAction(title)
            action.triggered.connect(lambda _=False, n=name: self.load_story(n))

    def _on_docks_view_created(self, key: str, widget: QWidget) -> None:
        dock = self.docks.views[key]
        action = self._view_actions.get(key)
        if action is not None:
            dock.visibilityChanged.connect(
                lambda _on, d=dock, act=action: _sync_check(act, not d.isHidden())
            )
            _sync_check(action, True)

    # -- views --------------------------------------------------------------------------
    def _plots_spare(self) -> int:
        """The height the main plots can give a view docked below them: all but PLOTS_MIN
        (scaled)."""
        return self.plots.height() - round(PLOTS_MIN * self.theme.scale)

    def show_views(self, keys: list[str]) -> None:
        """Open these views (``rsiviz --show``), the first one in front."""
        for key in reversed(keys):
            self.docks.open_view(key)

    def focus_param(self, name: str) -> None:
        """Bring the parameters panel forward and focus ``name``'s slider."""
        dock = self.docks.panels["parameters"]
        dock.show()
        dock.raise_()
        self.params.focus_param(name)

    # -- controller -> views ------------------------------------------------------------
    def _on_view_state_frame(self, snap: Snapshot) -> None:
        if (
            self.isMinimized()
            or (
                self.isHidden()
                and self.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
            )
            or self._covered()
        ):
            # Hidden, minimised or under the stage: drawn when it can be seen again.
            # Drawing it anyway cost the stage a third of its frame.
            self._unshown_frame = snap
            return
        self._unshown_frame = None
        self.plots.show_snapshot(snap)
        self.transport.show_snapshot(snap)
        self.clock.show_snapshot(snap)
        self.pause_panel.set_in_force(snap.paused)
        scenario = self.controller.current_scenario()
        scheduled = (scenario.pauses, scenario.params.start_year)
        if scheduled != self._scheduled:
            self._scheduled = scheduled
            self.pause_panel.set_scheduled(*scheduled)

    def _on_controller_message(self, level: str, text: str) -> None:
        # Progress notes go to the status bar: the banner's strip, shown and hidden again,
        # moved the chart twice for every slow re-run (and its layout cost a stall).
        if level == "progress" and text:
            self.statusBar().showMessage(text, 1000 * INFO_SECONDS)
        elif level == "progress":
            self.statusBar().clearMessage()
        else:
            self.banner.show_message(level, text)

    def _on_controller_scenario_changed(self, scenario: object) -> None:
        sc = self.controller.scenario
        self.params.set_params(sc.params)
        self.pause_panel.set_labs(sc.labs)
        self.setWindowTitle(f"rsiviz: {say_development_pause(sc.name)}")

    # -- stories and presenter mode -----------------------------------------------------
    def load_story(self, story_or_name: Story | str) -> bool:
        """Load a story (its first beat); a broken file is reported, not raised."""
        try:
            story = story_or_name if isinstance(story_or_name, Story) else find_story(story_or_name)
        except StoryError as exc:
            self.banner.show_message("error", f"Could not open the story: {exc}")
            return False
        self.story = story
        self._new_story_player().load(story)
        self.banner.show_message("info", f"Story loaded: {story.title}. Press F5 to present it.")
        return True

    def _export(self) -> None:
        # Imported when first used: the exporters and the stage they draw cost start-up time.
        from rsiviz.gui import export_dialog

        export_dialog.ask_and_export(self)

    def start_presenter(self, theme_name: str = "projector", fullscreen: bool = True) -> Presenter:
        """Presenter mode for the loaded story (or the scenario as a one-beat story)."""
        if self.presenter is not None:
            self.presenter.stop()
        story = self.story or story_for_scenario(self.controller.scenario)
        # The window owns the player (File > Export... shows the beat on stage, also after
        # presenter mode has ended); the presenter owns the stage and deletes it on Esc.
        player = self._new_story_player()
        from rsiviz.gui.presenter import Presenter, projector_screen  # the stage: when used

        presenter = Presenter(self.controller, story, theme_name, self, player)
        self.presenter = presenter
        presenter.finished.connect(lambda: self._on_presenter_finished(presenter))
        presenter.start(fullscreen, projector_screen(self), self.screen())
        self._set_cover(presenter.stage)
        return presenter

    def _new_story_player(self) -> StoryPlayer:
        """A player for the next story; the previous one is deleted, not left behind."""
        if self.story_player is not None:
            self.story_player.stop_animation()
            self.story_player.deleteLater()
        self.story_player = StoryPlayer(self.controller, self)
        return self.story_player

    def _on_presenter_finished(self, presenter: Presenter) -> None:
        if self.presenter is presenter:
            self.presenter = None
        self._set_cover(None)
        self.activateWindow()

    def _set_cover(self, stage: QWidget | None) -> None:
        """The stage that may cover this window (None: none); see :meth:`_covered`."""
        if self._cover is not None:
            self._cover.removeEventFilter(self)
        self._cover = stage
        if stage is not None:
            stage.installEventFilter(self)
        self._show_unshown()

    def _covered(self) -> bool:
        """Whether the presenter's stage hides this window: shown full screen on this
        window's screen while this window is not the active one. Qt draws a covered window
        anyway (no platform tells it), so every frame cost the stage a second chart. A
        speaker who switches to the window sees it live again at once."""
        stage = self._cover
        return (
            stage is not None
            and stage.isVisible()
            and stage.isFullScreen()
            and stage.screen() is self.screen()
            and not self.isActiveWindow()
        )

    def _show_unshown(self) -> None:
        """Draw the newest frame held back while the window could not be seen."""
        if self._unshown_frame is not None and not self._covered():
            self._on_view_state_frame(self._unshown_frame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the stage left full screen, was hidden or closed: this window may show again
        kinds = (QEvent.Type.WindowStateChange, QEvent.Type.Hide, QEvent.Type.Close)
        if watched is self._cover and event.type() in kinds:
            self._show_unshown()
        return super().eventFilter(watched, event)

    def _on_open_story_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open story", "", "Stories (*.rsivizstory *.story.toml *.toml);;All files (*)"
        )
        if path:
            self.load_story(path)

    # -- window-only behaviour ----------------------------------------------------------
    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self._show_unshown()
        handle = self.windowHandle()
        if handle is not None and not self._screen_hooked:
            self._screen_hooked = True
            # Moving to a screen with another devicePixelRatio re-derives line widths.
            handle.screenChanged.connect(lambda _screen: self.apply_theme())
            if not self.docks.restored_geometry:
                self._size_panels()  # in proportion to the size the window opened at

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        restored = event.type() == QEvent.Type.WindowStateChange and not self.isMinimized()
        if restored or event.type() == QEvent.Type.ActivationChange:
            self._show_unshown()  # restored, or made active from under the stage

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.autosave is not None and not self.autosave.may_quit(self, self.save_file):
            event.ignore()
            return
        if self.autosave is not None:
            self.autosave.close()
        self.controller.stop()
        self.jobs.shutdown()
        self.controller.runner.shutdown()  # its re-run child process ends with the window
        if self.presenter is not None:
            self.presenter.stop()
        if self.save_layout_on_close:
            self.docks.save()
        super().closeEvent(event)

    def zoom(self, factor: float) -> None:
        """Scale fonts and line widths of the whole UI (projectors)."""
        self.theme.zoomed(factor)
        self.apply_theme()

    def apply_theme(self) -> None:
        self.theme.device_pixel_ratio = self.devicePixelRatioF()
        self.note.setFont(self.theme.font(0.9))
        self.menuBar().setFont(self.theme.font(0.9))
        for part in (self.plots, self.transport, self.banner, self.jobs_indicator):
            part.apply_theme()
        self.docks.apply_theme()

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

    def open_document(self, path: str) -> bool:
        """A file handed over by the desktop (macOS sends a double-clicked file as an event,
        not as an argument): a story or a scenario, told apart by its name."""
        return self.load_story(path) if is_story_file(path) else self.open_file(path)

    def open_file(self, path: str) -> bool:
        ok = self.controller.load_file(path)
        if ok:
            self.recent.remember(path)
        return ok

    def save_file(self, path: str) -> bool:
        ok = self.controller.save_file(path)
        if ok:
            self.recent.remember(path)
            if self.autosave is not None:
                self.autosave.mark_saved()
        return ok

    def recent_files(self) -> list[str]:
        return self.recent.files()

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open scenario", "", "Scenarios (*.rsiviz *.toml);;All files (*)"
        )
        if path:
            self.open_file(path)

    def _on_save_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save scenario", "scenario.rsiviz", "Scenarios (*.rsiviz);;TOML (*.toml)"
        )
        if path:
            self.save_file(path)

    def _on_about_triggered(self) -> None:
        QMessageBox.information(self, "About rsiviz", ABOUT)


def _sync_check(action: QAction, on: bool) -> None:
    if not shiboken6.isValid(action):
        return  # the window is being torn down: its menus went before this dock
    action.blockSignals(True)
    action.setChecked(on)
    action.blockSignals(False)


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that scrolls vertically only when too short."""
    area = _VerticalScroll()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class _VerticalScroll(QScrollArea):
    """As wide as its widget needs (nothing cut at the right), as short as a few lines, never
    taller than its widget (a taller dock left a needless scroll bar on a big screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(PREFERRED, MAXIMUM)

    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        hint = inner.sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        width = inner.minimumSizeHint().width() if inner is not None else 0
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(width + bar, min(120, super().minimumSizeHint().height()))
