"""The model explained, offline: the loop in plain language, its equations, notes, sources.

The page comes from :mod:`rsiviz.core.explain` (HTML with Unicode math, no network). Every
symbol links to its parameter: clicking it focuses that slider (``ctx.focus_param``), and
hovering a slider in the parameter panel highlights the symbol here
(:meth:`ExplainView.highlight_param`, fed by ``ParamsPanel.param_hovered``). The notes at
the top follow the loaded preset; the "Notes for" box shows any preset's or story's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from rsiviz.core.explain import LINK_SCHEME, explain_html
from rsiviz.core.notes import Notes
from rsiviz.core.params import Params
from rsiviz.core.resources import ResourceError
from rsiviz.core.scenario import ScenarioError, list_presets, load_preset
from rsiviz.core.story import StoryError, find_story, list_stories

LOADED = "the loaded run"
MIN_LINES = 10  # the page keeps room for about this many lines of text
RERENDER_MS = 150  # coalesce slider drags: the page is rebuilt at most ~7 times a second
STYLE = """
a {{ color: #0072B2; font-weight: bold; text-decoration: none; }}
h2 {{ font-size: {h2}pt; margin-top: 14px; }}
h3 {{ font-size: {h3}pt; }}
p.eq {{ font-family: serif; font-size: {eq}pt; margin-left: 18px; }}
p.loop {{ font-size: {eq}pt; }}
table.params td, table.params th {{ border-bottom: 1px solid #cccccc; }}
"""


class ExplainView(QWidget):
    """The walkthrough, with every symbol tied to its slider both ways."""

    KEY = "explain"
    TITLE = "The model explained"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.highlighted: str | None = None
        self._params: Params = ctx.controller.scenario.params
        self._scenario: Any = None
        self._hover_source: Any = None
        self._dirty = False
        self.choice = QComboBox()
        self.choice.addItem(LOADED)
        self.choice.addItems([f"preset: {n}" for n in list_presets()])
        self.choice.addItems([f"story: {n}" for n in list_stories()])
        self.choice.currentTextChanged.connect(self._on_choice_changed)
        self.label = QLabel("Notes for:")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # param: links are ours; nothing goes to the network
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.choice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RERENDER_MS)
        self._timer.timeout.connect(self.render)
        ctx.view_state.events.frame.connect(self._on_frame)
        self.apply_theme()

    # -- what the page shows --------------------------------------------------------------
    def notes(self) -> tuple[str, Notes | None]:
        """The title and notes chosen in the box (the loaded run's by default)."""
        text = self.choice.currentText()
        try:
            if text.startswith("preset: "):
                sc = load_preset(text.removeprefix("preset: "))
                return sc.name, sc.notes
            if text.startswith("story: "):
                story = find_story(text.removeprefix("story: "))
                return story.title, story.notes
        except (ScenarioError, StoryError) as exc:
            self.ctx.show_message("error", str(exc))
        sc = self.ctx.controller.scenario
        story = getattr(self.window(), "story", None)  # MainWindow.story: the story loaded
        if story is not None and story.notes is not None and story.scenario == sc:
            return story.title, story.notes
        return sc.name, sc.notes

    def render(self) -> None:
        """Rebuild the page, keeping the reader's scroll position."""
        self._dirty = False
        title, notes = self.notes()
        try:
            page = explain_html(self._params, title, notes, self.highlighted)
        except ResourceError as exc:
            page = f"<p>{exc}</p>"
        bar = self.browser.verticalScrollBar()
        position = bar.value()
        self.browser.setHtml(page)
        bar.setValue(position)

    def highlight_param(self, name: str) -> None:
        """Mark every symbol of parameter ``name`` ("" clears the mark).

        The page is rebuilt shortly after, so moving across a row (leave, enter) costs one.
        """
        if (name or None) != self.highlighted:
            self.highlighted = name or None
            self._timer.start()

    def apply_theme(self) -> None:
        theme = self.ctx.theme
        for widget in (self.label, self.choice):
            widget.setFont(theme.font(0.85))
        self.browser.setFont(theme.font(0.85))
        # room for a heading and a few lines, even in a short bottom dock at 1024x768
        self.browser.setMinimumHeight(round(theme.point_size() * MIN_LINES * 1.6))
        size = theme.point_size(0.85)
        self.browser.document().setDefaultStyleSheet(
            STYLE.format(h2=round(size * 1.3), h3=round(size * 1.1), eq=round(size * 1.15))
        )
        self.render()

    # -- handlers -------------------------------------------------------------------------
    def _on_frame(self, snapshot: Any) -> None:
        scenario = self.ctx.controller.scenario
        if snapshot.params != self._params or scenario is not self._scenario:
            self._params, self._scenario = snapshot.params, scenario
            self._dirty = True
            if self.isVisible():  # the page takes ~0.1 s to lay out: hidden docks wait
                self._timer.start()

    def _on_choice_changed(self, _text: str) -> None:
        self.render()
        self.browser.verticalScrollBar().setValue(0)  # the notes are at the top

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(LINK_SCHEME):
            self.ctx.focus_param(text.removeprefix(LINK_SCHEME))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._connect_hover()
        if self._dirty:
            self.render()

    def _connect_hover(self) -> None:
        """Listen to the window's parameter panel (its ``param_hovered`` signal), once."""
        from rsiviz.gui.params_panel import ParamsPanel

        panel = self.window().findChild(ParamsPanel)
        if panel is not None and panel is not self._hover_source:
            panel.param_hovered.connect(self.highlight_param)
            self._hover_source = panel
