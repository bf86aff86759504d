"""rsiviz: see recursive self-improvement in AI, and what a coordinated development pause does."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rsiviz")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
