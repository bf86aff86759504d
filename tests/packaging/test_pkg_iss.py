"""The Inno Setup script: per-user, upgrade-clean, file types in HKCU."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ISS = REPO / "packaging" / "windows" / "rsiviz.iss"


def _sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(line)
    return out


def _setup() -> dict[str, str]:
    lines = _sections(ISS.read_text(encoding="utf-8"))["Setup"]
    return dict(line.split("=", 1) for line in lines)


def test_setup_directives() -> None:
    setup = _setup()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # never offer elevation
    assert setup["ChangesAssociations"] == "yes"
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["DefaultDirName"].startswith("{autopf}")
    # A fixed GUID ("{{" escapes the brace in Inno Setup)
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])


def test_version_must_be_defined() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert re.search(r"#ifndef AppVersion\s+#error", text)


def test_upgrade_removes_the_old_bundle_first() -> None:
    install_delete = _sections(ISS.read_text(encoding="utf-8"))["InstallDelete"]
    assert any("filesandordirs" in line and '"{app}\\_internal"' in line for line in install_delete)
    files = _sections(ISS.read_text(encoding="utf-8"))["Files"]
    assert any("recursesubdirs" in line for line in files)


def test_shortcut_and_file_types_are_per_user() -> None:
    sections = _sections(ISS.read_text(encoding="utf-8"))
    assert any(line.startswith('Name: "{autoprograms}') for line in sections["Icons"])
    registry = sections["Registry"]
    assert registry
    for line in registry:
        assert line.startswith("Root: HKCU;") and 'Subkey: "Software\\Classes\\' in line
    assert any(".toml\\OpenWithProgids" in line for line in registry)
    # the own extensions are the default program's (a double-click opens them)
    for ext, progid in ((".rsiviz", "ScenarioProgId"), (".rsivizstory", "StoryProgId")):
        assoc = f'Subkey: "Software\\Classes\\{ext}"; ValueType: string; ValueName: ""; '
        assert any(
            line.startswith(f'Root: HKCU; {assoc}ValueData: "{{#{progid}}}"') for line in registry
        )
        opens = f"Software\\Classes\\{{#{progid}}}\\shell\\open\\command"
        assert any(opens in line and '""%1""' in line for line in registry)
    # never the default program for every .toml
    assert not any('Subkey: "Software\\Classes\\.toml"; ' in line for line in registry)
    assert any("shell\\open\\command" in line and "%1" in line for line in registry)
