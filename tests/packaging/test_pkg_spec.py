"""build.spec, bare.spec and the macOS Info.plist: parse, and hold the required settings."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "build.spec"
BARE_SPEC = REPO / "packaging" / "bare" / "bare.spec"

sys.path.insert(0, str(REPO / "packaging"))
from macos.info_plist import MIN_MACOS, info_plist  # noqa: E402


def _calls(tree: ast.AST) -> dict[str, list[ast.Call]]:
    out: dict[str, list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            out.setdefault(node.func.id, []).append(node)
    return out


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


@pytest.mark.parametrize("spec", [SPEC, BARE_SPEC], ids=["build.spec", "bare.spec"])
def test_spec_is_python_and_never_strips_or_upx(spec: Path) -> None:
    tree = ast.parse(spec.read_text(encoding="utf-8"), filename=str(spec))
    calls = _calls(tree)
    for name in ("Analysis", "EXE", "COLLECT"):
        assert calls.get(name), f"{spec.name}: no {name}(...)"
    for name in ("EXE", "COLLECT"):
        for call in calls[name]:
            for flag in ("strip", "upx"):
                value = _kw(call, flag)
                assert isinstance(value, ast.Constant) and value.value is False, (
                    f"{spec.name}: {name}({flag}=...) must be False (strip breaks numpy's OpenBLAS)"
                )
    exe = calls["EXE"][0]
    assert isinstance(_kw(exe, "console"), ast.Constant) and _kw(exe, "console").value is False
    assert isinstance(_kw(exe, "exclude_binaries"), ast.Constant)  # one-folder
    text = spec.read_text(encoding="utf-8")
    assert "excludes=prune.EXCLUDES" in text and "prune.prune(a)" in text


def test_build_spec_bundles_resources_metadata_and_reads_the_version() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in text
    assert 'copy_metadata("rsiviz")' in text
    assert "tomllib" in text and '["project"]["version"]' in text
    assert "launch.py" in text
    assert "BUNDLE(" in text and "info_plist=info_plist(VERSION)" in text
    # Essentials only: no Addons module is named anywhere
    for addon in ("PySide6-Addons", "QtWebEngine", "QtMultimedia", "Qt3D", "QtCharts"):
        assert addon not in text


def test_launch_script_calls_the_package_main() -> None:
    text = (REPO / "packaging" / "launch.py").read_text(encoding="utf-8")
    assert "from rsiviz.__main__ import main" in text


def test_info_plist() -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    plist = info_plist(version)
    assert plist["CFBundleShortVersionString"] == version
    assert plist["LSMinimumSystemVersion"] == MIN_MACOS == "14.0"
    assert plist["NSHighResolutionCapable"] is True
    scenario, story, toml = plist["CFBundleDocumentTypes"]
    assert toml["LSHandlerRank"] == "Alternate"  # never the default app for .toml
    (decl,) = plist["UTImportedTypeDeclarations"]
    assert decl["UTTypeIdentifier"] == toml["LSItemContentTypes"][0]
    assert decl["UTTypeTagSpecification"]["public.filename-extension"] == ["toml"]
    # rsiviz owns its own extensions: a double-click opens them
    exported = {d["UTTypeIdentifier"]: d for d in plist["UTExportedTypeDeclarations"]}
    for doc, ext in ((scenario, "rsiviz"), (story, "rsivizstory")):
        assert doc["LSHandlerRank"] == "Owner"
        (uti,) = doc["LSItemContentTypes"]
        assert exported[uti]["UTTypeTagSpecification"]["public.filename-extension"] == [ext]


def test_info_plist_serialises() -> None:
    import plistlib

    data = plistlib.dumps(info_plist("0.1.0"))
    assert plistlib.loads(data)["CFBundleVersion"] == "0.1.0"
