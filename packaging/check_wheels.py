"""Every pinned requirement has a wheel for the Windows and macOS builds (checked from Linux).

    .venv-3.12/bin/python packaging/check_wheels.py [--lock FILE ...] [--platform NAME ...]

The release workflow (.github/workflows/build.yml) installs requirements/lock.txt on
Windows x64, macOS arm64 (macos-14) and macOS x86_64 with Python 3.12. A pin that has no
wheel there (only an sdist, or wheels for other systems) breaks that build, far from here.
So for each target this evaluates the lock's environment markers as that machine would,
then asks pip to fetch exactly those pins as wheels for that platform:

    pip download --only-binary=:all: --no-deps --platform TAG --python-version 3.12 -d TMP

Nothing is installed; the wheels land in a temporary folder that is removed (pip's cache
keeps the next run fast, where it is enabled). The three targets download at the same
time. Exit 1, with one line per missing wheel, when any is missing.
Needs network access to the package index (or ``--pip-arg=--no-index --pip-arg=--find-links=DIR``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LOCKS = (ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "runtime.txt")
PYTHON = "3.12"


@dataclass(frozen=True)
class Target:
    """A machine the workflow builds on: pip platform tags and marker values."""

    name: str
    tags: tuple[str, ...]
    markers: dict[str, str]


def _env(sys_platform: str, system: str, machine: str, os_name: str) -> dict[str, str]:
    return {
        "python_version": PYTHON,
        "python_full_version": f"{PYTHON}.10",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "os_name": os_name,
    }


# macOS 14 is what the arm64 runner and LSMinimumSystemVersion (PySide6 6.12) need; pip
# also accepts wheels tagged for older macOS releases and universal2 for these tags.
TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("win_amd64", ("win_amd64",), _env("win32", "Windows", "AMD64", "nt")),
        Target("macos_arm64", ("macosx_14_0_arm64",), _env("darwin", "Darwin", "arm64", "posix")),
        Target(
            "macos_x86_64", ("macosx_14_0_x86_64",), _env("darwin", "Darwin", "x86_64", "posix")
        ),
    )
}


def pins(lock_text: str, target: Target) -> list[str]:
    """``name==version`` of every line in a lock file whose marker holds on ``target``."""
    found = []
    for line in lock_text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(target.markers):
            continue
        if len(req.specifier) != 1 or next(iter(req.specifier)).operator != "==":
            raise ValueError(f"{line!r} is not pinned with ==")
        found.append(f"{req.name}{req.specifier}")
    return found


def pip_command(target: Target, requirements: Path, dest: Path, extra: list[str]) -> list[str]:
    plats = [arg for tag in target.tags for arg in ("--platform", tag)]
    return [
        sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
        "--progress-bar", "off", "--only-binary=:all:", "--no-deps", *plats,
        "--python-version", PYTHON, "--implementation", "cp", "-d", str(dest),
        "-r", str(requirements), *extra,
    ]  # fmt: skip


_MISSING = re.compile(r"No matching distribution found for (\S+)")


def check(target: Target, wanted: list[str], extra: list[str]) -> list[str]:
    """The pins pip found no wheel for on ``target`` (empty: all there)."""
    missing: list[str] = []
    todo = list(wanted)
    with tempfile.TemporaryDirectory() as tmp:
        # pip stops at the first pin it cannot get: drop it and ask again for the rest
        while todo:
            req = Path(tmp, "req.txt")
            req.write_text("\n".join(todo) + "\n", encoding="utf-8")
            proc = subprocess.run(
                pip_command(target, req, Path(tmp, "wheels"), extra),
                capture_output=True,
                text=True,
            )
            if proc.returncode == 0:
                break
            match = _MISSING.search(proc.stderr)
            name = match.group(1) if match else None
            if name not in todo:
                tail = proc.stderr.strip().splitlines()[-1:] or ["no message"]
                raise RuntimeError(f"pip download failed for {target.name}: {tail[0]}")
            missing.append(name)
            todo.remove(name)
    return missing


def _check_one(name: str, locks: list[Path], extra: list[str]) -> tuple[list[str], str]:
    """(output lines, error or "") for one target."""
    target, t0 = TARGETS[name], time.perf_counter()
    wanted = sorted({pin for lock in locks for pin in pins(lock.read_text("utf-8"), target)})
    try:
        missing = check(target, wanted, extra)
    except RuntimeError as exc:
        return [], str(exc)
    lines = [
        f"[wheels] MISSING: {pin} has no wheel for {name} (Python {PYTHON})" for pin in missing
    ]
    status = "ok" if not missing else f"{len(missing)} missing"
    lines.append(
        f"[wheels] {name}: {len(wanted)} pins, {status} ({time.perf_counter() - t0:.0f} s)"
    )
    return lines, ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lock", action="append", type=Path, help="lock file(s) to check")
    p.add_argument("--platform", action="append", choices=sorted(TARGETS))
    p.add_argument("--pip-arg", action="append", default=[], help="passed on to pip")
    args = p.parse_args(argv)
    locks = args.lock or list(LOCKS)
    names = args.platform or list(TARGETS)
    # The downloads wait on the network, not the CPU: all targets at once.
    with ThreadPoolExecutor(len(names)) as pool:
        results = list(pool.map(lambda n: _check_one(n, locks, args.pip_arg), names))
    failed = False
    for lines, error in results:
        print("\n".join(lines) if not error else f"[wheels] ERROR: {error}")
        failed |= bool(error) or any("MISSING" in line for line in lines)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
