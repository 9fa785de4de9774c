#!/usr/bin/env bash
# Puts the SARIF 2.1.0 JSON schema (OASIS, final "rtm.5" text, draft-04) at
# DIR/sarif-schema-2.1.0.json, taken at test time from an npm package that
# ships it (Microsoft's jest-sarif, MIT), never from this repository. npm
# checks the tarball against the registry's integrity hash; the schema's own
# SHA-256 is pinned here, so a different file is refused. Nothing is done
# when DIR already holds it.
set -euo pipefail
dir=${1:?usage: fetch-schema.sh DIR}
pkg=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json
sha=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
out=$dir/sarif-schema-2.1.0.json

if [ -f "$out" ] && echo "$sha  $out" | sha256sum -c --quiet 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-schema.sh: npm is needed (scripts/debian-packages.txt)" >&2; exit 1; }
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent --cache "$tmp/cache" "$pkg" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" "$member"
echo "$sha  $tmp/$member" | sha256sum -c --quiet
mv "$tmp/$member" "$out"
