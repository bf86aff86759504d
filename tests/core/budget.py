"""How many examples each hypothesis property draws.

CI keeps the counts small. ``RSIVIZ_PROPERTY_SCALE=50 bash .ci/test`` (or the same variable
with pytest) multiplies every count, for a long search before a release or overnight: a
1,500-example run found a bug that 60 examples rarely reach
(``test_compute_reaching_its_ceiling_at_a_month_boundary``).
"""

from __future__ import annotations

import os


def examples(n: int) -> int:
    """``n`` times the scale in ``RSIVIZ_PROPERTY_SCALE`` (default 1)."""
    raw = os.environ.get("RSIVIZ_PROPERTY_SCALE", "1")
    try:
        scale = float(raw)
    except ValueError:
        raise ValueError(f"RSIVIZ_PROPERTY_SCALE = {raw!r} must be a number") from None
    return max(1, round(n * scale))
