"""``rsiviz export`` validates its options like the CLI: exit 2, one line, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--until", "nan"], "--until: 'nan' is not a plain number"),
        (["--until", "1e999"], "--until: '1e999' is out of range"),
        (["--duration", "-1"], "--duration: '-1' is out of range (allowed: 0.5 to 3600)"),
        (["--height", "0"], "--height: '0': expected a whole number from 16 to 8000"),
        (["--beat", "1_0"], "--beat: '1_0'"),
        (["--set", "years=1_0"], "'1_0' is not a plain number"),
    ],
)
def test_bad_export_options_exit_2_with_one_line(
    tmp_path: Path, extra: list[str], needle: str
) -> None:
    out = tmp_path / "run.csv"
    res = subprocess.run(
        [sys.executable, "-m", "rsiviz", "export", "--format", "csv", "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert res.returncode == 2, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert needle in res.stderr
    assert not out.exists()
