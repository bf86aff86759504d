"""Kill a writer with SIGKILL at random moments, many times, cheaply.

A helper process imports what it needs once, then for each "go" on its stdin forks a child
that writes the target over and over until it is killed; it prints the child's pid, then
"dead" once the test has killed it. (Forking keeps dozens of kills fast: no import per
kill.) The helper's code must end with :data:`FORK_LOOP`, calling ``write_forever()``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rsiviz.core.atomic import is_temporary

FORK_LOOP = """
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        write_forever()
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("dead", flush=True)
"""


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if is_temporary(p.name))


def kill_repeatedly(
    code: str,
    target: Path,
    check: Callable[[Path], None],
    kills: int,
    delay: tuple[float, float],
    seed: int = 12,
) -> int:
    """Run ``code`` (with ``sys.argv[1] = target``) and kill its writer ``kills`` times,
    each after a random ``delay`` (s); ``check(target)`` after each kill. Returns how many
    kills left a temporary behind (landed inside a write)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "OPENBLAS_NUM_THREADS": "1",  # a single-threaded helper forks safely
    }
    rng = random.Random(seed)
    left_behind = 0
    helper = subprocess.Popen(
        [sys.executable, "-c", code + FORK_LOOP, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert helper.stdin is not None and helper.stdout is not None
    try:
        for _ in range(kills):
            helper.stdin.write("go\n")
            helper.stdin.flush()
            pid = int(helper.stdout.readline())
            time.sleep(rng.uniform(*delay))
            os.kill(pid, signal.SIGKILL)
            assert helper.stdout.readline() == "dead\n"
            check(target)
            left_behind += bool(temporaries(target.parent))
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
        helper.stdout.close()
    return left_behind
