"""rsiviz: see recursive self-improvement in AI, and what a coordinated development pause does."""

from rsiviz._version import __version__

__all__ = ["__version__"]
