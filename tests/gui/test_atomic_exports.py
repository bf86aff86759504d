"""Every file the app writes is atomic: a write that fails half-way (an error injected into
the format's own writer, or at the last moment before the rename) leaves the previous file
byte for byte and no temporary behind; the CLI says so in one line and exits 2."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from rsiviz.core import atomic
from rsiviz.gui import exporters, handout
from rsiviz.gui.export_cli import main as export_main

PREVIOUS = b"the previous file, which must survive every failed write\n"
SMALL = {
    "png": ["--width", "320"],
    "svg": ["--width", "320"],
    "pdf": ["--width", "960"],
    "csv": [],
    "mp4": ["--width", "160", "--fps", "4", "--hold", "0.5"],
    "gif": ["--width", "160", "--fps", "4", "--hold", "0.5"],
}


def _export(tmp_path: Path, fmt: str, capsys) -> tuple[int, list[str], Path]:
    out = tmp_path / f"talk.{fmt}"
    out.write_bytes(PREVIOUS)
    args = ["--story", "rsi_clock", "--beat", "2", "--format", fmt, *SMALL[fmt]]
    code = export_main([*args, "--out", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if "error" in line], out


def _assert_untouched(out: Path) -> None:
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def _truncate_and_fail(path: str | Path) -> None:
    """What a full disk does half-way: the file is cut short and the write fails."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_fsync_of_temporaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The last moment: the temporary is complete, the rename has not happened."""
    real = atomic._fsync_path
    seen: list[str] = []

    def fsync(path: Path, directory: bool = False) -> None:
        if atomic.is_temporary(Path(path).name):
            seen.append(Path(path).name)
            raise OSError(errno.EIO, "Input/output error")
        real(path, directory)

    monkeypatch.setattr(atomic, "_fsync_path", fsync)
    return seen


@pytest.mark.parametrize("fmt", list(SMALL))
def test_failure_before_the_rename_keeps_the_previous_file(
    qapp, tmp_path: Path, capsys, monkeypatch, fmt: str
) -> None:
    seen = _fail_fsync_of_temporaries(monkeypatch)
    code, errors, out = _export(tmp_path, fmt, capsys)
    assert code == 2 and len(errors) == 1, errors
    assert "Input/output error" in errors[0] and str(out) in errors[0]
    assert seen and seen[0].startswith(f".{out.name}{atomic.TMP_MARK}")  # it went through it
    _assert_untouched(out)


def test_png_writer_failing_half_way(qapp, tmp_path: Path, capsys, monkeypatch) -> None:
    real_save = QImage.save

    def save(image: QImage, path: str, *args: object) -> bool:
        assert real_save(image, path, *args)
        data = Path(path).read_bytes()
        Path(path).write_bytes(data[: len(data) // 2])
        return False  # as Qt reports a disk that filled up mid-write

    monkeypatch.setattr(QImage, "save", save)
    code, errors, out = _export(tmp_path, "png", capsys)
    assert code == 2 and errors == [f"rsiviz export: error: could not write the PNG to {out}"]
    _assert_untouched(out)


def test_svg_writer_failing_half_way(qapp, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(exporters, "pixel_sized", lambda path, w, h: _truncate_and_fail(path))
    code, errors, out = _export(tmp_path, "svg", capsys)
    assert code == 2 and len(errors) == 1 and "No space left on device" in errors[0]
    _assert_untouched(out)


def test_pdf_writer_failing_on_page_two(qapp, tmp_path: Path, capsys, monkeypatch) -> None:
    real_page = handout._page
    pages: list[str] = []

    def page(painter, off, caption: str, note: str) -> None:
        pages.append(caption)
        if len(pages) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_page(painter, off, caption, note)

    monkeypatch.setattr(handout, "_page", page)
    code, errors, out = _export(tmp_path, "pdf", capsys)
    assert code == 2 and len(errors) == 1 and "could not write the PDF" in errors[0]
    assert len(pages) == 2
    _assert_untouched(out)


class _HalfFile:
    """A file whose write stores half of the data, then fails (a full disk)."""

    def __init__(self, path: Path, mode: str) -> None:
        self.fh = open(path, mode)  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> _HalfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def test_csv_writer_failing_half_way(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "open", _HalfFile, raising=False)
    code, errors, out = _export(tmp_path, "csv", capsys)
    assert code == 2 and len(errors) == 1 and "No space left on device" in errors[0]
    _assert_untouched(out)


def test_crash_log_failing_half_way_leaves_no_partial_log(tmp_path: Path, monkeypatch) -> None:
    from rsiviz.gui.crash import crash_dir, write_crash_log

    monkeypatch.setenv("RSIVIZ_DATA_DIR", str(tmp_path))
    try:
        raise ValueError("boom")
    except ValueError as exc:
        written = write_crash_log(ValueError, exc, exc.__traceback__, "name = 'x'\n")
    assert written is not None and "boom" in written.read_text(encoding="utf-8")
    monkeypatch.setattr(atomic, "open", _HalfFile, raising=False)
    try:
        raise ValueError("boom again")
    except ValueError as exc:
        assert write_crash_log(ValueError, exc, exc.__traceback__, "") is None
    assert [p.name for p in crash_dir().iterdir()] == [written.name]  # no half log, no temp


def test_screenshot_failing_half_way(qapp, tmp_path: Path, capsys, monkeypatch) -> None:
    from rsiviz.core.scenario import load_preset
    from rsiviz.gui.app import screenshot

    monkeypatch.setattr(QImage, "save", lambda image, path, *a: _truncate_and_fail(path))
    out = tmp_path / "shot.png"
    out.write_bytes(PREVIOUS)
    scenario = load_preset("status_quo")
    code = screenshot(scenario, str(out), (640, 400), 2027.0, "oom", "gap")
    err = capsys.readouterr().err
    assert code == 2 and err.strip().splitlines() == [
        f"rsiviz: error: could not write the screenshot to {out}: No space left on device"
    ]
    _assert_untouched(out)


def test_no_writer_left_that_bypasses_the_atomic_helpers() -> None:
    """A guard for new code: the app's own modules write files only through core/atomic."""
    import re

    root = Path(__file__).resolve().parents[2] / "rsiviz"
    direct = re.compile(
        r"\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?['\"]|QPdfWriter\(|"
        r"setFileName\(|av\.open\([^)]*['\"]w['\"]|QSaveFile\(|"
        r"\.save\((?!\)|str\(tmp\))"  # Qt's image writers: only ever to the temporary
    )
    allowed = {  # each writes to the temporary path that atomic_path / atomic_save gave it
        ("gui/handout.py", "QPdfWriter("),
        ("gui/exporters.py", "setFileName("),
        ("gui/svg_fix.py", ".write_text("),  # pixel_sized, on the SVG's temporary
        ("gui/avwriter.py", 'av.open(path, "w"'),
        ("core/offload.py", 'open(1, "wb"'),  # the worker process's stdout pipe, no file
    }
    found = set()
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel == "core/atomic.py":
            continue
        for match in direct.finditer(path.read_text(encoding="utf-8")):
            found.add((rel, match.group(0)))
    assert found - allowed == set()
