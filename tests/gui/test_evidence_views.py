"""The explain, calibration and replication views, built on a small context of their own."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QUrl
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from rsiviz.cli.main import run_cli
from rsiviz.core.explain import HIGHLIGHT_COLOUR
from rsiviz.core.literature import AI2027_MILESTONES
from rsiviz.core.scenario import load_preset
from rsiviz.gui.controller import Controller
from rsiviz.gui.jobs import Jobs
from rsiviz.gui.params_panel import ParamsPanel
from rsiviz.gui.theme import Theme


class Ctx:
    """The window's ViewContext, with a real controller, view state and jobs, no window."""

    def __init__(self) -> None:
        self.controller = Controller()
        self.view_state = self.controller.view_state
        self.jobs = Jobs()
        self.theme = Theme()
        self.focused: list[str] = []
        self.messages: list[tuple[str, str]] = []

    def focus_param(self, name: str) -> None:
        self.focused.append(name)

    def show_message(self, level: str, text: str) -> None:
        self.messages.append((level, text))


@pytest.fixture
def ctx(qtbot) -> Any:
    c = Ctx()
    yield c
    c.jobs.shutdown()
    c.controller.stop()


def _params_of_the_cli() -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_cli(["params", "--json"]) == 0
    return [row["name"] for row in json.loads(out.getvalue())]


def test_explain_names_every_parameter_of_rsiviz_params(qtbot, ctx) -> None:
    from rsiviz.gui.views.explain import ExplainView

    view = ExplainView(ctx)
    qtbot.addWidget(view)
    view.show()
    page = view.browser.toHtml()
    names = _params_of_the_cli()
    linked = {n for n in names if f'href="param:{n}"' in page}
    assert linked == set(names)  # none missing
    anchors = set(__import__("re").findall(r'href="param:([a-z0-9_]+)"', page))
    assert anchors == set(names)  # none stale
    text = view.browser.toPlainText()
    assert all(n in text for n in names)
    assert "Davidson and Houlden (2025)" in text and "Jones (1995)" in text


def test_explain_symbol_click_focuses_the_slider(qtbot, ctx) -> None:
    from rsiviz.gui.views.explain import ExplainView

    view = ExplainView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.browser.anchorClicked.emit(QUrl("param:software_returns"))
    view.browser.anchorClicked.emit(QUrl("https://example.org"))  # never followed
    assert ctx.focused == ["software_returns"]


def test_hovering_a_slider_highlights_its_symbol(qtbot, ctx) -> None:
    from rsiviz.gui.views.explain import ExplainView

    window = QWidget()
    qtbot.addWidget(window)
    panel = ParamsPanel(ctx.theme)
    view = ExplainView(ctx)
    row = QHBoxLayout(window)
    row.addWidget(panel)
    row.addWidget(view)
    window.show()
    qtbot.waitExposed(window)
    slider = panel.controls["full_automation_speedup"]
    QApplication.sendEvent(slider, QEvent(QEvent.Type.Enter))
    qtbot.waitUntil(lambda: HIGHLIGHT_COLOUR.lower() in view.browser.toHtml().lower())
    assert view.highlighted == "full_automation_speedup"
    QApplication.sendEvent(slider, QEvent(QEvent.Type.Leave))
    qtbot.waitUntil(lambda: HIGHLIGHT_COLOUR.lower() not in view.browser.toHtml().lower())


def test_a_loaded_presets_notes_show_in_the_explain_view(qtbot, ctx) -> None:
    from rsiviz.gui.views.explain import ExplainView

    view = ExplainView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert "This run has no notes" in view.browser.toPlainText()
    preset = load_preset("slow_takeoff")
    ctx.controller.load(preset)
    assert preset.notes is not None
    qtbot.waitUntil(lambda: preset.notes.questions[0] in view.browser.toPlainText())
    # any story's notes, from the box
    view.choice.setCurrentText("story: race_defection")
    assert "Questions" in view.browser.toPlainText()
    assert "Lab C" in view.browser.toPlainText()


def test_calibration_says_when_a_setting_stops_fitting(qtbot, ctx) -> None:
    from rsiviz.gui.views.calibration import UPDATE_MS, CalibrationView

    view = CalibrationView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert "Fits the METR data" in view.readout.text()
    assert "128.7 days" in view.doubling.text() and "187.8 days" in view.doubling.text()
    ctx.controller.set_param("compute_growth", 1.2)
    qtbot.waitUntil(lambda: "Does not fit" in view.readout.text())
    assert "too fast" in view.readout.text()
    assert view.check is not None and not view.check.fits
    x, y = view.forecast.getData()
    assert x[0] == pytest.approx(2026.0) and np.all(np.isfinite(y))
    ctx.controller.set_param("compute_growth", 0.663)
    qtbot.waitUntil(lambda: "Fits the METR data" in view.readout.text())
    view.hide()  # a hidden view does no work, and catches up when shown again
    ctx.controller.set_param("compute_growth", 0.2)
    qtbot.wait(2 * UPDATE_MS)
    assert "Fits the METR data" in view.readout.text()
    view.show()
    assert "too slow" in view.readout.text()


def test_replication_table_histogram_and_milestones(qtbot, ctx) -> None:
    from rsiviz.gui.views.replication import ReplicationView

    view = ReplicationView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert view.result is None  # submitted, not run on the GUI thread
    started = view.bar.value()
    assert ctx.jobs.wait_idle(60.0)
    assert started < view.bar.maximum()  # it ran in the background, with progress
    assert view.result is not None and view.result.draws == 5000
    assert view.table.rowCount() == 4
    for r in range(4):
        assert view.table.item(r, 3).text().endswith("pass"), view.table.item(r, 0).text()
    assert view.bar.value() == view.bar.maximum() > 0
    _, heights = view.bars.opts["x"], view.bars.opts["height"]
    assert sum(heights) == pytest.approx(100.0)
    text = view.milestones.text()
    for level, name in AI2027_MILESTONES[:3]:
        assert f"{level:g}x" in text and name in text
    view.load_preset.click()
    assert ctx.controller.scenario.name.startswith("AI 2027 milestones")


def test_the_lower_plots_milestones_are_ai_2027s() -> None:
    from rsiviz.gui.units import MILESTONES

    assert [v for v, _ in MILESTONES[:3]] == [5.0, 25.0, 250.0]
    assert [label for _, label in MILESTONES[:3]] == [
        "5x superhuman coder",
        "25x superhuman AI researcher",
        "250x superintelligent AI researcher",
    ]


def test_a_loaded_storys_notes_show_in_the_explain_view(qtbot, window) -> None:
    window.show_views(["explain"])
    view = window.docks.view("explain")
    assert window.load_story("race_defection")
    story = window.story
    qtbot.waitUntil(lambda: story.notes.questions[0] in view.browser.toPlainText())
    assert f"Notes: {story.title}" in view.browser.toPlainText()
