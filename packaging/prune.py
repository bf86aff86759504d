"""What the rsiviz bundle leaves out: shared by build.spec and packaging/bare/bare.spec.

Two steps, so the app and the bare-pyqtgraph floor it is measured against are
pruned by exactly the same rules:

1. :data:`EXCLUDES` (``Analysis(excludes=...)``): Python packages never imported
   at run time, and every PySide6 module except the ones pyqtgraph 0.14 imports
   unconditionally (:data:`KEEP_QT_MODULES`).
2. :func:`prune` (after ``Analysis``): Qt plugins the app does not use, Qt
   translations, and then every shared library that only the dropped files
   needed (found from the binaries' import tables, on every platform).

Never strip binaries (stripping breaks numpy's bundled OpenBLAS) and never use
UPX: both stay off in the specs. The one exception, :func:`strip_debug`: the
DWARF debug sections (only those) of PyAV's own Cython modules on Linux, 26 MB
the app never reads; the frozen self-test's MP4 export and decode proves the
stripped modules still load and work.

This module is plain Python (no PyInstaller import at module level) so that
the test suite can check its rules without building anything.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# What pyqtgraph 0.14 imports unconditionally (pyqtgraph/Qt/__init__.py and
# friends), plus what the app itself uses. Everything else in
# PySide6-Essentials is excluded.
KEEP_QT_MODULES: frozenset[str] = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets", "QtSvg", "QtTest"}
)

# Every Qt module PySide6-Essentials 6.11/6.12 ships, so that the exclusion
# list is the same on a machine where PySide6 is not importable (tests).
_ESSENTIALS_MODULES: tuple[str, ...] = (
    "QtConcurrent", "QtCore", "QtDBus", "QtDesigner", "QtGui", "QtHelp",
    "QtLabsStyleKit", "QtNetwork", "QtOpenGL", "QtOpenGLWidgets", "QtPrintSupport",
    "QtQml", "QtQmlFeatures", "QtQuick", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtSql", "QtSvg", "QtSvgWidgets", "QtTest", "QtUiTools",
    "QtWidgets", "QtXml",
)  # fmt: skip

# Python packages the frozen app never imports (the test/dev tools installed beside it,
# imageio_ffmpeg's 172 MB ffmpeg binary among them). pydoc stays (pyqtgraph's
# parametertree imports it at top level) and so does unittest (numpy.testing).
PYTHON_EXCLUDES: tuple[str, ...] = (
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "test",
    "distutils", "setuptools", "pkg_resources", "pip", "ensurepip", "venv",
    "matplotlib", "PIL", "IPython", "jupyter_client", "ipykernel", "scipy",
    "pandas", "h5py", "cupy", "imageio_ffmpeg", "OpenGL", "pyqtgraph.opengl",
    "pyqtgraph.examples",
    "PyQt5", "PyQt6", "PySide2", "pytest", "_pytest", "hypothesis", "pytestqt",
    "numpy.f2py", "numpy.distutils", "PySide6.scripts",
)  # fmt: skip


def check_essentials_only() -> None:
    """Refuse to build with the full PySide6 (Addons): the bundle is Essentials-only."""
    from importlib.metadata import PackageNotFoundError, distribution

    for name in ("PySide6-Addons", "PySide6"):
        try:
            distribution(name)
        except PackageNotFoundError:
            continue
        raise SystemExit(
            f"{name} is installed: rsiviz bundles PySide6-Essentials only "
            "(pip uninstall PySide6 PySide6-Addons)"
        )
    distribution("PySide6-Essentials")  # raises PackageNotFoundError when missing


def installed_qt_modules() -> list[str]:
    """Names of the Qt modules in the installed PySide6 (without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    names = set(_ESSENTIALS_MODULES)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for entry in os.listdir(folder):
            match = re.match(r"^(Qt\w+)\.(?:abi3\.so|pyd|.*\.so)$", entry)
            if match:
                names.add(match.group(1))
    return sorted(names)


def qt_excludes(modules: Iterable[str] | None = None) -> list[str]:
    """``PySide6.<Module>`` for every Qt module not in :data:`KEEP_QT_MODULES`."""
    found = installed_qt_modules() if modules is None else modules
    return [f"PySide6.{m}" for m in sorted(set(found) - KEEP_QT_MODULES)]


EXCLUDES: list[str] = [*PYTHON_EXCLUDES, *qt_excludes()]

# Qt plugins kept, by plugin folder -> file stems (without "lib" and the
# extension); "*" keeps the whole folder. Every other folder is dropped:
# platformthemes (gtk3 pulls in GTK, pango, cairo; xdgdesktopportal needs
# D-Bus), generic, egldeviceintegrations, wayland-*, tls, networkinformation,
# sqldrivers... The Linux bundle therefore runs on X11 (or XWayland) only.
KEEP_PLUGINS: dict[str, frozenset[str] | str] = {
    # xcb + offscreen (Linux; offscreen runs the frozen self-test in CI),
    # windows (Windows), cocoa (macOS)
    "platforms": frozenset({"qxcb", "qoffscreen", "qwindows", "qcocoa"}),
    "styles": "*",  # the native Windows 11 / macOS styles
    "iconengines": "*",  # SVG icons
    "imageformats": frozenset({"qsvg", "qico", "qjpeg", "qgif"}),
    "xcbglintegrations": "*",  # QOpenGLWidget on X11 (pyqtgraph's useOpenGL)
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin"}),
}

# Never dropped as "orphaned": the bootloader loads these by name, not via an
# import table (the Python library, the C/C++ runtimes).
_PROTECTED = re.compile(
    r"^(lib)?python\d|^python\d*\.dll$|^Python$|^vcruntime|^msvcp|^ucrtbase|^api-ms-win-|"
    r"^libffi|^libgcc_s|^libstdc\+\+",
    re.IGNORECASE,
)


def _key(path: str) -> str:
    return os.path.basename(path.replace("\\", "/")).lower()


def _posix(dest: str) -> PurePosixPath:
    return PurePosixPath(dest.replace("\\", "/"))


def _stem(name: str) -> str:
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def is_translation(dest: str) -> bool:
    """Qt's .qm translations (PySide6/Qt/translations on Linux/macOS, PySide6/translations on Windows)."""
    parts = _posix(dest).parts
    return len(parts) >= 2 and parts[0] == "PySide6" and "translations" in parts[1:3]


def keep_plugin(dest: str) -> bool | None:
    """True/False for a Qt plugin file (kept or not), None when ``dest`` is no Qt plugin."""
    parts = _posix(dest).parts
    if "plugins" not in parts or parts[0] != "PySide6":
        return None
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return None
    folder, filename = parts[i + 1], parts[-1]
    rule = KEEP_PLUGINS.get(folder)
    if rule is None:
        return False
    return rule == "*" or _stem(filename) in rule


def drop_entry(dest: str) -> bool:
    """Whether the rules alone drop this TOC destination (before the orphan sweep)."""
    if is_translation(dest):
        return True
    keep = keep_plugin(dest)
    return keep is False


def _framework(dest: str) -> str | None:
    """``qtnetwork`` for ``.../QtNetwork.framework/...`` (macOS), else None."""
    for part in _posix(dest).parts:
        if part.endswith(".framework"):
            return part[: -len(".framework")].lower()
    return None


ImportsOf = Callable[[str], Iterable[str]]


def _default_imports(src: str) -> list[str]:
    from PyInstaller.depend import bindepend

    try:
        found = bindepend.get_imports(src)
    except Exception:  # a file the platform tool cannot read: assume it needs nothing
        return []
    return [os.path.basename(name) for name, _path in found] + [
        os.path.basename(path) for _name, path in found if path
    ]


def orphans(
    kept: Iterable[tuple[str, str, str]],
    dropped: Iterable[tuple[str, str, str]],
    imports_of: ImportsOf,
) -> set[str]:
    """Basenames of libraries needed only by ``dropped`` binaries (transitively)."""
    # Names compare case-insensitively: PE import tables (Windows) do not keep
    # the files' case.
    kept = [e for e in kept if e[2] in ("BINARY", "EXTENSION")]
    by_name = {_key(e[0]): e for e in kept}
    # candidates: what the dropped binaries import, transitively, among the kept binaries
    candidates: set[str] = set()
    stack = [e[1] for e in dropped if e[2] in ("BINARY", "EXTENSION")]
    while stack:
        for name in map(_key, imports_of(stack.pop())):
            if name in by_name and name not in candidates:
                candidates.add(name)
                stack.append(by_name[name][1])
    # what every non-candidate kept binary needs, transitively
    needed: set[str] = set()
    seen: set[str] = set()
    todo = [e for e in kept if _key(e[0]) not in candidates]
    while todo:
        entry = todo.pop()
        if entry[0] in seen:
            continue
        seen.add(entry[0])
        for name in map(_key, imports_of(entry[1])):
            if name in by_name and name not in needed:
                needed.add(name)
                todo.append(by_name[name])
    return {n for n in candidates - needed if not _PROTECTED.search(n)}


def prune(
    analysis: object, imports_of: ImportsOf | None = None, log: bool = True
) -> dict[str, int]:
    """Drop unused Qt plugins, translations and orphaned libraries from an Analysis, in place.

    Returns ``{"files": n, "bytes": size}`` of what was removed.
    """
    imports_of = imports_of or _default_imports
    binaries = list(analysis.binaries)  # type: ignore[attr-defined]
    datas = list(analysis.datas)  # type: ignore[attr-defined]
    dropped = [e for e in binaries + datas if drop_entry(e[0])]
    kept_bins = [e for e in binaries if not drop_entry(e[0])]
    gone = orphans(kept_bins, dropped, imports_of)
    gone_frameworks = {n for n in gone if "." not in n}  # macOS: "qtnetwork"

    def removed(entry: tuple[str, str, str]) -> bool:
        if drop_entry(entry[0]):
            return True
        if _key(entry[0]) in gone:
            return True
        if entry[2] == "SYMLINK" and _key(str(entry[1])) in gone:
            return True
        return _framework(entry[0]) in gone_frameworks

    out = [e for e in binaries + datas if removed(e)]
    analysis.binaries[:] = [e for e in binaries if not removed(e)]  # type: ignore[attr-defined]
    analysis.datas[:] = [e for e in datas if not removed(e)]  # type: ignore[attr-defined]
    size = 0
    for entry in out:
        try:
            if entry[2] != "SYMLINK":
                size += Path(entry[1]).stat().st_size
        except OSError:
            pass
    if log:
        libs = sorted(gone)
        print(
            f"[prune] removed {len(out)} files, {size / 1e6:.1f} MB; orphaned libraries: {', '.join(libs) or 'none'}"
        )
    return {"files": len(out), "bytes": size}


# Packages whose own extension modules ship DWARF debug info that the app never reads
# (PyAV's Linux wheel: 32 MB of Cython modules, 6 MB without .debug_* sections). Only
# these, only on Linux, only --strip-debug: the libraries the wheels vendor (already
# stripped) and numpy's OpenBLAS are never touched.
STRIP_DEBUG_PACKAGES: tuple[str, ...] = ("av",)


def strip_debug(analysis: object, workdir: Path, log: bool = True) -> int:
    """Point the TOC of :data:`STRIP_DEBUG_PACKAGES`' extensions at debug-stripped copies.

    Copies go to ``workdir`` (the build folder); returns the bytes saved. Linux only
    (elsewhere, or without binutils' ``strip``, nothing changes).
    """
    import shutil
    import subprocess
    import sys

    tool = shutil.which("strip")
    if not sys.platform.startswith("linux") or tool is None:
        return 0
    saved, out = 0, []
    for dest, src, kind in analysis.binaries:  # type: ignore[attr-defined]
        top = _posix(dest).parts[0]
        if kind == "EXTENSION" and top in STRIP_DEBUG_PACKAGES:
            copy = workdir / dest
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy)
            subprocess.run([tool, "--strip-debug", str(copy)], check=True)
            saved += Path(src).stat().st_size - copy.stat().st_size
            src = str(copy)
        out.append((dest, src, kind))
    analysis.binaries[:] = out  # type: ignore[attr-defined]
    if log:
        print(
            f"[prune] debug sections stripped from {', '.join(STRIP_DEBUG_PACKAGES)}: {saved / 1e6:.1f} MB"
        )
    return saved
