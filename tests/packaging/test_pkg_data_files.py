"""Wheels carry every resources/ folder (data-files globs do not recurse: one line each)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_resources_folder_goes_into_wheels() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    listed = {target.removeprefix("share/rsiviz/") for target in data_files}
    folders = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "resources").rglob("*")
        if p.is_dir() and any(f.is_file() for f in p.iterdir())
    }
    assert folders, "no resources found"
    assert folders <= listed, f"resources folders missing from data-files: {folders - listed}"
