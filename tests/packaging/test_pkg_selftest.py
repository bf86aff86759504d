"""The self-test and the first-paint probe, run from source on the offscreen platform."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        # the window's QSettings must not touch the user's configuration
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "rsiviz", *args],
        capture_output=True, text=True, timeout=180, cwd=REPO, env=env,
    )  # fmt: skip


def test_self_test_passes_and_writes_its_report(tmp_path: Path) -> None:
    result = tmp_path / "out" / "selftest.json"
    proc = _run(["--self-test", "--self-test-result", str(result)], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(result.read_text(encoding="utf-8"))
    assert report["ok"] is True
    names = [c["name"] for c in report["checks"]]
    assert names == ["version", "resources", "simulation", "worker process", "window", "video"]
    assert all(c["ok"] for c in report["checks"])
    assert report["frozen"] is False
    png = Path(report["screenshot"])
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_first_paint_probe(tmp_path: Path) -> None:
    out = tmp_path / "paint.json"
    proc = _run(["--time-to-first-paint", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["paint_time"] > 0


def test_default_result_path_is_writable() -> None:
    from rsiviz.gui.selftest import default_result_path

    path = default_result_path()
    assert path.name == "rsiviz-selftest.json"
    assert os.access(path.parent, os.W_OK)


def test_a_failing_check_is_reported_not_raised(tmp_path: Path, monkeypatch) -> None:
    from rsiviz.gui import selftest

    def boom() -> str:
        raise RuntimeError("no presets")

    monkeypatch.setattr(selftest, "check_resources", boom)
    monkeypatch.setattr(selftest, "check_window", lambda png: "skipped")
    monkeypatch.setattr(selftest, "check_video", lambda mp4: "skipped")
    result = tmp_path / "r.json"
    assert selftest.run_self_test(str(result)) == 1
    report = json.loads(result.read_text(encoding="utf-8"))
    assert report["ok"] is False
    failed = [c for c in report["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["resources"]
    assert "no presets" in failed[0]["detail"]


def test_ci_package_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(REPO / ".ci" / "package")], check=True)


def test_a_bundle_without_video_fails_the_self_test(qapp, tmp_path: Path, monkeypatch) -> None:
    """No encoder (PyAV missing from a bundle): the video check fails with the reason. The
    export's worker process is what imports PyAV: a stand-in ``av`` first on its path
    fails to import there, as a bundle without PyAV would."""
    import av  # noqa: F401 (this process keeps the real one: the check decodes with it)

    from rsiviz.gui import selftest

    fake = tmp_path / "no-av"
    (fake / "av").mkdir(parents=True)
    (fake / "av" / "__init__.py").write_text(
        "raise ImportError(\"No module named 'av'\")\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(fake))  # the worker's PYTHONPATH is this process's path
    check = selftest._run("video", lambda: selftest.check_video(tmp_path / "v.mp4"))
    assert check["ok"] is False
    assert "needs PyAV" in check["detail"]
    assert not (tmp_path / "v.mp4").exists()


def test_video_check_decodes_the_mp4_it_wrote(qapp, tmp_path: Path) -> None:
    from rsiviz.gui import selftest

    detail = selftest.check_video(tmp_path / "v.mp4")
    frames = round(selftest.VIDEO_SECONDS * selftest.VIDEO_FPS)
    assert detail.startswith(f"{frames} frames h264 yuv420p 320x180")
    assert detail.endswith("encoded in a worker process")
