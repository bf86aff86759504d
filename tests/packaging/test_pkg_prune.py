"""packaging/prune.py: keep what pyqtgraph needs, drop the rest and what only it needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import prune  # noqa: E402

PYQTGRAPH_QT = {"QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets", "QtSvg", "QtTest"}


def test_keeps_the_qt_modules_pyqtgraph_imports() -> None:
    assert PYQTGRAPH_QT <= prune.KEEP_QT_MODULES
    excluded = set(prune.EXCLUDES)
    for module in PYQTGRAPH_QT:
        assert f"PySide6.{module}" not in excluded
    assert "PySide6.QtNetwork" in excluded and "PySide6.QtQml" in excluded
    for kept in ("pydoc", "unittest", "numpy", "pyqtgraph", "rsiviz"):
        assert kept not in excluded
    assert "tkinter" in excluded


def test_excludes_nothing_that_the_window_imports() -> None:
    """Import pyqtgraph and the main window in a fresh interpreter: no module it loads is excluded."""
    code = (
        "import json, sys\n"
        "import pyqtgraph\n"
        "import rsiviz.gui.main_window, rsiviz.gui.app, rsiviz.gui.selftest\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    excluded = set(prune.EXCLUDES)
    hit = {m for m in loaded if m in excluded or any(m.startswith(e + ".") for e in excluded)}
    assert not hit, f"excluded but imported: {sorted(hit)}"
    qt = {m.split(".")[1] for m in loaded if m.startswith("PySide6.Qt")}
    assert qt <= prune.KEEP_QT_MODULES


def test_plugin_rules_on_every_platform_layout() -> None:
    keep = prune.keep_plugin
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so") is True
    assert keep("PySide6/Qt/plugins/platforms/libqoffscreen.so") is True
    assert keep("PySide6/Qt/plugins/platforms/libqwayland-egl.so") is False
    assert keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so") is False
    assert keep("PySide6/Qt/plugins/tls/libqopensslbackend.so") is False
    assert keep("PySide6\\plugins\\platforms\\qwindows.dll") is True  # Windows layout
    assert keep("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll") is True
    assert keep("PySide6/Qt/plugins/platforms/libqcocoa.dylib") is True  # macOS
    assert keep("PySide6/Qt/plugins/imageformats/libqsvg.dylib") is True
    assert keep("PySide6/Qt/plugins/imageformats/libqtiff.so") is False
    assert keep("PySide6/Qt/lib/libQt6Core.so.6") is None  # not a plugin
    assert prune.is_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert prune.is_translation("PySide6\\translations\\qtbase_de.qm")
    assert not prune.is_translation("resources/data/README.md")


def _fake_analysis() -> tuple[SimpleNamespace, dict[str, list[str]]]:
    qt = "PySide6/Qt/"
    binaries = [
        ("PySide6/QtCore.abi3.so", "src/QtCore.abi3.so", "EXTENSION"),
        (qt + "lib/libQt6Core.so.6", "src/libQt6Core.so.6", "BINARY"),
        (qt + "lib/libQt6DBus.so.6", "src/libQt6DBus.so.6", "BINARY"),
        (qt + "lib/libQt6XcbQpa.so.6", "src/libQt6XcbQpa.so.6", "BINARY"),
        (qt + "lib/libQt6Network.so.6", "src/libQt6Network.so.6", "BINARY"),
        (qt + "plugins/platforms/libqxcb.so", "src/libqxcb.so", "BINARY"),
        (qt + "plugins/platformthemes/libqgtk3.so", "src/libqgtk3.so", "BINARY"),
        (qt + "plugins/tls/libqopensslbackend.so", "src/libqopensslbackend.so", "BINARY"),
        ("libgtk-3.so.0", "src/libgtk-3.so.0", "BINARY"),
        ("libglib-2.0.so.0", "src/libglib-2.0.so.0", "BINARY"),
        ("libpython3.12.so.1.0", "src/libpython3.12.so.1.0", "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    datas = [
        (qt + "translations/qtbase_de.qm", "src/qtbase_de.qm", "DATA"),
        ("resources/scenarios/a.toml", "src/a.toml", "DATA"),
    ]
    imports = {
        "src/QtCore.abi3.so": ["libQt6Core.so.6"],
        "src/libQt6XcbQpa.so.6": ["libQt6Core.so.6", "libQt6DBus.so.6", "libglib-2.0.so.0"],
        "src/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Core.so.6"],
        "src/libqgtk3.so": ["libgtk-3.so.0", "libglib-2.0.so.0", "libQt6Core.so.6"],
        "src/libqopensslbackend.so": ["libQt6Network.so.6", "libQt6Core.so.6"],
        "src/libQt6Network.so.6": ["libQt6Core.so.6"],
        "src/libgtk-3.so.0": ["libglib-2.0.so.0", "libpython3.12.so.1.0"],
    }
    return SimpleNamespace(binaries=binaries, datas=datas), imports


def test_prune_drops_plugins_translations_and_their_orphans() -> None:
    analysis, imports = _fake_analysis()
    stats = prune.prune(analysis, imports_of=lambda src: imports.get(src, []), log=False)
    kept = {dest for dest, _src, _kind in analysis.binaries + analysis.datas}
    assert "PySide6/Qt/plugins/platformthemes/libqgtk3.so" not in kept
    assert "PySide6/Qt/plugins/tls/libqopensslbackend.so" not in kept
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept
    assert "libgtk-3.so.0" not in kept  # needed by the gtk3 theme only
    assert "PySide6/Qt/lib/libQt6Network.so.6" not in kept  # by the tls plugin only
    assert "libQt6Network.so.6" not in kept  # and its symlink
    for needed in (
        "PySide6/QtCore.abi3.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",  # the xcb platform plugin links it
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libglib-2.0.so.0",  # also needed by a kept library
        "libpython3.12.so.1.0",  # loaded by the bootloader, never "orphaned"
        "resources/scenarios/a.toml",
    ):
        assert needed in kept, needed
    assert stats["files"] == 6  # 2 plugins, 1 translation, 2 orphans, 1 symlink


def test_windows_import_names_match_case_insensitively() -> None:
    binaries = [
        ("PySide6/QtCore.pyd", "src/QtCore.pyd", "EXTENSION"),
        ("PySide6/Qt6Core.dll", "src/Qt6Core.dll", "BINARY"),
        ("PySide6/Qt6Network.dll", "src/Qt6Network.dll", "BINARY"),
        ("PySide6/plugins/tls/qschannelbackend.dll", "src/qschannelbackend.dll", "BINARY"),
        ("python312.dll", "src/python312.dll", "BINARY"),
    ]
    imports = {
        "src/QtCore.pyd": ["QT6CORE.dll", "python3.dll"],
        "src/qschannelbackend.dll": ["Qt6Network.DLL", "Qt6Core.dll"],
        "src/Qt6Network.dll": ["Qt6Core.dll", "python312.dll"],
    }
    analysis = SimpleNamespace(binaries=binaries, datas=[])
    prune.prune(analysis, imports_of=lambda src: imports.get(src, []), log=False)
    kept = {dest for dest, _src, _kind in analysis.binaries}
    assert kept == {"PySide6/QtCore.pyd", "PySide6/Qt6Core.dll", "python312.dll"}


def test_essentials_only() -> None:
    prune.check_essentials_only()  # this environment has PySide6-Essentials, no Addons


def test_strip_debug_only_touches_pyav_extensions(tmp_path: Path) -> None:
    """PyAV's Cython modules lose their DWARF sections (a copy; the venv is untouched);
    every other binary, numpy's included, keeps its original file."""
    import av
    import numpy

    # binutils (strip, readelf) come with .ci/setup's system packages
    core = Path(av.__file__).parent / "_core.abi3.so"
    other = next(Path(numpy.__file__).parent.glob("_core/_multiarray_umath*.so"))
    analysis = SimpleNamespace(
        binaries=[
            ("av/_core.abi3.so", str(core), "EXTENSION"),
            (f"numpy/_core/{other.name}", str(other), "EXTENSION"),
        ]
    )
    saved = prune.strip_debug(analysis, tmp_path, log=False)
    (av_dest, av_src, _), numpy_entry = analysis.binaries
    assert numpy_entry[1] == str(other)
    assert Path(av_src).parent == tmp_path / "av" and Path(av_src).exists()
    assert saved == core.stat().st_size - Path(av_src).stat().st_size > 0
    sections = subprocess.run(["readelf", "-S", av_src], capture_output=True, text=True).stdout
    assert ".debug_info" not in sections and ".dynsym" in sections
