#!/usr/bin/env bash
# Linux: pack dist/bertdesk (made by build/build.sh) as a tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c "import bertdesk; print(bertdesk.__version__)")
out="dist/bertdesk-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$out" bertdesk
ls -lh "$out"
