#!/usr/bin/env bash
# The two small images the lab's real nodes need besides plainroute's, built without a registry or
# Docker (buildah, as hack/image/build.sh) into OCI archives cached in ~/.cache/plainroute/images:
#   pause.tar    localhost/plainroute-lab/pause:1    every pod's sandbox: a static C program that
#                                                    sleeps until TERM/INT, and reaps children
#   testpod.tar  localhost/plainroute-lab/testpod:1  busybox (static: sh, ping, nc, sleep) and socat
#                                                    with its libraries: the e2e's pods, including a
#                                                    UDP echo that answers with the sender's address
# Each archive is rebuilt only when this script changes (its hash is in the archive's name).
# Prints the two archives' paths, one a line. Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${PLAINROUTE_IMAGE_CACHE:-$HOME/.cache/plainroute/image}
OUT=${PLAINROUTE_LAB_IMAGES:-$HOME/.cache/plainroute/images}
PAUSE_TAG=localhost/plainroute-lab/pause:1
TESTPOD_TAG=localhost/plainroute-lab/testpod:1

[ "$(id -u)" = 0 ] || { echo "lab-images.sh runs buildah as root" >&2; exit 1; }
for tool in buildah gcc busybox socat; do
  [ -n "$(command -v $tool)" ] || { echo "lab-images.sh: $tool is missing (apt-get install buildah gcc busybox-static socat)" >&2; exit 1; }
done
busybox_bin=$(command -v busybox)
# ldd fails on a static executable: the image has no libraries for a dynamic one.
! ldd "$busybox_bin" >/dev/null 2>&1 \
  || { echo "lab-images.sh: busybox must be the static one (apt-get install busybox-static)" >&2; exit 1; }

version=$(sha256sum "$0" | cut -c1-12)
pause_out=$OUT/pause-$version.tar
testpod_out=$OUT/testpod-$version.tar
cached() { [ -f "$pause_out" ] && [ -f "$testpod_out" ] && printf '%s\n' "$pause_out" "$testpod_out"; }
cached && exit 0
mkdir -p "$OUT" "$CACHE"
# The buildah store is hack/image/build.sh's too: one build at a time in it (make test builds these
# in the background while a lab may ask for them), and the second finds the first's archives.
exec 9>"$CACHE/build.lock"
flock 9
cached && exit 0
bah() { buildah --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pause: what registry.k8s.io/pause does, in a few lines.
cat >"$work/pause.c" <<'EOF'
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void stop(int sig) { (void) sig; _exit(0); }
static void reap(int sig) { (void) sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  signal(SIGINT, stop);
  signal(SIGTERM, stop);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
EOF
mkdir -p "$work/pause-root"
gcc -static -O2 -o "$work/pause-root/pause" "$work/pause.c"
ctr=$(bah from scratch)
bah copy "$ctr" "$work/pause-root/pause" /pause >/dev/null
bah config --entrypoint '["/pause"]' --user 65535:65535 "$ctr"
bah commit --rm --quiet "$ctr" "$PAUSE_TAG" >/dev/null
rm -f "$pause_out.tmp"
bah push --quiet "$PAUSE_TAG" "oci-archive:$pause_out.tmp:$PAUSE_TAG" >/dev/null
mv "$pause_out.tmp" "$pause_out"
# Archives of earlier versions of this script.
find "$OUT" -maxdepth 1 \( -name 'pause-*.tar' -o -name 'testpod-*.tar' \) ! -name "*-$version.tar" -delete

# testpod: busybox's applets as links, socat with the shared libraries it loads.
root=$work/testpod-root
mkdir -p "$root/bin" "$root/tmp"
cp "$busybox_bin" "$root/bin/busybox"
for applet in sh ping ping6 nc sleep cat echo ip ls ps hostname wget; do ln -s busybox "$root/bin/$applet"; done
cp "$(command -v socat)" "$root/bin/socat"
for lib in $(ldd "$(command -v socat)" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
ctr=$(bah from scratch)
bah copy "$ctr" "$root" / >/dev/null
bah config --cmd '["/bin/sleep", "1000000000"]' --env PATH=/bin "$ctr"
bah commit --rm --quiet "$ctr" "$TESTPOD_TAG" >/dev/null
rm -f "$testpod_out.tmp"
bah push --quiet "$TESTPOD_TAG" "oci-archive:$testpod_out.tmp:$TESTPOD_TAG" >/dev/null
mv "$testpod_out.tmp" "$testpod_out"
bah rmi "$PAUSE_TAG" "$TESTPOD_TAG" >/dev/null 2>&1 || true
printf '%s\n' "$pause_out" "$testpod_out"
