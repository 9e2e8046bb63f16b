#!/usr/bin/env bash
# Builds OLM's operators (olm, catalog, copy-content, cpb) and `opm` from their Go modules, as served by
# the module proxy, into $PLAINROUTE_CACHE/olm/bin/<OLM_VERSION>-<OPM_VERSION>/, once. Prints that dir.
#
# Each module is built as the main module (a copy of its zip's files), so its own replace directives
# apply, as in its Makefile; only its vendor/ is missing from the zip, hence -mod=mod. Static:
# CGO_ENABLED=0 (opm's sqlite index commands then fail at run time; serving a file-based catalog,
# all the lab needs, does not touch sqlite). Each binary is built and moved into place on its own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/versions.env"
source "$here/../k8s/goenv.sh"
export GOFLAGS=-mod=mod
bin="${PLAINROUTE_CACHE}/olm/bin/${OLM_VERSION}-${OPM_VERSION}"
mkdir -p "$bin"
# One build at a time (make test and a test run may both ask): the second waits and finds the binaries.
exec 9>"$bin/.lock"
flock 9

# Prints the directory of a module version's source, a writable copy of the module cache's.
source_of() {
  local mod=$1 ver=$2 src="${PLAINROUTE_CACHE}/olm/src/${1##*/}@$2"
  if [ ! -f "$src/go.mod" ]; then
    local dir
    dir=$(go mod download -json "$mod@$ver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    [ -n "$dir" ] || { echo "the module proxy does not serve $mod@$ver" >&2; exit 1; }
    rm -rf "$src.tmp" && mkdir -p "$(dirname "$src")"
    cp -r "$dir" "$src.tmp" && chmod -R u+w "$src.tmp" && mv "$src.tmp" "$src"
  fi
  echo "$src"
}

# build NAME MODULE VERSION PACKAGE TAGS VERSION_LDFLAGS (tags as in the module's own Makefile)
build() {
  local name=$1 mod=$2 ver=$3 pkg=$4 tags=$5 ldflags=$6
  [ -x "$bin/$name" ] && return
  local src start
  src=$(source_of "$mod" "$ver")
  start=$(date +%s)
  printf '  building %-28s ' "$name ($ver)" >&2
  (cd "$src" && go build -trimpath -tags "$tags" -ldflags "-s -w $ldflags" -o "$bin/.$name.tmp" "$pkg")
  mv "$bin/.$name.tmp" "$bin/$name"
  echo "done in $(( $(date +%s) - start ))s" >&2
}

olm=github.com/operator-framework/operator-lifecycle-manager
reg=github.com/operator-framework/operator-registry
olm_ld="-X $olm/pkg/version.OLMVersion=${OLM_VERSION#v}"
build olm          "$olm" "$OLM_VERSION" ./cmd/olm          json1 "$olm_ld"
build catalog      "$olm" "$OLM_VERSION" ./cmd/catalog      json1 "$olm_ld"
build copy-content "$olm" "$OLM_VERSION" ./cmd/copy-content json1 "$olm_ld"
build cpb          "$olm" "$OLM_VERSION" ./util/cpb         json1 "$olm_ld"
# containers_image_openpgp: signatures by a Go OpenPGP library instead of cgo's gpgme.
build opm          "$reg" "$OPM_VERSION" ./cmd/opm          json1,containers_image_openpgp "-X $reg/cmd/opm/version.gitCommit=$OPM_VERSION -X $reg/cmd/opm/version.opmVersion=$OPM_VERSION"
echo "$bin"
