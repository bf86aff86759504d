"""Fuzz cases for scenario and story files: mutations of the shipped files and generated TOML.

Shared by ``tests/core/test_fuzz_files.py`` (CI-sized) and ``bench/bench_fuzz.py`` (cases
per second, slowest case). :func:`cases` is deterministic for a seed; :func:`check_case`
loads one case and returns ``(kind, message)`` where kind is ``"ok"`` (a valid Scenario or
Story), ``"error"`` (the module's own error, one line) or ``"bug"`` (anything else: another
exception type, a multi-line or over-long message, a broken round trip).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from rsiviz.core.params import PARAM_NAMES
from rsiviz.core.resources import resource_root
from rsiviz.core.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_text,
    scenario_to_text,
)
from rsiviz.core.story import BEAT_KEYS, PAUSE_KEYS, Story, StoryError, load_story
from rsiviz.core.tomlfile import MAX_FILE_BYTES, MESSAGE_CHARS

Case = tuple[str, str, bytes]  # (name, "scenario" | "story", file bytes)
MAX_CASE_BYTES = 2 * MAX_FILE_BYTES  # repeats stop here: larger only costs writing it

KEYS = (
    *PARAM_NAMES,
    *BEAT_KEYS,
    *PAUSE_KEYS,
    "format",
    "name",
    "description",
    "seed",
    "title",
    "preset",
    "speed",
    "trigger",
    "start",
    "metric",
    "threshold",
    "margin",
    "compute_offset",
    "software_offset",
    "complies",
)
TABLES = ("params", "scenario", "scenario.params", "beats", "labs", "pauses", "scenario.labs")


def shipped() -> list[tuple[str, str, str]]:
    """(name, kind, text) of every shipped scenario and story."""
    root = resource_root()
    out = [(p.name, "scenario", p.read_text("utf-8")) for p in (root / "scenarios").glob("*.toml")]
    out += [(p.name, "story", p.read_text("utf-8")) for p in (root / "stories").glob("*.toml")]
    return sorted(out)


def _value(rng: random.Random) -> str:
    """A TOML value of a random, often wrong, type or size."""
    pick = rng.randrange(18)
    if pick == 0:
        return "1" + "0" * rng.choice((18, 19, 25, 400, 4299, 4400))  # huge integers
    if pick == 1:
        return rng.choice(("-1", "0", "1", "-0", "9223372036854775807", "-9223372036854775808"))
    if pick == 2:
        return rng.choice(("nan", "inf", "-inf", "+nan", "1e400", "-1e400", "5e-324", "1e308"))
    if pick == 3:
        return rng.choice(("true", "false"))
    if pick == 4:
        return '"' + "x" * rng.choice((0, 1, 61, 201, 501, 10_001, 100_000)) + '"'
    if pick == 5:  # control characters, escaped and (invalid in TOML) raw
        return rng.choice(('"a\\nb"', '"\\u0000"', '"tab\\tx"', '"\\u007f"', '"a\x01b"', '"\r"'))
    if pick == 6:
        depth = rng.choice((1, 2, 15, 16, 17, 40, 500))
        return "[" * depth + "1" + "]" * depth
    if pick == 7:
        depth = rng.choice((1, 2, 16, 17, 60))
        return "{a = " * depth + "1" + "}" * depth
    if pick == 8:
        return (
            "["
            + ", ".join(
                rng.choice(('"Lab A"', "1", "true", '"x"'))
                for _ in range(rng.choice((0, 1, 3, 11, 50)))
            )
            + "]"
        )
    if pick == 9:
        return rng.choice(("1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "2028-01-01"))
    if pick == 10:
        return rng.choice(('"instant"', '"gradual"', '"never"', '"oom"', '"gap"', '"capability"'))
    if pick == 11:
        return rng.choice(
            ('"status_quo"', '"nope"', '"../../etc/passwd"', '"race_one_lab_defects"')
        )
    if pick == 12:
        return (
            "{ "
            + ", ".join(f"{rng.choice(KEYS)} = {_small(rng)}" for _ in range(rng.randrange(4)))
            + " }"
        )
    return _small(rng)


def _small(rng: random.Random) -> str:
    return rng.choice(
        (
            "0.5",
            "2.0",
            "12.0",
            "2028.0",
            "2030.5",
            "-3.0",
            "600.0",
            "601",
            "1e6",
            "0.001",
            "100",
            "1",
        )
    )


def _mutate(text: str, rng: random.Random) -> str | bytes:
    """One or a few random edits of a shipped file."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        pick = rng.randrange(11)
        i = rng.randrange(len(lines)) if lines else 0
        if pick == 0 and lines:
            del lines[i]
        elif pick == 1 and lines:  # repeated, up to about twice the file size limit
            k = rng.choice((1, 2, 60, 300, 3000))
            lines.insert(i, lines[i] * max(1, min(k, MAX_CASE_BYTES // (len(lines[i]) + 1))))
        elif pick == 2 and lines and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {_value(rng)}\n"
        elif pick == 3:
            lines.insert(i, f"{rng.choice(KEYS)} = {_value(rng)}\n")
        elif pick == 4:
            header = rng.choice(("[[beats]]\ncaption = 'c'\n", "[[pauses]]\n", "[[labs]]\n"))
            lines.insert(i, header * rng.choice((1, 11, 51, 201, 1200)))
        elif pick == 5:
            lines.insert(i, f"[{rng.choice(TABLES)}]\n")
        elif pick == 6 and lines:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif pick == 7:
            lines.insert(i, ".".join(["k"] * rng.choice((2, 8, 9, 100, 50_000))) + " = 1\n")
        else:
            return _bytes_edit("".join(lines).encode("utf-8"), rng, pick)
    return "".join(lines)


def _bytes_edit(data: bytes, rng: random.Random, pick: int) -> bytes:
    pos = rng.randrange(len(data) + 1)
    if pick == 8:  # truncate
        return data[:pos]
    if pick == 9:  # random bytes, invalid UTF-8 and NUL included
        junk = bytes(
            rng.choice((0, 1, 0x7F, 0x80, 0xC3, 0xFF, 0x0D, 0x5B, 0x22))
            for _ in range(rng.randrange(1, 5))
        )
        return data[:pos] + junk + data[pos:]
    prefix = b"\xef\xbb\xbf" * rng.choice((1, 1, 2))  # byte-order marks
    return prefix + data if rng.random() < 0.8 else data[:pos] + prefix + data[pos:]


def _generated(rng: random.Random) -> str | bytes:
    """TOML built from scratch: structures near and far beyond every limit."""
    pick = rng.randrange(9)
    if pick == 0:
        depth = rng.choice((1, 8, 16, 17, 100, 500, 5000))
        return "x = " + "[" * depth + "]" * depth + "\n"
    if pick == 1:
        return ".".join(["a"] * rng.choice((1, 7, 8, 9, 1000, 50_000))) + " = 1\n"
    if pick == 2:
        n = rng.choice((1, 10, 200, 4999, 5001, 20_000))
        return "".join(f"[t{i}]\nx = 1\n" for i in range(n))
    if pick == 3:
        return f"{rng.choice(KEYS)} = {_value(rng)}\n"
    if pick == 4:
        table = rng.choice(TABLES)
        body = "".join(f"{rng.choice(KEYS)} = {_value(rng)}\n" for _ in range(rng.randrange(1, 6)))
        head = f"[[{table}]]" if table in ("beats", "labs", "pauses") else f"[{table}]"
        return f"{head}\n{body}" + ("[[beats]]\ncaption = 'x'\n" if rng.random() < 0.5 else "")
    if pick == 5:
        n = rng.choice((1, 10, 51, 201, 3000))
        return "".join(
            f"[[beats]]\ncaption = 'b{i}'\nplay_to = {2026 + i / 100:.2f}\n" for i in range(n)
        )
    if pick == 6:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if pick == 7:
        return 'x = """' + "a\\\n" * rng.choice((1, 10, 100_000)) + '"""\n'
    return "".join(f"{rng.choice(KEYS)} = {_value(rng)}\n" for _ in range(rng.randrange(1, 8)))


def cases(n: int, seed: int = 0) -> Iterator[Case]:
    """``n`` cases: about two thirds mutations of shipped files, one third generated."""
    rng = random.Random(seed)
    files = shipped()
    for i in range(n):
        if i % 3 != 2:
            name, kind, text = files[i % len(files)]
            data = _mutate(text, rng)
            name = f"{i}:mutated {name}"
        else:
            kind = "scenario" if i % 2 else "story"
            data = _generated(rng)
            name = f"{i}:generated"
        yield name, kind, data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")


LOADERS: dict[str, tuple[Callable[[Path], Scenario | Story], type[ValueError]]] = {
    "scenario": (load_scenario, ScenarioError),
    "story": (load_story, StoryError),
}


def check_case(kind: str, data: bytes, path: Path) -> tuple[str, str]:
    """Load ``data`` as a ``kind`` file written to ``path``; see the module docstring."""
    path.write_bytes(data)
    load, error = LOADERS[kind]
    try:
        result = load(path)
    except error as exc:
        message = str(exc)
        if "\n" in message or "\r" in message or len(message) > MESSAGE_CHARS:
            return "bug", f"bad message ({len(message)} chars): {message[:200]!r}"
        return "error", message
    except Exception as exc:  # noqa: BLE001 - any other escape is what we look for
        return "bug", f"{type(exc).__name__}: {str(exc)[:200]}"
    if isinstance(result, Scenario) and scenario_from_text(scenario_to_text(result)) != result:
        return "bug", "a valid scenario does not survive save and load"
    return "ok", ""
