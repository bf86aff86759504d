"""The model explained: the HTML the explain view shows, built without Qt.

The walkthrough and its equations are hand-written in ``resources/docs/explain.html``
(Unicode math, no network). Every parameter appears there as a link
``<a href="param:NAME">symbol</a>``: the view focuses NAME's slider when it is clicked and
highlights the symbol while that slider is hovered. This module adds the loaded preset's
teaching notes, a table of every parameter with its current value and source, and
highlights a symbol on request.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from rsiviz.core.notes import Notes
from rsiviz.core.params import PARAM_NAMES, Params, ParamSpec, param_specs
from rsiviz.core.resources import ResourceError, resource_path

EXPLAIN_FILE = ("docs", "explain.html")
PARAM_LINK = re.compile(r'<a href="param:([A-Za-z0-9_]*)">(.*?)</a>', re.S)
LINK_SCHEME = "param:"
HIGHLIGHT_COLOUR = "#F0E442"  # Okabe-Ito yellow: visible on the light theme and projectors
_TAG = re.compile(r"<[^>]*>")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NAME_IN_NOTE = re.compile(r"\b(?:" + "|".join(sorted(PARAM_NAMES, key=len, reverse=True)) + r")\b")


@lru_cache(maxsize=1)
def walkthrough() -> str:
    """The hand-written walkthrough (HTML fragment); ResourceError when it is missing."""
    path = resource_path(*EXPLAIN_FILE)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read {path}: {exc}") from exc


def linked_params(text: str) -> list[str]:
    """Parameter names linked in ``text`` (``param:NAME`` links), in order of appearance."""
    return [m.group(1) for m in PARAM_LINK.finditer(_COMMENT.sub(" ", text))]


def snake_case_words(text: str) -> set[str]:
    """Words like ``software_returns`` in the visible text (outside tags and comments)."""
    visible = _TAG.sub(" ", _COMMENT.sub(" ", text))
    return set(_SNAKE.findall(html.unescape(visible)))


def highlight(text: str, name: str | None) -> str:
    """``text`` with every symbol linked to parameter ``name`` marked (background colour)."""
    if not name:
        return text

    def mark(m: re.Match[str]) -> str:
        if m.group(1) != name:
            return m.group(0)
        return (
            f'<a href="{LINK_SCHEME}{name}"><span style="background-color:{HIGHLIGHT_COLOUR}">'
            f"{m.group(2)}</span></a>"
        )

    return PARAM_LINK.sub(mark, text)


def notes_html(title: str, notes: Notes | None) -> str:
    """The loaded preset's or story's notes (NetLogo's Info tab), or a pointer to them."""
    if notes is None:
        return (
            f"<h2>Notes: {html.escape(title)}</h2><p>This run has no notes. Load a preset "
            "(Presets menu) or a story to see things to notice, things to try and questions.</p>"
        )
    parts = [f"<h2>Notes: {html.escape(title)}</h2>"]
    for heading, items, tag in (
        ("Things to notice", notes.notice, "ul"),
        ("Things to try", notes.try_, "ul"),
        ("Questions", notes.questions, "ol"),
    ):
        if items:
            rows = "".join(f"<li>{_link_names(html.escape(item))}</li>" for item in items)
            parts.append(f"<h3>{heading}</h3><{tag}>{rows}</{tag}>")
    return "".join(parts)


def _link_names(text: str) -> str:
    """Parameter names in a note become links to their sliders, like the symbols."""
    return _NAME_IN_NOTE.sub(
        lambda m: f'<a href="{LINK_SCHEME}{m.group(0)}">{m.group(0)}</a>', text
    )


def _symbol(spec: ParamSpec) -> str:
    return html.escape(spec.symbol or spec.name.replace("_", " "))


def params_table_html(params: Params) -> str:
    """Every parameter: linked symbol, name, meaning, value now, range and source."""
    rows = []
    for spec in param_specs():
        value = getattr(params, spec.name)
        unit = f" {spec.unit}" if spec.unit and not spec.is_choice else ""
        shown = value if isinstance(value, str) else f"{value:g}"
        source = "illustrative (no published value)" if spec.is_illustrative else spec.source
        rows.append(
            f'<tr><td><a href="{LINK_SCHEME}{spec.name}">{_symbol(spec)}</a></td>'
            f"<td><code>{spec.name}</code></td><td>{html.escape(spec.explanation)}</td>"
            f"<td>{html.escape(shown)}{html.escape(unit)} ({html.escape(spec.range_text())})</td>"
            f"<td>{html.escape(source)}</td></tr>"
        )
    head = (
        "<tr><th>symbol</th><th>name</th><th>meaning</th><th>now (range)</th><th>source</th></tr>"
    )
    return (
        "<h2>Every parameter and its source</h2>"
        '<table class="params" cellspacing="0" cellpadding="4">' + head + "".join(rows) + "</table>"
    )


def explain_html(
    params: Params,
    title: str = "",
    notes: Notes | None = None,
    highlighted: str | None = None,
) -> str:
    """The whole page: notes of the loaded preset, the walkthrough, the parameter table."""
    body = notes_html(title or "this run", notes) + walkthrough() + params_table_html(params)
    return highlight(body, highlighted)
