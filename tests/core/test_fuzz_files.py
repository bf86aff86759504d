"""Fuzzing scenario and story files: every case loads or fails with one short line.

1,200 cases in CI (mutations of every shipped scenario and story, plus generated TOML: deep
nesting, long dotted keys, huge integers, long strings, many tables, wrong types, byte-order
marks, control characters, invalid UTF-8); ``RSIVIZ_FUZZ_SCALE=100`` runs 100 times as many
(120,000) by hand, ``RSIVIZ_FUZZ_SEED`` picks other cases. Each case must end in a valid
Scenario/Story (a scenario must also survive save and load) or in ScenarioError/StoryError
with a one-line message of at most 300 characters.

The per-case time bound (2 s) is only a hang guard: before the limits, single files ran
past 45 s. Speed is measured by ``bench/bench_fuzz.py``, not here.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from tests.core.fuzz_cases import cases, check_case

CASES = 1200
HANG_GUARD_S = 2.0


def _scale() -> float:
    raw = os.environ.get("RSIVIZ_FUZZ_SCALE", "1")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"RSIVIZ_FUZZ_SCALE = {raw!r} must be a number") from None


def test_fuzzed_files_load_or_fail_with_one_short_line(tmp_path: Path) -> None:
    n = max(1, round(CASES * _scale()))
    seed = int(os.environ.get("RSIVIZ_FUZZ_SEED", "0"))
    kinds: Counter[str] = Counter()
    bugs: list[str] = []
    slow: list[str] = []
    for name, kind, data in cases(n, seed):
        start = time.perf_counter()
        outcome, message = check_case(kind, data, tmp_path / f"case.{kind}.toml")
        elapsed = time.perf_counter() - start
        kinds[outcome] += 1
        if outcome == "bug":
            bugs.append(f"{name} ({kind}, {len(data)} bytes): {message}")
        if elapsed > HANG_GUARD_S:
            slow.append(f"{name} ({kind}, {len(data)} bytes): {elapsed:.1f} s")
    assert not bugs, f"{len(bugs)} of {n} cases escaped (seed {seed}):\n" + "\n".join(bugs[:10])
    assert not slow, f"{len(slow)} cases took over {HANG_GUARD_S} s:\n" + "\n".join(slow[:10])
    # The fuzzer reaches both outcomes: it is not only feeding garbage.
    assert kinds["ok"] > n // 50 and kinds["error"] > n // 2, kinds
