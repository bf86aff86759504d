"""rsiviz.__version__ is a literal (fast start-up); it must match pyproject.toml's version."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import rsiviz

ROOT = Path(__file__).resolve().parents[2]


def test_version_matches_pyproject() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert rsiviz.__version__ == data["project"]["version"]


def test_version_matches_the_installed_metadata() -> None:
    assert rsiviz.__version__ == version("rsiviz")
