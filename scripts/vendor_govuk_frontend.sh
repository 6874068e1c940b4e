#!/usr/bin/env bash
# Vendors GOV.UK Frontend's precompiled CSS and JavaScript into static/govuk/.
#
#   bash scripts/vendor_govuk_frontend.sh            # the pinned version below
#   bash scripts/vendor_govuk_frontend.sh 5.x.y SHA256  # another version and its tarball's SHA-256
#
# Councilcase is not on GOV.UK, so it may use neither the GDS Transport font nor the crown.
# The precompiled stylesheet is edited here, reproducibly, to what the Sass build would give
# with `$govuk-font-family: arial, sans-serif` (which also drops the @font-face rules), and the
# crown copyright crest rules are removed. Afterwards the CSS refers to no /assets/ URL at all,
# so nothing is served at /assets and no font or crown image is shipped. See static/govuk/README.md.
set -euo pipefail

VERSION="${1:-5.14.0}"
# SHA-256 of govuk-frontend-5.14.0.tgz as published on the npm registry.
EXPECTED_SHA256="${2:-5a8469fd9fd9700a8dec8834f4053275710ac1dc12dda82a297a6e7884220569}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/govuk"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "govuk-frontend@${VERSION}" >/dev/null
TARBALL="govuk-frontend-${VERSION}.tgz"
ACTUAL_SHA256="$(sha256sum "$TARBALL" | cut -d' ' -f1)"
if [ "$ACTUAL_SHA256" != "$EXPECTED_SHA256" ]; then
  echo "SHA-256 mismatch for $TARBALL: expected $EXPECTED_SHA256, got $ACTUAL_SHA256" >&2
  exit 1
fi
tar -xzf "$TARBALL"
DIST="$WORK/package/dist/govuk"

mkdir -p "$DEST"
# CSS: no GDS Transport (font-family and @font-face), no crown copyright crest, no source map.
sed -E \
  -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' \
  -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,sans-serif/g' \
  -e 's/\.govuk-footer__copyright-logo:before\{[^}]*\}//g' \
  -e 's/@media screen and \(forced-colors:active\)\{\}//g' \
  -e 's/@supports \(\(-webkit-mask-position:initial\) or \(mask-position:initial\)\)\{\}//g' \
  -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' \
  "$DIST/govuk-frontend.min.css" >"$DEST/govuk-frontend.min.css"
# JavaScript (an ES module exporting initAll): unchanged but for the source map comment.
sed -E -e 's@//# sourceMappingURL=.*$@@' "$DIST/govuk-frontend.min.js" >"$DEST/govuk-frontend.min.js"

# Fail loudly if an edit above stopped matching (the minified output changed shape).
for pattern in 'GDS Transport' '/assets/' 'sourceMappingURL' 'copyright-logo' '{}'; do
  if grep -qF "$pattern" "$DEST/govuk-frontend.min.css"; then
    echo "The vendored CSS still contains '$pattern': update the edits in $0" >&2
    exit 1
  fi
done
if grep -qF 'sourceMappingURL' "$DEST/govuk-frontend.min.js"; then
  echo "The vendored JavaScript still names a source map: update the edits in $0" >&2
  exit 1
fi
if ! grep -qF "const version=\"${VERSION}\"" "$DEST/govuk-frontend.min.js"; then
  echo "govuk-frontend.min.js does not say it is version $VERSION" >&2
  exit 1
fi

cat >"$DEST/LICENSE.txt" <<'EOF'
GOV.UK Frontend: The MIT License (MIT)

Copyright (C) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
echo "$VERSION" >"$DEST/VERSION"
echo "Vendored govuk-frontend $VERSION into ${DEST#"$ROOT"/}"
