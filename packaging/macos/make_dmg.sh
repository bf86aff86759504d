#!/usr/bin/env bash
# Make a compressed, drag-to-install disk image from the built .app (macOS only).
#
#   bash packaging/macos/make_dmg.sh dist/rsiviz.app dist/rsiviz-0.1.0-macos-arm64.dmg
#
# The image holds the app and a link to /Applications (hdiutil, UDZO = zlib).
set -euo pipefail
app=$1 dmg=$2
[[ -d $app ]] || { echo "no app bundle at $app" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# ditto keeps symlinks (Qt frameworks), permissions and extended attributes.
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "rsiviz" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "wrote $dmg"
