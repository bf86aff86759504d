"""The macOS Info.plist entries for rsiviz.app (used by build.spec's BUNDLE).

File types (the same scheme as the Windows installer, see packaging/README.md):
scenario files and story files are TOML. Scenarios are ``*.toml`` (like the
shipped presets), stories ``*.story.toml``. Neither macOS nor Windows matches
on a double extension, so both are one document type, keyed on ``.toml``; the
app tells a story from a scenario by the ``.story.toml`` suffix. Because
``.toml`` is a generic format (pyproject.toml, Cargo.toml...), rsiviz
registers as an *alternate* handler: it shows up in "Open With" and accepts
drops on its Dock icon, but never becomes the default app for TOML.
"""

from __future__ import annotations

from typing import Any

BUNDLE_ID = "org.rsiviz.rsiviz"
# PySide6 6.12 wheels are built for macOS 14+ (6.11: 13+); one floor for both.
MIN_MACOS = "14.0"
# No system UTI exists for TOML on macOS 14, so the app imports one (an
# imported declaration yields to any exported one another app may provide).
TOML_UTI = "io.toml.toml"


def info_plist(version: str) -> dict[str, Any]:
    """Info.plist keys for the bundle of rsiviz ``version`` (e.g. "0.1.0")."""
    return {
        "CFBundleName": "rsiviz",
        "CFBundleDisplayName": "rsiviz",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleDevelopmentRegion": "en",
        "LSMinimumSystemVersion": MIN_MACOS,
        "LSApplicationCategoryType": "public.app-category.education",
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": "rsiviz developers",
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "rsiviz scenario or story",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": [TOML_UTI],
                "CFBundleTypeIconFile": "rsiviz.icns",
            }
        ],
        "UTImportedTypeDeclarations": [
            {
                "UTTypeIdentifier": TOML_UTI,
                "UTTypeDescription": "TOML document",
                "UTTypeConformsTo": ["public.plain-text"],
                "UTTypeTagSpecification": {
                    "public.filename-extension": ["toml"],
                    "public.mime-type": ["application/toml"],
                },
            }
        ],
    }
