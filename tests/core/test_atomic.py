"""Atomic writes: a save killed at any moment leaves the previous file whole."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from rsiviz.core.atomic import (
    STALE_SECONDS,
    atomic_path,
    atomic_save,
    atomic_write_text,
    clean_stale,
    is_temporary,
)
from rsiviz.core.scenario import load_preset, load_scenario, save_scenario, scenario_to_text
from tests.core.killing import kill_repeatedly, temporaries

KILLS = 40

# Saves two different scenarios in turn until killed (see tests/core/killing.py).
WRITER = """
import os, sys
from dataclasses import replace
from rsiviz.core.scenario import load_preset, save_scenario
target = sys.argv[1]
a = replace(load_preset("race_one_lab_defects"), description="A" * 9000)
b = replace(load_preset("if_then_pause"), description="B" * 9000)
save_scenario(a, target)
def write_forever():
    while True:
        save_scenario(b, target)
        save_scenario(a, target)
"""


def _age(folder: Path, seconds: float) -> None:
    """Make every temporary look ``seconds`` old (as if the user saved again later)."""
    for name in temporaries(folder):
        then = time.time() - seconds
        os.utime(folder / name, (then, then))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_mid_save_never_destroys_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "talk.toml"

    def check(path: Path) -> None:
        loaded = load_scenario(path)  # whole and parseable: one of the two scenarios
        assert loaded.description in ("A" * 9000, "B" * 9000)

    left_behind = kill_repeatedly(WRITER, target, check, KILLS, (0.002, 0.03))
    # Most kills land inside a save (a temporary exists for most of the loop): the test
    # really exercised the window it guards.
    assert left_behind > KILLS // 4
    _age(tmp_path, STALE_SECONDS + 1)
    save_scenario(load_preset("status_quo"), target)
    assert temporaries(tmp_path) == []
    assert load_scenario(target).name == load_preset("status_quo").name


def test_failure_inside_the_block_keeps_the_target_and_removes_the_temporary(
    tmp_path: Path,
) -> None:
    target = tmp_path / "data.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("encoder died")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_temporary_sits_beside_the_target_keeps_the_suffix_and_permissions(
    tmp_path: Path,
) -> None:
    target = tmp_path / "talk.mp4"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".mp4" and is_temporary(tmp.name)
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_young_temporaries_are_kept_old_ones_removed(tmp_path: Path) -> None:
    young = tmp_path / ".a.csv.rsiviz-tmp-0000aaaa.csv"
    old = tmp_path / ".b.csv.rsiviz-tmp-0000bbbb.csv"
    other = tmp_path / ".hidden-but-not-ours"
    for p in (young, old, other):
        p.write_text("x")
    then = time.time() - STALE_SECONDS - 5
    os.utime(old, (then, then))
    assert clean_stale(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([young.name, other.name])


def test_writer_reporting_failure_raises_the_callers_error(tmp_path: Path) -> None:
    class ExportError(RuntimeError):
        pass

    target = tmp_path / "slide.png"
    with pytest.raises(ExportError, match="could not write the PNG to .*slide.png"):
        atomic_save(target, lambda tmp: False, ExportError, "the PNG")
    assert list(tmp_path.iterdir()) == []


def test_devices_and_folders_are_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write_text(tmp_path / "folder", "x")
    if os.path.exists("/dev/null"):
        with pytest.raises(OSError, match="not a regular file"):
            atomic_write_text("/dev/null", "x")


def test_symlink_is_kept_and_its_file_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    link = tmp_path / "link.toml"
    save_scenario(load_preset("status_quo"), real)
    link.symlink_to(real)
    save_scenario(load_preset("slow_takeoff"), link)
    assert link.is_symlink()
    assert real.read_text() == scenario_to_text(load_preset("slow_takeoff"))
