"""rsiviz's version: the same as pyproject.toml's (tests/core/test_version.py checks).

A literal, not ``importlib.metadata``: importing that (and the ``email`` package it pulls
in) cost about 75 ms of every start-up before the window's first paint.
"""

__version__ = "0.1.0"
