#!/usr/bin/env bash
# Builds OLM's operators (olm, catalog, copy-content, cpb) and `opm` from the Go module proxy into
# $PLAINROUTE_CACHE/olm/bin/<OLM_VERSION>-<OPM_VERSION>/, once. Prints that dir.
#
# All five are built in one module graph, OLM's: its source (a copy of its zip's files) is the main
# module, so its own replace directives apply, as in its Makefile; only its vendor/ is missing from
# the zip, hence -mod=mod. opm is built there too, at the operator-registry version OLM itself
# requires (OPM_VERSION must name it: checked below), so it shares every compiled dependency with
# OLM's binaries instead of compiling a second Kubernetes client stack of its own (cold: 35 s on top
# of OLM's, module downloads included). Static: CGO_ENABLED=0 (opm's sqlite index commands then fail at run time;
# serving a file-based catalog, all the lab needs, does not touch sqlite). Each binary is built and
# moved into place on its own.
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

olm=github.com/operator-framework/operator-lifecycle-manager
reg=github.com/operator-framework/operator-registry
src=$(source_of "$olm" "$OLM_VERSION")
required=$(cd "$src" && go list -m -f '{{.Version}}' "$reg")
[ "$required" = "$OPM_VERSION" ] || {
  echo "hack/olm/versions.env: OPM_VERSION=$OPM_VERSION, but OLM $OLM_VERSION requires operator-registry $required: set OPM_VERSION=$required" >&2
  exit 1; }

# build NAME PACKAGE VERSION_LDFLAGS, in OLM's module. The tags are the union of OLM's and opm's
# Makefiles' (json1; containers_image_openpgp: signatures by a Go OpenPGP library instead of cgo's
# gpgme), the same for all five so that their shared packages compile once.
build() {
  local name=$1 pkg=$2 ldflags=$3 start
  [ -x "$bin/$name" ] && return
  start=$(date +%s)
  printf '  building %-28s ' "$name" >&2
  (cd "$src" && go_build -trimpath -tags json1,containers_image_openpgp -ldflags "-s -w $ldflags" -o "$bin/.$name.tmp" "$pkg")
  mv "$bin/.$name.tmp" "$bin/$name"
  echo "done in $(( $(date +%s) - start ))s" >&2
}

olm_ld="-X $olm/pkg/version.OLMVersion=${OLM_VERSION#v}"
build olm          ./cmd/olm          "$olm_ld"
build catalog      ./cmd/catalog      "$olm_ld"
build copy-content ./cmd/copy-content "$olm_ld"
build cpb          ./util/cpb         "$olm_ld"
build opm          "$reg/cmd/opm"     "-X $reg/cmd/opm/version.gitCommit=$OPM_VERSION -X $reg/cmd/opm/version.opmVersion=$OPM_VERSION"
echo "$bin"
