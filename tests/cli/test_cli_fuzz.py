"""Fuzzing the CLI's options: every command line ends in exit 0 or exit 2 with one line.

400 random command lines run in-process (``run_cli``, fast) and 8 more as real
subprocesses (the exit path users see). Values mix good ones with NaN, infinities, digit
separators, negatives, huge numbers, empty strings, other scripts' digits and long text.
``RSIVIZ_FUZZ_SCALE`` multiplies both counts. A failure must not be the CLI's catch-all
("unexpected ..."): that line means an exception the code did not expect.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from rsiviz.cli.main import run_cli
from rsiviz.core.ensemble import METRICS
from rsiviz.core.params import PARAM_NAMES

IN_PROCESS = 400
SUBPROCESS = 8

NUMBERS = (
    "1",
    "2",
    "0",
    "-1",
    "-0",
    "2.5",
    "12",
    "50",
    "51",
    "2030",
    "2028.5",
    "1e3",
    "nan",
    "inf",
    "-inf",
    "1_0",
    "1e400",
    "0x10",
    "",
    " ",
    "9" * 30,
    "\u0967",
    "1,5",
    "+3",
    ".5",
    "5.",
)
SMALL_WHOLE = ("1", "3", "0", "-1", "1_0", "200001", "2.0", "", "x", "\u0967", "9" * 25)


def _value(rng: random.Random) -> str:
    return rng.choice(NUMBERS) if rng.random() < 0.85 else "z" * rng.choice((1, 70, 5000))


def _scenario_opts(rng: random.Random) -> list[str]:
    out: list[str] = []
    for _ in range(rng.randrange(4)):
        pick = rng.randrange(5)
        if pick == 0:
            out += ["--years", rng.choice(("1", "2", "3", "0", "nan", "1_0", "60", "-2"))]
        elif pick == 1:
            out += ["--set", f"{rng.choice(PARAM_NAMES + ('bogus', ''))}={_value(rng)}"]
        elif pick == 2:
            out += [
                "--pause",
                f"{_value(rng)}:{_value(rng)}" + rng.choice(("", ":gradual", ":x", ":")),
            ]
        elif pick == 3:
            names = ("status_quo", "race_one_lab_defects", "nope", "", "../x", "p" * 5000)
            out += ["--preset", rng.choice(names)]
        else:
            files = ("/dev/null", "/no/such.toml", "/", ".", "f" * 5000, "/dev/zero")
            out += ["--scenario", rng.choice(files)]
    return out


def command_line(rng: random.Random) -> list[str]:
    """One random command line (small sizes when valid, so it runs in milliseconds)."""
    cmd = rng.choice(("run", "ensemble", "sweep", "replicate", "params", "frobnicate", "--bogus"))
    args = [cmd]
    if cmd in ("run", "ensemble", "sweep"):
        args += ["--years", rng.choice(("1", "2"))] + _scenario_opts(rng)
    if cmd == "ensemble":
        args += ["--draws", rng.choice(SMALL_WHOLE), "--seed", rng.choice(SMALL_WHOLE)]
    if cmd == "sweep":
        name = rng.choice(PARAM_NAMES + ("bogus",))
        args += ["--x", f"{name}={_value(rng)}:{_value(rng)}:{rng.choice(SMALL_WHOLE)}"]
        args += ["--metric", rng.choice((*METRICS, "vibes")), "--level", _value(rng)]
    if cmd == "replicate":
        args += [rng.choice(("forethought", "other")), "--draws", rng.choice(SMALL_WHOLE)]
        args += ["--seed", rng.choice(SMALL_WHOLE)]
    if cmd in ("run", "ensemble", "sweep") and rng.random() < 0.3:
        args += ["--out", rng.choice(("-", "x.xlsx", "/no/such/dir/a.csv", ""))]
    if rng.random() < 0.1:
        args.insert(rng.randrange(len(args) + 1), rng.choice(("--", "-h", "--out", "--x")))
    return args


def _scale() -> float:
    return float(os.environ.get("RSIVIZ_FUZZ_SCALE", "1"))


def _check(code: int, out: str, err: str, args: list[str]) -> None:
    where = f"args {args!r:.300}"
    assert code in (0, 2), f"exit {code}: {err[-500:]} ({where})"
    assert "Traceback" not in err and "unexpected" not in err, f"{err[-500:]} ({where})"
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and len(lines[0]) <= 400, f"{err[:500]!r} ({where})"
    else:
        assert out.strip(), where


def test_cli_options_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(int(os.environ.get("RSIVIZ_FUZZ_SEED", "0")))
    codes = []
    for _ in range(round(IN_PROCESS * _scale())):
        args = command_line(rng)
        try:
            code = run_cli(args)
        except SystemExit as exc:  # -h / --help print the help and exit 0
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        _check(code, captured.out, captured.err, args)
        codes.append(code)
    assert codes.count(0) > len(codes) // 20 and codes.count(2) > len(codes) // 2


def test_cli_options_as_subprocesses() -> None:
    rng = random.Random(1000 + int(os.environ.get("RSIVIZ_FUZZ_SEED", "0")))
    for _ in range(round(SUBPROCESS * _scale())):
        args = command_line(rng)
        res = subprocess.run(
            [sys.executable, "-m", "rsiviz", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        _check(res.returncode, res.stdout, res.stderr, args)
