"""The one place that finds shipped resources, from a source checkout or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path


class ResourceError(FileNotFoundError):
    """A shipped resource is missing or unreadable."""


def resource_root() -> Path:
    """The ``resources/`` folder: beside the package, or inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    # A wheel installs resources/ as data files under <prefix>/share/rsiviz.
    return Path(sys.prefix) / "share" / "rsiviz" / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource; raises ResourceError naming it when it is missing."""
    path = resource_root().joinpath(*parts)
    if not path.exists():
        raise ResourceError(f"missing resource: {'/'.join(parts)} (looked in {path.parent})")
    return path
