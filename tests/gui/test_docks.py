"""Views in docks: opened from the menu or --show, rearranged, remembered, never fatal."""

from __future__ import annotations

import pytest

from rsiviz.gui import views


@pytest.fixture
def fake_views(monkeypatch):
    monkeypatch.setattr(
        views,
        "VIEWS",
        [
            ("echo", "tests.gui.echo_view:EchoView", "bottom", "Echo"),
            ("other", "tests.gui.echo_view:OtherView", "bottom", "Other"),
        ],
    )


def _window(qtbot, settings, **kw):
    from rsiviz.gui.controller import Controller
    from rsiviz.gui.main_window import MainWindow

    win = MainWindow(Controller(), settings=settings, **kw)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_parse_show_names_views_and_rejects_unknown(fake_views) -> None:
    assert views.parse_show("echo, other") == ["echo", "other"]
    assert views.parse_show("") == []
    with pytest.raises(ValueError, match="unknown view.*echo, other"):
        views.parse_show("echo,fan-typo")


def test_views_menu_opens_a_view_that_follows_the_live_run(fake_views, qtbot, settings) -> None:
    win = _window(qtbot, settings)
    assert win.docks.view("echo") is None  # nothing built before it is opened
    action = win._view_actions["echo"]
    action.trigger()
    view = win.docks.view("echo")
    assert view is not None and view.isVisible() and action.isChecked()
    win.controller.advance(18)
    assert view.label.text() == f"{win.controller.sim.history.years[18]:.2f}"
    assert view.themed >= 1
    win.zoom(1.2)  # UI scale reaches the views too
    assert view.themed >= 2
    win.docks.views["echo"].close()
    qtbot.waitUntil(lambda: not action.isChecked())


def test_a_view_s_check_mark_ignores_a_menu_action_already_deleted(qapp) -> None:
    # at teardown the menus can go before the docks; CI printed a RuntimeError
    # ("Internal C++ object (QAction) already deleted") from a dock's visibility slot
    import shiboken6
    from PySide6.QtGui import QAction

    from rsiviz.gui.main_window import _sync_check

    live, gone = QAction(), QAction()
    gone.setCheckable(True)
    shiboken6.delete(gone)
    _sync_check(gone, True)  # raised RuntimeError before
    live.setCheckable(True)
    _sync_check(live, True)
    assert live.isChecked()


def test_show_views_tabifies_them_with_the_first_in_front(fake_views, qtbot, settings) -> None:
    win = _window(qtbot, settings)
    win.show_views(["other", "echo"])
    a, b = win.docks.views["other"], win.docks.views["echo"]
    assert win.tabifiedDockWidgets(a) == [b]
    qtbot.waitUntil(lambda: not a.visibleRegion().isEmpty())
    assert b.visibleRegion().isEmpty()  # behind the tab in front


def test_layout_is_remembered_between_sessions(fake_views, qtbot, settings) -> None:
    from PySide6.QtCore import Qt

    win = _window(qtbot, settings)
    win.show_views(["echo"])
    clock = win.docks.panels["clock"]
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, clock)  # the user moves it
    win.close()
    again = _window(qtbot, settings)
    assert again.docks.view("echo") is not None and again.docks.views["echo"].isVisible()
    assert again.dockWidgetArea(again.docks.panels["clock"]) == Qt.DockWidgetArea.LeftDockWidgetArea


@pytest.mark.parametrize(
    "state",
    [b"\x00\xffnot a layout", b"", "a string", 12345],
)
def test_broken_saved_layout_falls_back_to_the_default(fake_views, qtbot, settings, state) -> None:
    from PySide6.QtCore import QByteArray, Qt

    from rsiviz.gui.docks import LAYOUT_VERSION

    settings.setValue("layout/version", LAYOUT_VERSION)
    settings.setValue("layout/state", QByteArray(state) if isinstance(state, bytes) else state)
    settings.setValue("layout/views", ["echo", "no-such-view"])
    settings.setValue("layout/geometry", QByteArray(b"garbage"))
    win = _window(qtbot, settings)
    right = Qt.DockWidgetArea.RightDockWidgetArea
    assert all(win.dockWidgetArea(d) == right for d in win.docks.panels.values())
    assert all(d.isVisible() for d in win.docks.panels.values())
    assert "no-such-view" not in win.docks.views


def test_a_layout_saved_by_another_version_is_ignored(fake_views, qtbot, settings) -> None:
    from PySide6.QtCore import Qt

    win = _window(qtbot, settings)
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, win.docks.panels["clock"])
    win.close()
    settings.setValue("layout/version", 1)  # an older release's arrangement
    again = _window(qtbot, settings)
    assert (
        again.dockWidgetArea(again.docks.panels["clock"]) == Qt.DockWidgetArea.RightDockWidgetArea
    )


def test_reset_layout_restores_the_default(fake_views, qtbot, settings) -> None:
    from PySide6.QtCore import Qt

    win = _window(qtbot, settings)
    win.show_views(["echo"])
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, win.docks.panels["parameters"])
    win.actions.reset_layout.trigger()
    assert (
        win.dockWidgetArea(win.docks.panels["parameters"]) == Qt.DockWidgetArea.RightDockWidgetArea
    )
    assert not win.docks.views["echo"].isVisible()
    # 800 px tall: the default for a short window, the development pause a tab beside the
    # parameters, which are in front
    panels = win.docks.panels
    assert win.tabifiedDockWidgets(panels["parameters"]) == [panels["development_pause"]]
    assert win.pause_panel.visibleRegion().isEmpty()


def test_focus_param_raises_the_panel_and_focuses_the_slider(qtbot, settings) -> None:
    win = _window(qtbot, settings)
    win.activateWindow()
    win.docks.panels["parameters"].hide()
    win.focus_param("software_returns")
    assert win.docks.panels["parameters"].isVisible()
    qtbot.waitUntil(lambda: win.params.controls["software_returns"].hasFocus())


def test_window_declares_its_features_in_its_menus(qtbot, settings) -> None:
    win = _window(qtbot, settings)
    menus = {a.text().replace("&", ""): a.menu() for a in win.menuBar().actions()}
    file_actions = menus["File"].actions()
    for action in (win.actions.open_story, win.actions.export):
        assert action in file_actions
    assert win.actions.present in menus["View"].actions()
    assert not win.actions.story_menu.actions()  # read when the menu first opens
    win.actions.story_menu.aboutToShow.emit()
    titles = [a.text() for a in win.actions.story_menu.actions()]
    assert len(titles) >= 3 and "race_defection" not in titles  # the stories' own titles
    win.actions.story_menu.aboutToShow.emit()  # opened again: listed once
    assert [a.text() for a in win.actions.story_menu.actions()] == titles


def test_registry_titles_are_the_view_classes_titles() -> None:
    # the menu shows the registry's title without importing the view (fast start-up)
    for key in views.view_keys():
        assert views.view_title(key) == views.view_class(key).TITLE
