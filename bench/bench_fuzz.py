"""Speed of the file fuzzer: cases per second and the slowest cases.

    python bench/bench_fuzz.py [--cases N] [--seed S] [--show K]

Runs the same cases as ``tests/core/test_fuzz_files.py`` (mutated shipped scenarios and
stories, generated TOML) through ``load_scenario`` / ``load_story`` on one core and prints
the outcomes, cases per second (wall clock, ``time.perf_counter``) and the K slowest cases.
It then times hand-built files at the limits (the slowest inputs the limits still let
through to the TOML parser, or refuse only after a scan). Nothing fails here: the test
asserts the outcomes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rsiviz.core.scenario import ScenarioError, scenario_from_text  # noqa: E402
from rsiviz.core.tomlfile import MAX_FILE_BYTES, MAX_ITEMS, MAX_RAW_TEXT  # noqa: E402
from tests.core.fuzz_cases import cases, check_case  # noqa: E402


def at_the_limits() -> dict[str, str]:
    """Files built to be as slow as the limits allow."""
    per = MAX_FILE_BYTES // MAX_ITEMS - 12
    continuation = "a\\\n" * (MAX_RAW_TEXT // 3 - 4)
    return {
        f"{MAX_ITEMS} keys of {per}-char strings": "".join(
            f'k{i} = "{"x" * per}"\n' for i in range(MAX_ITEMS)
        ),
        f"{MAX_ITEMS} tables": "".join(f"[t{i}]\n" for i in range(MAX_ITEMS)),
        "line continuations filling the file": "".join(
            f'k{i} = """{continuation}"""\n'
            for i in range(MAX_FILE_BYTES // (len(continuation) + 16))
        ),
        "20,000 [[pauses]] (refused by the item count)": "[[pauses]]\n" * 20_000,
        "key dotted 50,000 deep (refused by the scan)": ".".join(["k"] * 50_000) + " = 1",
        "arrays nested 600 deep (refused by the nesting scan)": "x = " + "[" * 600 + "]" * 600,
    }


def time_limits() -> None:
    print("files at the limits (best of 3):")
    for name, text in at_the_limits().items():
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                scenario_from_text(text)
                outcome = "loaded"
            except ScenarioError as exc:
                outcome = str(exc)[:70]
            best = min(best, time.perf_counter() - t0)
        print(f"  {best * 1e3:8.1f} ms  {name} ({len(text)} chars): {outcome}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    outcomes: Counter[str] = Counter()
    timings: list[tuple[float, str, int, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for name, kind, data in cases(args.cases, args.seed):
            t0 = time.perf_counter()
            outcome, message = check_case(kind, data, Path(tmp) / f"case.{kind}.toml")
            timings.append((time.perf_counter() - t0, name, len(data), message[:90]))
            outcomes[outcome] += 1
            if outcome == "bug" and outcomes["bug"] <= 5:
                print(f"BUG {name} ({kind}, {len(data)} bytes): {message}")
        total = time.perf_counter() - start
    print(
        f"{args.cases} cases (seed {args.seed}) in {total:.1f} s: {args.cases / total:.0f} cases/s"
    )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    timings.sort(reverse=True)
    print(f"median case {sorted(t[0] for t in timings)[len(timings) // 2] * 1e3:.2f} ms; slowest:")
    for elapsed, name, size, message in timings[: args.show]:
        print(f"  {elapsed * 1e3:8.1f} ms  {name} ({size} bytes)  {message}")
    time_limits()


if __name__ == "__main__":
    main()
