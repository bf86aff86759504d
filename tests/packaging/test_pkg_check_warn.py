"""packaging/check_warn.py: only new top-level missing modules of our stack fail a build."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import check_warn  # noqa: E402

SAMPLE = """
This file lists modules PyInstaller was not able to find.

missing module named nt - imported by shutil (conditional), os (delayed, conditional, optional)
missing module named numba - imported by pyqtgraph.util.numba_helper (delayed, conditional, optional), pyqtgraph.functions_numba (top-level)
missing module named pyqtgraph.PlotItem - imported by pyqtgraph (top-level), pyqtgraph.exporters.CSVExporter (top-level)
missing module named 'matplotlib.figure' - imported by pyqtgraph.widgets.MatplotlibWidget (top-level)
missing module named rsiviz_helper - imported by rsiviz.gui.plots (top-level)
missing module named somelib - imported by otherpkg (top-level)
missing module named lazylib - imported by pyqtgraph.something (delayed)
excluded module named PySide6.QtDBus - imported by PySide6.QtGui (top-level)
"""


def test_parse() -> None:
    entries = check_warn.parse(SAMPLE)
    names = [e.name for e in entries]
    assert names[:4] == ["nt", "numba", "pyqtgraph.PlotItem", "matplotlib.figure"]
    numba = entries[1]
    assert numba.top_level_by_watched() == ["pyqtgraph.functions_numba"]
    assert entries[-1].kind == "excluded"


def test_only_new_top_level_modules_of_the_stack_fail() -> None:
    entries = check_warn.parse(SAMPLE)
    patterns = check_warn.load_allowlist(check_warn.DEFAULT_ALLOWLIST)
    bad = check_warn.problems(entries, patterns)
    # numba, matplotlib.*, PySide6.QtDBus: allowlisted; pyqtgraph.PlotItem: an attribute;
    # somelib: not our stack; lazylib: not top-level; nt: not our stack
    assert [e.name for e in bad] == ["rsiviz_helper"]


def test_allowlist_has_reasons_and_the_platform_modules() -> None:
    text = check_warn.DEFAULT_ALLOWLIST.read_text(encoding="utf-8")
    patterns = check_warn.load_allowlist(check_warn.DEFAULT_ALLOWLIST)
    for name in ("nt", "winreg", "_winapi", "msvcrt", "_scproxy", "numba", "PySide6.QtDBus"):
        assert check_warn.allowed(name, patterns), name
    assert not check_warn.allowed("numpy", patterns)
    assert not check_warn.allowed("pyqtgraph.graphicsItems", patterns)
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and not line.rstrip().endswith(".*"):
            # every pattern but the wildcard twins explains itself
            assert "#" in line or line.strip() in ("OpenGL.*", "matplotlib.*", "java.*"), line


def test_main_exit_status(tmp_path: Path) -> None:
    warn = tmp_path / "warn.txt"
    warn.write_text(SAMPLE, encoding="utf-8")
    assert check_warn.main([str(warn)]) == 1
    allow = tmp_path / "allow.txt"
    allow.write_text(
        check_warn.DEFAULT_ALLOWLIST.read_text(encoding="utf-8") + "rsiviz_helper  # test\n",
        encoding="utf-8",
    )
    assert check_warn.main([str(warn), "--allowlist", str(allow)]) == 0
