#!/usr/bin/env bash
# Validates an OLM bundle directory (default: bundle/) with the Operator Framework's own validators
# (operator-framework/api, hack/olm/main.go). The validator is built from the pinned go.mod/go.sum
# once, into $PLAINROUTE_CACHE/olm/<hash of its sources>/, and reused afterwards.
# Errors fail; warnings are printed. `validate.sh --build-only` builds the validator and validates nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../k8s/goenv.sh"
hash=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-16)
bin="${PLAINROUTE_CACHE}/olm/${hash}/validate-bundle"
mkdir -p "$(dirname "$bin")"
exec 9>"$(dirname "$bin").lock"
flock 9   # one build at a time: make test builds it in the background while a test may ask too
if [ ! -x "$bin" ]; then
  # validators of earlier pins are not needed any more (the other directories are build.sh's and images.sh's)
  [ -d "${PLAINROUTE_CACHE}/olm" ] && find "${PLAINROUTE_CACHE}/olm" -mindepth 1 -maxdepth 1 -type d \
    -regextype posix-extended -regex '.*/[0-9a-f]{16}' ! -name "$hash" -exec rm -rf {} +
  start=$(date +%s)
  printf '  building the OLM bundle validator (operator-framework/api) ' >&2
  (cd "$here" && go_build -trimpath -ldflags "-s -w" -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
  echo "done in $(( $(date +%s) - start ))s" >&2
fi
flock -u 9
[ "${1:-}" = --build-only ] && exit 0
exec "$bin" "${@:-bundle}"
