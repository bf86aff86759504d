"""The macOS Info.plist entries for rsiviz.app (used by build.spec's BUNDLE).

File types (the same scheme as the Windows installer, see packaging/README.md):
scenario files are ``*.rsiviz`` and story files ``*.rsivizstory``, TOML inside
both. rsiviz exports a UTI for each and owns them (``LSHandlerRank`` Owner),
so a double-click opens them in rsiviz. Older files named ``*.toml`` /
``*.story.toml`` still open: rsiviz registers for TOML only as an *alternate*
handler (it shows up in "Open With" and accepts drops on its Dock icon, but
never becomes the default app for every ``.toml``).
"""

from __future__ import annotations

from typing import Any

BUNDLE_ID = "org.rsiviz.rsiviz"
# PySide6 6.12 wheels are built for macOS 14+ (6.11: 13+); one floor for both.
MIN_MACOS = "14.0"
# No system UTI exists for TOML on macOS 14, so the app imports one (an
# imported declaration yields to any exported one another app may provide).
TOML_UTI = "io.toml.toml"
# rsiviz's own document types: (UTI, description, extension, role).
DOCUMENT_TYPES = (
    ("org.rsiviz.scenario", "rsiviz scenario", "rsiviz", "Editor"),
    ("org.rsiviz.story", "rsiviz story", "rsivizstory", "Viewer"),
)


def _own_types() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """CFBundleDocumentTypes and UTExportedTypeDeclarations entries of rsiviz's own files."""
    docs, utis = [], []
    for uti, name, ext, role in DOCUMENT_TYPES:
        docs.append(
            {
                "CFBundleTypeName": name,
                "CFBundleTypeRole": role,
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [uti],
                "CFBundleTypeIconFile": "rsiviz.icns",
            }
        )
        utis.append(
            {
                "UTTypeIdentifier": uti,
                "UTTypeDescription": name,
                "UTTypeConformsTo": ["public.plain-text"],  # TOML: readable in any editor
                "UTTypeTagSpecification": {"public.filename-extension": [ext]},
            }
        )
    return docs, utis


def info_plist(version: str) -> dict[str, Any]:
    """Info.plist keys for the bundle of rsiviz ``version`` (e.g. "0.1.0")."""
    own_docs, own_utis = _own_types()
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
            *own_docs,
            {
                "CFBundleTypeName": "rsiviz scenario or story (TOML)",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": [TOML_UTI],
                "CFBundleTypeIconFile": "rsiviz.icns",
            },
        ],
        "UTExportedTypeDeclarations": own_utis,
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
