"""Teaching notes for presets and stories: things to notice, things to try, three questions.

As NetLogo's Info tab does for its models, every shipped preset (``resources/scenarios``)
and story (``resources/stories``) carries a ``[notes]`` table at the end of its own file::

    [notes]
    notice = ["The RSI clock turns faster each year until ...", "..."]
    try = ["Set software_returns below 1 and play again: ...", "..."]
    questions = ["Why does ...?", "What would ...?", "Which ...?"]

The table is optional in a user's file; when it is there, each list holds non-empty
strings. Broken notes raise ``ValueError`` subclasses (the caller's error type) naming the
file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOTES_KEYS = ("notice", "try", "questions")
QUESTIONS_PER_PRESET = 3  # what a teacher can set from one preset


@dataclass(frozen=True)
class Notes:
    """What to look at in a preset or story, what to change, and questions to set."""

    notice: tuple[str, ...] = ()
    try_: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, list[str]]:
        """The ``[notes]`` table as TOML sees it (``try``, not ``try_``)."""
        return {
            "notice": list(self.notice),
            "try": list(self.try_),
            "questions": list(self.questions),
        }


def notes_from_dict(data: Any, source: str, error: type[ValueError] = ValueError) -> Notes | None:
    """Parse a ``[notes]`` table; ``None`` when the file has none.

    Parameters
    ----------
    data : the value of the ``notes`` key (a dict), or None.
    source : the file, for error messages.
    error : the exception type to raise (ScenarioError, StoryError).
    """
    if data is None:
        return None
    if not isinstance(data, dict):
        raise error(f"{source}: notes must be a table ([notes])")
    for key in data:
        if key not in NOTES_KEYS:
            raise error(f"{source}: unknown key notes.{key} (allowed: {', '.join(NOTES_KEYS)})")
    lists = {
        key: _strings(data.get(key, []), f"{source}: notes.{key}", error) for key in NOTES_KEYS
    }
    return Notes(lists["notice"], lists["try"], lists["questions"])


def _strings(value: Any, where: str, error: type[ValueError]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)
