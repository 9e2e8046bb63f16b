#!/usr/bin/env bash
# `make test`: the Kubernetes binaries (once), unit + integration + kernel + e2e tests (`mvn verify`),
# the short fuzz run and the OLM bundle's validation. Prints where the time went at the end.
#
# What runs beside what, and why: on 2 cores the Kubernetes build and the test JVMs keep the CPU
# busy most of the time, not all of it (Go links on one thread, downloads, tests waiting for pings,
# timeouts and restarts). What only the bundle validation and the OLM and real-node e2e tests need
# (the bundle validator, OLM's operators and opm, the OLM images, the operator image's OS base, the
# lab's pause and test-pod images) is built in the background at nice 10, from the start, so that
# it fills those gaps instead of adding its own minutes to a first run. Each of these builds holds a
# lock, and a test that needs one waits on that lock (OlmE2E on hack/olm/images.sh, the real-node
# tests on hack/image/build.sh). On a warm machine they are all cached and take seconds.
# While the Kubernetes binaries are being built (a first run: 7-10 minutes of Go compiling), Maven
# also fetches its plugins and dependencies beside it (~240 MB: 78 s alone, 167-200 s at nice 10
# beside the Kubernetes build), instead of after it; `mvn verify` waits for that fetch (two Mavens never write one repository at once).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -ntp}
mkdir -p target
log=target/test-background.log
: >"$log"
begin=$SECONDS
phases=()
phase() { phases+=("$(printf '%-34s %4d s' "$1" $(( SECONDS - $2 )))"); }

# The background lanes, in a process group of their own so that an early exit stops them.
go_tools() {
  local t=$SECONDS
  nice -n 10 hack/olm/validate.sh --build-only
  echo "[background] bundle validator ready after $(( SECONDS - t )) s"
  if [ "$(id -u)" = 0 ]; then
    nice -n 10 hack/olm/images.sh >/dev/null
    echo "[background] OLM, opm and the OLM images ready after $(( SECONDS - t )) s"
  fi
}
images() {
  local t=$SECONDS
  nice -n 10 hack/image/build.sh --base-only
  nice -n 10 hack/image/lab-images.sh >/dev/null
  echo "[background] image base, pause and test-pod images ready after $(( SECONDS - t )) s"
}
maven() {
  local t=$SECONDS
  nice -n 10 $MVN -q dependency:go-offline quarkus:go-offline >/dev/null 2>&1 \
    || echo "[background] Maven's prefetch stopped early: mvn verify fetches the rest"
  echo "[background] Maven's plugins and dependencies fetched in $(( SECONDS - t )) s"
}
set -m
go_tools >>"$log" 2>&1 &
lane_go=$!
lane_images=
if [ "$(id -u)" = 0 ]; then
  images >>"$log" 2>&1 &
  lane_images=$!
fi
lane_maven=
if ! hack/k8s/build.sh --built; then
  maven >>"$log" 2>&1 &
  lane_maven=$!
fi
set +m
stop_lanes() { for p in $lane_go $lane_images $lane_maven; do kill -- -"$p" 2>/dev/null || true; done; }
trap stop_lanes EXIT

t=$SECONDS
bin=$(hack/k8s/build.sh)
phase "Kubernetes binaries" $t
t=$SECONDS
[ -z "$lane_maven" ] || wait "$lane_maven" || true
$MVN verify -Dplainroute.k8s.bin="$bin"
phase "mvn verify (unit, IT, kernel, e2e)" $t
t=$SECONDS
make --no-print-directory fuzz-short MVN="$MVN"
phase "fuzz, 20 s a target" $t

t=$SECONDS
for p in $lane_go $lane_images; do
  wait "$p" || { echo "a background build failed (target/test-background.log):" >&2; tail -30 "$log" >&2; exit 1; }
done
trap - EXIT
hack/olm/validate.sh bundle
phase "waited for background, validated" $t
cat "$log"
echo "[make test] $(( (SECONDS - begin) / 60 )) min $(( (SECONDS - begin) % 60 )) s:"
printf '  %s\n' "${phases[@]}"
