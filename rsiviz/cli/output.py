"""Writing tables as CSV or JSON, to a file or stdout; non-finite values become blank/null."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from rsiviz.core.atomic import atomic_write_text


class OutputError(OSError):
    """The output file cannot be written."""


def number(value: float) -> str:
    """A CSV cell: 6 significant digits (the model is illustrative; 16 digits only look
    precise; calendar years keep their month: 2026.08, 2026.17), blank for non-finite."""
    value = float(value)
    if not math.isfinite(value):
        return ""
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def table_csv(columns: Mapping[str, Sequence[float] | np.ndarray]) -> str:
    """The one CSV writer of rsiviz (``rsiviz run``, ``rsiviz export`` and the window):
    a header row, then one row per index, numbers written by :func:`number`."""
    names = list(columns)
    rows = zip(*(np.asarray(columns[n], dtype=float) for n in names), strict=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(number(v) for v in row)
    return buf.getvalue()


def jsonable(value: object) -> object:
    """numpy -> plain Python, with NaN/inf -> None (JSON has no such numbers)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def to_json(data: object) -> str:
    return json.dumps(jsonable(data), indent=1, allow_nan=False) + "\n"


def write_text(text: str, out: str | None) -> None:
    """Write to ``out`` ('-' or None: stdout). Atomic for files."""
    if out in (None, "-"):
        _write_stdout(text)
        return
    try:
        atomic_write_text(out, text)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None


def check_writable(out: str) -> None:
    """Fail fast (before any work) when ``out`` cannot be created: one clear line."""
    folder = Path(out).expanduser().parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"--out {out}: the folder {folder} {what}")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"--out {out}: the folder {folder} is not writable")


def _write_stdout(text: str) -> None:
    """Write and flush now, so a closed or full stdout is reported here, not at exit."""
    if sys.stdout is None:  # started with stdout closed (e.g. '>&-')
        raise OutputError("cannot write to standard output: it is closed")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: the stream object was closed
        silence_stdout()
        raise OutputError(
            f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def silence_stdout() -> None:
    """Point stdout at the null device, so the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def output_format(out: str | None, default: str = "csv") -> str:
    if out in (None, "-"):
        return default
    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise OutputError(f"--out {out}: use a .csv or .json file, or - for stdout")
    check_writable(out)  # before the run, which may take a while
    return suffix[1:]
