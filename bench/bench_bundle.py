"""Bundle budgets: rsiviz's frozen app against a bare pyqtgraph window (the floor).

    .venv-3.12/bin/python bench/bench_bundle.py [--build] [--runs N] [--check]

Both bundles come from the same spec logic (packaging/prune.py): dist/rsiviz
(build.spec) and build/bare/dist/bare (packaging/bare/bare.spec). A missing
bundle is built first; ``--build`` rebuilds both. Side by side, in one run:

* size on disk: the sum of the files' sizes (symlinks not followed)
* size as tar.xz: ``tar -c | xz -6 -T0`` of the bundle folder
* time to first paint: from just before the process is spawned to the first
  paintEvent of its main window (the app's hidden ``--time-to-first-paint FILE``
  writes the wall-clock time of that paint), median of ``--runs`` runs after
  one warm-up run each, alternating app and floor, offscreen platform.

Budgets (issue "packaging"): the app adds at most 15 MB to the floor, on disk
and as tar.xz, and starts in at most 1.5x the floor's time. ``--check`` exits
1 when a budget is missed; without it the table is only printed. Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "dist" / "rsiviz"
BARE_DIR = ROOT / "build" / "bare" / "dist" / "bare"
EXTRA_MB_BUDGET = 15.0
STARTUP_RATIO_BUDGET = 1.5
MB = 1e6


def build(spec: Path, extra: list[str]) -> float:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", *extra, str(spec)]
    print(f"[bench] building {spec.relative_to(ROOT)} ...", flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def size_on_disk(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def size_tar_xz(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bundle.tar.xz"
        tar = subprocess.Popen(
            ["tar", "-C", str(folder.parent), "-cf", "-", folder.name], stdout=subprocess.PIPE
        )
        with out.open("wb") as f:
            subprocess.run(["xz", "-6", "-T0", "-c"], stdin=tar.stdout, stdout=f, check=True)
        if tar.wait() != 0:
            raise RuntimeError(f"tar failed on {folder}")
        return out.stat().st_size


def first_paint(exe: Path) -> float:
    """Seconds from spawning ``exe`` to the first paint of its main window."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "paint.json"
        t0 = time.time()
        proc = subprocess.run(
            [str(exe), "--time-to-first-paint", str(out)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"{exe} --time-to-first-paint failed (exit {proc.returncode})")
        return float(json.loads(out.read_text())["paint_time"]) - t0


def measure(runs: int) -> dict[str, dict[str, float]]:
    bundles = {"floor": BARE_DIR / "bare", "rsiviz": APP_DIR / "rsiviz"}
    res: dict[str, dict[str, float]] = {}
    for name, exe in bundles.items():
        res[name] = {
            "disk_mb": size_on_disk(exe.parent) / MB,
            "xz_mb": size_tar_xz(exe.parent) / MB,
        }
        first_paint(exe)  # warm-up: page cache, font cache
    times: dict[str, list[float]] = {name: [] for name in bundles}
    for _ in range(runs):
        for name, exe in bundles.items():
            times[name].append(first_paint(exe))
    for name in bundles:
        res[name]["paint_s"] = statistics.median(times[name])
        res[name]["paint_min_s"] = min(times[name])
    return res


def report(res: dict[str, dict[str, float]], runs: int) -> list[str]:
    """Print the table; return the budgets missed."""
    floor, app = res["floor"], res["rsiviz"]
    rows = [
        ("size on disk (MB)", "disk_mb", f"+{EXTRA_MB_BUDGET:g} MB"),
        ("size as tar.xz (MB)", "xz_mb", f"+{EXTRA_MB_BUDGET:g} MB"),
        (f"first paint (s, median of {runs})", "paint_s", f"x{STARTUP_RATIO_BUDGET:g}"),
    ]
    missed = []
    print(f"\n{'metric':<30} {'floor':>9} {'rsiviz':>9} {'added':>9} {'budget':>9}  ok")
    for label, key, budget in rows:
        if key == "paint_s":
            added = f"x{app[key] / floor[key]:.2f}"
            ok = app[key] <= STARTUP_RATIO_BUDGET * floor[key]
            fmt = "{:>9.3f}"
        else:
            added = f"+{app[key] - floor[key]:.1f}"
            ok = app[key] - floor[key] <= EXTRA_MB_BUDGET
            fmt = "{:>9.1f}"
        print(
            f"{label:<30} {fmt.format(floor[key])} {fmt.format(app[key])} {added:>9} {budget:>9}  {'yes' if ok else 'NO'}"
        )
        if not ok:
            missed.append(label)
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="rebuild both bundles first")
    parser.add_argument("--runs", type=int, default=7, help="first-paint runs per bundle")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("bench_bundle measures the Linux bundles only")
        return 0
    if args.build or not (APP_DIR / "rsiviz").exists():
        build(ROOT / "build.spec", [])
    if args.build or not (BARE_DIR / "bare").exists():
        bare = [
            "--distpath",
            str(BARE_DIR.parent),
            "--workpath",
            str(ROOT / "build" / "bare" / "work"),
        ]
        build(ROOT / "packaging" / "bare" / "bare.spec", bare)
    res = measure(args.runs)
    missed = report(res, args.runs)
    out = ROOT / "build" / "bench" / "bundle.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"\n[bench] results: {out.relative_to(ROOT)}")
    if missed:
        print(f"[bench] budget missed: {', '.join(missed)}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
