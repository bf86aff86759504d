"""Fail a build on missing modules that matter, from PyInstaller's warn file.

    python packaging/check_warn.py build/build/warn-build.txt [--allowlist FILE]

PyInstaller lists every module it could not find. Most are harmless: other
platforms' modules, optional imports, ``from pkg import name`` of a plain
attribute. This check fails only on a missing (or excluded) module that

* is imported at **top level** by rsiviz, numpy, pyqtgraph, PySide6 or
  shiboken6 (``imported by ... (top-level)``), and
* is not a plain attribute of its (importable) parent module, and
* matches no pattern of the allowlist (packaging/warn-allowlist.txt: fnmatch
  patterns, one a line, ``#`` comments).

Run it with the interpreter the bundle was built from: the attribute test
imports the parent modules. Exit status 0 = clean, 1 = new missing modules.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WATCHED = ("rsiviz", "numpy", "pyqtgraph", "PySide6", "shiboken6")
DEFAULT_ALLOWLIST = Path(__file__).with_name("warn-allowlist.txt")
LINE = re.compile(r"^(missing|excluded) module named '?([\w.]+)'? - imported by (.*)$")
IMPORTER = re.compile(r"([^\s,][^,(]*?) \(([^)]*)\)")


@dataclass(frozen=True)
class Missing:
    kind: str  # "missing" | "excluded"
    name: str
    importers: tuple[tuple[str, str], ...]  # (module, "top-level, conditional, ...")

    def top_level_by_watched(self) -> list[str]:
        return [
            mod
            for mod, kinds in self.importers
            if "top-level" in kinds and mod.split(".")[0] in WATCHED
        ]


def parse(text: str) -> list[Missing]:
    out = []
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if m:
            importers = tuple((a.strip(), b) for a, b in IMPORTER.findall(m.group(3)))
            out.append(Missing(m.group(1), m.group(2), importers))
    return out


def load_allowlist(path: Path) -> list[str]:
    patterns = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            patterns.append(line)
    return patterns


def allowed(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def is_attribute(name: str) -> bool:
    """``pkg.name`` where pkg imports fine and has ``name`` as an attribute, not a submodule."""
    parent, _, attr = name.rpartition(".")
    if not parent:
        return False
    try:
        module = importlib.import_module(parent)
    except Exception:
        return False
    return hasattr(module, attr) and importlib.util.find_spec(name) is None


def problems(entries: list[Missing], patterns: list[str]) -> list[Missing]:
    return [
        e
        for e in entries
        if e.top_level_by_watched() and not allowed(e.name, patterns) and not is_attribute(e.name)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warn_file", type=Path)
    parser.add_argument("--allowlist", type=Path, default=DEFAULT_ALLOWLIST)
    args = parser.parse_args(argv)
    entries = parse(args.warn_file.read_text(encoding="utf-8"))
    bad = problems(entries, load_allowlist(args.allowlist))
    watched = sum(1 for e in entries if e.top_level_by_watched())
    print(
        f"[warn] {args.warn_file}: {len(entries)} missing/excluded modules, "
        f"{watched} imported at top level by {'/'.join(WATCHED)}, {len(bad)} not allowlisted"
    )
    for e in bad:
        print(f"[warn] NEW: {e.kind} module {e.name} <- {', '.join(e.top_level_by_watched())}")
    if bad:
        print(f"[warn] fix the build, or add a pattern with its reason to {args.allowlist}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
