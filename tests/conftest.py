"""Settings for the whole test suite.

Under CI (the ``CI`` environment variable set, as CI sets it for ``.ci/run``) hypothesis
draws the same examples on every run (``derandomize``), so a landing never fails on an
example no earlier run drew, and a failure there reproduces. Elsewhere (``bash .ci/test``
on a laptop) the examples are random each run and keep searching;
``RSIVIZ_PROPERTY_SCALE`` (``tests/core/budget.py``) widens that search.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
