#!/usr/bin/env bash
# Usage: catalog.sh BUNDLE_DIR V1 V2 IMAGE WORK OPM
# Writes into WORK the lab's two bundle versions and their file-based catalog (FBC):
#   WORK/bundle-V1/  BUNDLE_DIR (as committed) with the operator's image set to IMAGE
#   WORK/bundle-V2/  the same as version V2, `replaces` V1 (the upgrade test's second version)
#   WORK/catalog/plainroute/catalog.json   package plainroute, channel candidate: V1 -> V2
# Both bundles are rendered by `opm render` of their directories, so the catalog carries their
# manifests (olm.bundle.object properties) and no bundle image reference: OLM installs them from the
# catalog without a bundle unpack Job, which could not run here (see hack/olm/README.md). The
# catalog is checked by `opm validate`; each bundle by the Operator Framework's validators.
set -euo pipefail
[ $# -eq 6 ] || { echo "usage: $0 BUNDLE_DIR V1 V2 IMAGE WORK OPM" >&2; exit 2; }
src=$1 v1=$2 v2=$3 image=$4 work=$5 opm=$6
here=$(cd "$(dirname "$0")" && pwd)
csv=manifests/plainroute.clusterserviceversion.yaml

# lab_bundle VERSION [REPLACES]
lab_bundle() {
  local v=$1 replaces=${2:-} dir="$work/bundle-$1"
  rm -rf "$dir" && cp -r "$src" "$dir" && rm -f "$dir/bundle.Dockerfile"
  # The release's image name (registry/plainroute:TAG) becomes the lab's local image.
  sed -i -E "s#(image: |containerImage: |value: )[a-z0-9.-]+(:[0-9]+)?/[a-z0-9./-]*plainroute:[A-Za-z0-9._-]+#\1$image#" "$dir/$csv"
  if [ "$v" != "$v1" ]; then
    sed -i -E -e "s/^  name: plainroute\.v$v1$/  name: plainroute.v$v/" -e "s/^  version: $v1$/  version: $v/" "$dir/$csv"
    [ -z "$replaces" ] || sed -i -E "s/^  version: $v$/  replaces: plainroute.v$replaces\n  version: $v/" "$dir/$csv"
  fi
  grep -q "^  version: $v$" "$dir/$csv" || { echo "$dir/$csv: spec.version is not $v" >&2; exit 1; }
  if grep -qE 'image: .*ghcr\.io|value: .*ghcr\.io' "$dir/$csv"; then
    echo "$dir/$csv: an image reference still names the release registry" >&2; exit 1
  fi
  local out
  out=$("$here/validate.sh" "$dir" 2>&1) || { echo "$out" >&2; exit 1; }
}
lab_bundle "$v1"
lab_bundle "$v2" "$v1"

mkdir -p "$work/catalog/plainroute"
{
  jq -n '{schema: "olm.package", name: "plainroute", defaultChannel: "candidate"}'
  jq -n --arg v1 "$v1" --arg v2 "$v2" '{schema: "olm.channel", package: "plainroute", name: "candidate",
    entries: [{name: ("plainroute.v" + $v1)}, {name: ("plainroute.v" + $v2), replaces: ("plainroute.v" + $v1)}]}'
  "$opm" render "$work/bundle-$v1" "$work/bundle-$v2" -o json
} >"$work/catalog/plainroute/catalog.json"
jq -e -s 'map(select(.schema == "olm.bundle")) | length == 2 and all(.properties | any(.type == "olm.bundle.object"))' \
  "$work/catalog/plainroute/catalog.json" >/dev/null \
  || { echo "opm render did not embed the bundles' manifests (olm.bundle.object)" >&2; exit 1; }
"$opm" validate "$work/catalog"
