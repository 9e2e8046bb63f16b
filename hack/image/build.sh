#!/usr/bin/env bash
# Builds the operator image from ./Containerfile without a Docker daemon or a container registry:
# buildah (Debian package) as root, vfs storage kept under ~/.cache, and the Containerfile's base
# made locally with debootstrap from the Debian mirror apt already uses (no registry pull).
# Output: target/plainroute-image.tar, an OCI archive (`podman load -i`, `skopeo copy
# oci-archive:target/plainroute-image.tar docker://REGISTRY/plainroute:TAG`, `ctr images import`).
#
# build.sh --base-only   only the Debian base (what make test prepares in the background)
# build.sh --if-stale    nothing when the archive is newer than the jar it packs (what the e2e tests ask)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-}

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
TAG=${TAG:-localhost/plainroute:dev}
OUT=${OUT:-target/plainroute-image.tar}
CACHE=${PLAINROUTE_IMAGE_CACHE:-$HOME/.cache/plainroute/image}
BASE=localhost/plainroute-base:$SUITE

if [ "$(id -u)" != 0 ]; then
  echo "make image runs buildah and debootstrap as root (rootless buildah needs subuids this setup does not assume)" >&2
  exit 1
fi
jar=target/quarkus-app/quarkus-run.jar
[ "$mode" = --base-only ] || [ -f "$jar" ] || { echo "no target/quarkus-app: run 'make build' first" >&2; exit 1; }
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$CACHE"
# One build at a time: two e2e classes may ask at once, and make test builds the base beside them.
exec 9>"$CACHE/build.lock"
flock 9
if [ "$mode" = --if-stale ] && [ -f "$OUT" ] && ! [ "$jar" -nt "$OUT" ]; then exit 0; fi
# A private store: nothing lands in the machine's /var/lib/containers; vfs works in any container.
bah() { buildah --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs "$@"; }

step() { printf '[image] %-40s' "$1" >&2; SECONDS=0; }
done_() { echo " ${SECONDS}s" >&2; }

if ! bah inspect --type image "$BASE" >/dev/null 2>&1; then
  # What `FROM debian:bookworm-slim` would give, made from the Debian mirror instead of a registry.
  step "debootstrap $SUITE (minbase) from $MIRROR"
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs" "$rootfs.tar"' EXIT
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { echo; tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # The mirror apt used here, so that the Containerfile's apt-get reaches the same one.
  echo "deb $MIRROR $SUITE main" >"$rootfs/etc/apt/sources.list"
  tar --numeric-owner -C "$rootfs" -cf "$rootfs.tar" .
  done_
  step "import as $BASE"
  ctr=$(bah from scratch)
  bah add "$ctr" "$rootfs.tar" / >/dev/null
  bah config --cmd /bin/bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  bah commit --rm --quiet "$ctr" "$BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.tar"
  trap - EXIT
  done_
fi

[ "$mode" != --base-only ] || exit 0

step "build Containerfile"
# chroot isolation: RUN steps need no OCI runtime (runc/crun) and use the host's network.
bah bud --quiet --isolation chroot --layers=false --build-arg "BASE=$BASE" -f Containerfile -t "$TAG" . >"$CACHE/bud.log" 2>&1 \
  || { echo; tail -30 "$CACHE/bud.log" >&2; exit 1; }
done_
step "write $OUT"
rm -f "$OUT"
bah push --quiet "$TAG" "oci-archive:$OUT:$TAG" >/dev/null
done_
# The image this build replaced under $TAG would otherwise stay in the store (vfs: full copies).
bah rmi --prune >/dev/null 2>&1 || true
echo "[image] $OUT ($(du -h "$OUT" | cut -f1)) tagged $TAG" >&2
TAG=$TAG PLAINROUTE_IMAGE_CACHE=$CACHE hack/image/smoke.sh
