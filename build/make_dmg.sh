#!/usr/bin/env bash
# macOS: put dist/bertdesk.app (made by build/build.sh) into a compressed disk image.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c "import bertdesk; print(bertdesk.__version__)")
stage=$(mktemp -d)
cp -R dist/bertdesk.app "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "bertdesk $version" -srcfolder "$stage" -ov -format UDZO "dist/bertdesk-$version-macos.dmg"
rm -rf "$stage"
ls -lh "dist/bertdesk-$version-macos.dmg"
