"""The explain view's content: every parameter linked, nothing stale, notes and highlights."""

from __future__ import annotations

import re

from rsiviz.core.explain import (
    HIGHLIGHT_COLOUR,
    explain_html,
    highlight,
    linked_params,
    snake_case_words,
    walkthrough,
)
from rsiviz.core.params import PARAM_NAMES, RELEASE_MODES, Params
from rsiviz.core.scenario import load_preset


def test_walkthrough_names_every_parameter_of_rsiviz_params() -> None:
    linked = set(linked_params(walkthrough()))
    assert set(PARAM_NAMES) - linked == set(), "parameters the walkthrough never explains"
    assert linked - set(PARAM_NAMES) == set(), "links to parameters that do not exist"


def test_no_stale_parameter_names_in_the_text() -> None:
    # A renamed parameter would survive as a snake_case word in the prose.
    words = snake_case_words(walkthrough())
    assert words <= set(PARAM_NAMES) | set(RELEASE_MODES), words - set(PARAM_NAMES)


def test_page_shows_notes_table_and_citations() -> None:
    sc = load_preset("slow_takeoff")
    page = explain_html(sc.params, sc.name, sc.notes)
    assert sc.notes is not None
    text = re.sub(r"<[^>]*>", "", page)
    for item in (*sc.notes.notice, *sc.notes.try_, *sc.notes.questions):
        assert item.replace("'", "&#x27;") in text
    assert "0.7 (0.2 to 5)" in page  # software_returns as the preset sets it
    assert "Davidson and Houlden (2025), Forethought: median 1.2" in page  # its source
    assert "Jones (1995)" in page and "METR (2025)" in page  # MODEL.md's sources
    plain = explain_html(Params(), "Custom", None)
    assert "This run has no notes" in plain


def test_highlight_marks_only_that_parameters_symbols() -> None:
    text = walkthrough()
    marked = highlight(text, "software_returns")
    n = linked_params(text).count("software_returns")
    assert n >= 2
    assert marked.count(HIGHLIGHT_COLOUR) == n
    assert highlight(text, None) == text
    assert highlight(text, "") == text
    assert linked_params(marked) == linked_params(text)  # links still work when marked
