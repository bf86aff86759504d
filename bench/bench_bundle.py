"""Bundle budgets: rsiviz's frozen app against a bare pyqtgraph window (the floor).

    .venv-3.12/bin/python bench/bench_bundle.py [--build] [--runs N] [--check]

Both bundles come from the same spec logic (packaging/prune.py): dist/rsiviz
(build.spec) and build/bare/dist/bare (packaging/bare/bare.spec). A missing
bundle is built first; ``--build`` rebuilds both. Side by side, in one run:

* size on disk: the sum of the files' sizes (symlinks not followed)
* size as tar.xz: ``tar -c | xz -6 -T0`` of the bundle folder
* the video encoder's share (PyAV: ``av/`` and ``av.libs/`` in the bundle, see
  :data:`ENCODER_DIRS`): its files' size, and how much smaller the app's
  tar.xz is without them
* time to first paint: from just before the process is spawned to the first
  paintEvent of its main window (the app's hidden ``--time-to-first-paint FILE``
  writes the wall-clock time of that paint), median of ``--runs`` runs after
  one warm-up run each, alternating app and floor, offscreen platform, each with an
  empty settings folder (a new user's first start). CI takes 15 runs: the ratio of
  two medians moves by about 0.1 between runs of 5 on a shared machine.

Budgets (issue 13): the app without its video encoder adds at most 15 MB to
the floor, on disk and as tar.xz; the encoder adds at most 100 MB on disk and
35 MB as tar.xz; the app starts in at most 1.5x the floor's time. ``--check``
exits 1 when a budget is missed (or when no encoder is found in the bundle);
without it the table is only printed. Linux only. .ci/run runs it (phase
``bundle``); the README's bundle numbers come from that run.
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
ENCODER_DISK_MB_BUDGET = 100.0
ENCODER_XZ_MB_BUDGET = 35.0
# Top-level folders of the bundle's _internal/ that make up the video encoder: PyAV's
# modules and the FFmpeg libraries its wheel carries (av.libs on Linux and Windows,
# av/.dylibs on macOS); imageio_ffmpeg would be the static-binary alternative.
ENCODER_DIRS = ("av", "av.libs", "imageio_ffmpeg")
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
    if not folder.exists():
        return 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def encoder_dirs(bundle: Path) -> list[Path]:
    """The video encoder's folders inside a one-folder bundle (may be empty)."""
    internal = bundle / "_internal"
    return [internal / name for name in ENCODER_DIRS if (internal / name).is_dir()]


def size_tar_xz(folder: Path, exclude: list[Path] = ()) -> int:
    """Bytes of ``tar -c folder | xz -6``, leaving out the ``exclude`` folders in it."""
    skip = [f"--exclude={folder.name}/{p.relative_to(folder).as_posix()}" for p in exclude]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bundle.tar.xz"
        tar = subprocess.Popen(
            ["tar", "-C", str(folder.parent), *skip, "-cf", "-", folder.name],
            stdout=subprocess.PIPE,
        )
        with out.open("wb") as f:
            subprocess.run(["xz", "-6", "-T0", "-c"], stdin=tar.stdout, stdout=f, check=True)
        if tar.wait() != 0:
            raise RuntimeError(f"tar failed on {folder}")
        return out.stat().st_size


def first_paint(exe: Path) -> float:
    """Seconds from spawning ``exe`` to the first paint of its main window."""
    with tempfile.TemporaryDirectory() as tmp:
        # A new user's first start: no saved layout or session (a layout saved by an earlier
        # run on this machine could open views and time them too), the same for both.
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            XDG_CONFIG_HOME=str(Path(tmp) / "config"),
            RSIVIZ_DATA_DIR=str(Path(tmp) / "data"),
        )
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
    enc = encoder_dirs(APP_DIR)
    res["encoder"] = {
        "disk_mb": sum(size_on_disk(d) for d in enc) / MB,
        "xz_mb": res["rsiviz"]["xz_mb"] - size_tar_xz(APP_DIR, enc) / MB,
        "dirs": len(enc),
    }
    res["app_without_encoder"] = {
        key: res["rsiviz"][key] - res["encoder"][key] for key in ("disk_mb", "xz_mb")
    }
    res["times"] = {name: [] for name in bundles}  # type: ignore[assignment]
    time_paints(res, runs)
    return res


def time_paints(res: dict, runs: int) -> None:
    """``runs`` more first paints of each bundle, alternating; medians over all so far."""
    bundles = {"floor": BARE_DIR / "bare", "rsiviz": APP_DIR / "rsiviz"}
    times = res["times"]
    for _ in range(runs):
        for name, exe in bundles.items():
            times[name].append(first_paint(exe))
    for name in bundles:
        res[name]["paint_s"] = statistics.median(times[name])
        res[name]["paint_min_s"] = min(times[name])


def _row(label: str, values: list[float], added: str, budget: str, ok: bool) -> None:
    cells = " ".join(f"{v:>9.3f}" if v < 10 else f"{v:>9.1f}" for v in values)
    print(f"{label:<34} {cells} {added:>9} {budget:>9}  {'yes' if ok else 'NO'}")


def report(res: dict[str, dict[str, float]], runs: int) -> list[str]:
    """Print the table; return the budgets missed."""
    floor, app, enc = res["floor"], res["rsiviz"], res["encoder"]
    bare_app = res["app_without_encoder"]
    missed = []
    print("\nbase: the floor (app rows), the app without encoder (encoder rows)")
    print(f"{'metric':<34} {'base':>9} {'measured':>9} {'added':>9} {'budget':>9}  ok")
    for unit, key in (("on disk", "disk_mb"), ("as tar.xz", "xz_mb")):
        extra = bare_app[key] - floor[key]
        ok = extra <= EXTRA_MB_BUDGET
        label = f"app without encoder, {unit} (MB)"
        _row(label, [floor[key], bare_app[key]], f"+{extra:.1f}", f"+{EXTRA_MB_BUDGET:g}", ok)
        if not ok:
            missed.append(label)
    for unit, key, budget in (
        ("on disk", "disk_mb", ENCODER_DISK_MB_BUDGET),
        ("as tar.xz", "xz_mb", ENCODER_XZ_MB_BUDGET),
    ):
        ok = 0 < enc[key] <= budget  # no encoder at all: video export cannot work
        label = f"video encoder, {unit} (MB)"
        _row(label, [bare_app[key], app[key]], f"+{enc[key]:.1f}", f"+{budget:g}", ok)
        if not ok:
            missed.append(label)
    ratio = app["paint_s"] / floor["paint_s"]
    ok = ratio <= STARTUP_RATIO_BUDGET
    label = f"first paint (s, median of {runs})"
    _row(
        label, [floor["paint_s"], app["paint_s"]], f"x{ratio:.2f}", f"x{STARTUP_RATIO_BUDGET:g}", ok
    )
    if not ok:
        missed.append(label)
    print(f"{'whole app (MB): on disk, tar.xz':<34} {app['disk_mb']:>9.1f} {app['xz_mb']:>9.1f}")
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
