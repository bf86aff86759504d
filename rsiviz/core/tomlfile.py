"""Reading the user's TOML files (scenarios, stories) within documented limits.

Every limit is checked before the expensive work: the file size before reading, the nesting
and the number of items by a quick scan before parsing, integer sizes and string lengths on
the parsed tree before any object is built. Errors are raised as the caller's error type,
as one line naming the file, the field and the limit; values are shown shortened
(:func:`show`) with newlines escaped. The limits are listed in README.md ("Limits and
reliability") and docs/STORIES.md.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MAX_FILE_BYTES = 256 * 1024  # shipped files are under 2.5 KB
MAX_NESTING = 16  # levels of [ ] and { } inside one value or header
MAX_KEY_PARTS = 8  # parts of one dotted key, e.g. scenario.params.years has 3
MAX_ITEMS = 5_000  # keys, values and table headers in one file
MAX_TEXT = 10_000  # characters in any string (descriptions, speaker notes)
MAX_RAW_TEXT = 4 * MAX_TEXT  # characters of one string as written, escapes included
MAX_NAME = 200  # characters in a name or title
MAX_INT = 2**63 - 1  # largest integer magnitude
SHOW_CHARS = 60  # a value quoted in an error message is cut to this many characters
MESSAGE_CHARS = 300  # an error message is cut to this many characters

_STRING_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'  # multi-line basic string
    r"|'''(?:[^']|'(?!''))*'{3,5}"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*",  # comment
    re.S,
)
_SEPARATORS = r"=,\[\]{}\n"
# More than MAX_KEY_PARTS - 1 dots within one stretch between separators, anchored at the
# stretch's start so that the search stays linear in the text.
_DOTTED = re.compile(
    rf"(?:^|(?<=[{_SEPARATORS}]))(?:[^{_SEPARATORS}.]*\.){{{MAX_KEY_PARTS}}}", re.M
)
_BRACKET = re.compile(r"[\[\]{}]")


def show(value: Any, n: int = SHOW_CHARS) -> str:
    """``repr(value)`` on one line, cut to ``n`` characters with an ellipsis."""
    if isinstance(value, int) and value.bit_length() > 200:  # repr of a 5,000-digit int fails
        return f"<an integer of about {value.bit_length() * 30103 // 100000 + 1} digits>"
    text = repr(value).replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= n else text[: n - 3] + "..."


def one_line(text: str, n: int = MESSAGE_CHARS) -> str:
    """``text`` with line breaks escaped, cut to ``n`` characters (keeping its end)."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) <= n:
        return text
    tail = n // 3
    return text[: n - tail - 3] + "..." + text[-tail:]


def read_text_file(
    path: Path, error: type[ValueError], limit: int = MAX_FILE_BYTES, what: str = "file"
) -> str:
    """A regular file's UTF-8 text (a byte-order mark is dropped), at most ``limit`` bytes.

    A FIFO or a device is refused without reading it (opened non-blocking, so a FIFO with
    no writer cannot hang), and at most ``limit + 1`` bytes are ever read.
    """
    name = one_line(str(path), 120)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise error(f"{name}: cannot read: {_reason(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise error(f"{name}: cannot read: {kind} (a {what} must be a regular file)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"{name}: cannot read: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"{name}: the file is larger than the limit of {limit // 1024} KB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _reason(exc: Exception) -> str:
    return one_line(str(getattr(exc, "strerror", None) or exc), 80)


def parse_toml(text: str, source: str, error: type[ValueError]) -> dict[str, Any]:
    """TOML text -> dict within the limits; anything wrong raises ``error`` naming ``source``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > MAX_FILE_BYTES:
        raise error(f"{source}: the text is longer than the limit of {MAX_FILE_BYTES} characters")
    scan_structure(text, source, error)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: not valid TOML: {one_line(str(exc), 120)}") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise error(f"{source}: not valid TOML: a number is too large (limit {MAX_INT})") from None
    except RecursionError:  # the scan keeps nesting shallow; this is the last guard
        raise error(f"{source}: nested deeper than the limit of {MAX_NESTING} levels") from None
    check_tree(data, source, error)
    return data


def build_from_text(
    text: str, source: str, error: type[ValueError], build: Callable[[dict[str, Any], str], T]
) -> T:
    """``build(parse_toml(text), source)``; any ``error`` comes out as one short line."""
    try:
        return build(parse_toml(text, source, error), source)
    except error as exc:  # whatever a field's message quoted
        raise error(one_line(str(exc))) from None


def scan_structure(text: str, source: str, error: type[ValueError]) -> None:
    """Refuse long strings, too many items, long dotted keys and deep nesting before parsing.

    Strings and comments are blanked out first (their newlines kept, for line numbers), so
    only the structure is looked at; every step is a regular expression or a count, linear
    in the text. An unterminated string is left for tomllib to report with its position.
    """

    def blank(m: re.Match[str]) -> str:
        if m.end() - m.start() > MAX_RAW_TEXT and m.group()[0] != "#":
            raise error(
                f"{source}: line {_line(text, m.start())}: a string of more than "
                f"{MAX_RAW_TEXT} characters as written (limit: {MAX_TEXT} characters)"
            )
        return "s" + "\n" * m.group().count("\n")

    bare = _STRING_OR_COMMENT.sub(blank, text)
    if sum(bare.count(ch) for ch in "=,[{") > MAX_ITEMS:
        raise error(f"{source}: more than the limit of {MAX_ITEMS} keys and values")
    dotted = _DOTTED.search(bare)
    if dotted is not None:
        raise error(
            f"{source}: line {_line(bare, dotted.start())}: a dotted key has more than the "
            f"limit of {MAX_KEY_PARTS} parts"
        )
    depth = 0
    for m in _BRACKET.finditer(bare):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_NESTING:
            raise error(
                f"{source}: line {_line(bare, m.start())}: nested deeper than the limit of "
                f"{MAX_NESTING} levels"
            )


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_tree(data: dict[str, Any], source: str, error: type[ValueError]) -> None:
    """Refuse huge integers and over-long strings anywhere in a parsed file."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise error(
                f"{source}: {one_line(where, 80)} = {show(value)} is larger than the limit "
                f"of {MAX_INT} (2^63-1)"
            )
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            raise error(
                f"{source}: {one_line(where, 80)} = {show(value)} is longer than the limit "
                f"of {MAX_TEXT} characters"
            )


def check_name(value: Any, where: str, error: type[ValueError], limit: int = MAX_NAME) -> str:
    """A name or title: a string of at most ``limit`` characters.

    Line breaks and other control characters are allowed (anything the app can save must
    load again); messages show them escaped.
    """
    if not isinstance(value, str):
        raise error(f"{where} = {show(value)} must be a string")
    if len(value) > limit:
        raise error(f"{where} = {show(value)} is longer than the limit of {limit} characters")
    return value


def check_count(items: list[Any], limit: int, where: str, error: type[ValueError]) -> None:
    """At most ``limit`` entries in an array of tables (labs, pauses, beats)."""
    if len(items) > limit:
        raise error(f"{where}: {len(items)} entries, more than the limit of {limit}")


__all__ = [
    "build_from_text",
    "MAX_FILE_BYTES",
    "MAX_INT",
    "MAX_ITEMS",
    "MAX_KEY_PARTS",
    "MAX_NAME",
    "MAX_NESTING",
    "MAX_TEXT",
    "check_count",
    "check_name",
    "check_tree",
    "one_line",
    "parse_toml",
    "read_text_file",
    "scan_structure",
    "show",
]
