#!/usr/bin/env bash
# Builds the OLM path's images as OCI archives, without a registry or Docker: buildah (Debian
# package, as root, vfs storage under $PLAINROUTE_CACHE/olm/buildah) from scratch, out of the
# binaries of hack/olm/build.sh and the bundle/ directory. Prints the directory of the archives:
#   olm.tar                  localhost/olm:$OLM_VERSION   olm, catalog, copy-content, cpb, /bin/cp
#   opm.tar                  localhost/opm:$OPM_VERSION   opm (serves catalogs, extracts bundles)
#   bundle-VERSION.tar       localhost/plainroute-bundle:vVERSION, one per bundle version
#   catalog.tar              localhost/plainroute-catalog:dev, a file-based catalog served by opm
# Bundle versions: bundle/ as committed (its CSV's version) and a second one generated from it for the
# upgrade test (patch version + 1, `replaces` the first). In both, the operator's image is the lab's
# (PLAINROUTE_IMAGE, default localhost/plainroute:dev) instead of the release's registry name.
# Archives are cached under a key of their inputs and rebuilt only when those change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/versions.env"
PLAINROUTE_IMAGE=${PLAINROUTE_IMAGE:-localhost/plainroute:dev}
bin=$("$here/build.sh")
source "$here/../k8s/goenv.sh"
mkdir -p "$PLAINROUTE_CACHE/olm"
exec 8>"$PLAINROUTE_CACHE/olm/images.lock"
flock 8   # one build at a time; a second finds the archives of the first

if [ "$(id -u)" != 0 ]; then
  echo "hack/olm/images.sh runs buildah as root (rootless buildah needs subuids this setup does not assume)" >&2
  exit 1
fi
command -v buildah >/dev/null || { echo "installing buildah ..." >&2;
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah >/dev/null; }
busybox=/bin/busybox  # static (busybox-static): the olm image's /bin/cp
{ [ -x "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1; } || { echo "installing busybox-static ..." >&2;
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null; }

store="$PLAINROUTE_CACHE/olm/buildah"
bah() { buildah --root "$store/storage" --runroot "$store/run" --storage-driver vfs "$@"; }

# The first bundle version and the generated one.
v1=$(sed -n 's/^  version: \(.*\)$/\1/p' "$root/bundle/manifests/plainroute.clusterserviceversion.yaml")
[[ "$v1" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || { echo "bundle/: no spec.version X.Y.Z in the CSV" >&2; exit 1; }
v2="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.$(( BASH_REMATCH[3] + 1 ))"

key=$( { echo "$OLM_VERSION $OPM_VERSION $PLAINROUTE_IMAGE $v1 $v2"; cat "$0" "$here/catalog.sh";
         find "$root/bundle" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
out="$PLAINROUTE_CACHE/olm/images/$key"
if [ -f "$out/catalog.tar" ]; then echo "$out"; exit 0; fi
rm -rf "$PLAINROUTE_CACHE/olm/images" && mkdir -p "$out"
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT

step() { printf '[olm-images] %-44s' "$1" >&2; SECONDS=0; }
done_() { echo " ${SECONDS}s" >&2; }

# image TAG ARCHIVE: commits the working container $ctr as TAG and writes it as an OCI archive.
image() {
  bah commit --rm --quiet "$ctr" "$1" >/dev/null
  bah push --quiet "$1" "oci-archive:$out/$2:$1" >/dev/null
  bah rmi "$1" >/dev/null
}

# binary_image TAG ARCHIVE ENTRYPOINT FILE...: an image from scratch of static binaries in /bin (and
# a /tmp), run as a non-root user.
binary_image() {
  local tag=$1 archive=$2 entrypoint=$3
  shift 3
  step "$tag"
  ctr=$(bah from scratch)
  mnt=$(bah mount "$ctr")
  mkdir -p "$mnt/bin" "$mnt/tmp" && chmod 1777 "$mnt/tmp"
  cp "$@" "$mnt/bin/"
  bah umount "$ctr" >/dev/null
  bah config --entrypoint "[\"$entrypoint\"]" --user 65532 --env PATH=/bin "$ctr"
  image "$tag" "$archive"
  done_
}

# The bundle unpack Job's first container runs `/bin/cp -Rv /bin/cpb /util/cpb`: busybox's cp.
cp "$busybox" "$work/cp"
binary_image "localhost/olm:$OLM_VERSION" olm.tar /bin/olm "$bin"/{olm,catalog,copy-content,cpb} "$work/cp"
binary_image "localhost/opm:$OPM_VERSION" opm.tar /bin/opm "$bin/opm"

step "bundles v$v1, v$v2 + catalog"
"$here/catalog.sh" "$root/bundle" "$v1" "$v2" "$PLAINROUTE_IMAGE" "$work" "$bin/opm"
for v in "$v1" "$v2"; do
  ctr=$(bah from scratch)
  mnt=$(bah mount "$ctr")
  cp -r "$work/bundle-$v/manifests" "$work/bundle-$v/metadata" "$mnt/"
  bah umount "$ctr" >/dev/null
  # The labels bundle.Dockerfile gives a bundle image.
  labels=()
  while read -r label; do labels+=(--label "$label"); done < <(sed -n 's/^LABEL //p' "$root/bundle/bundle.Dockerfile")
  bah config "${labels[@]}" "$ctr"
  image "localhost/plainroute-bundle:v$v" "bundle-$v.tar"
done
ctr=$(bah from scratch)
mnt=$(bah mount "$ctr")
mkdir -p "$mnt/bin" "$mnt/tmp" "$mnt/configs" && chmod 1777 "$mnt/tmp"
cp "$bin/opm" "$mnt/bin/opm"
cp -r "$work/catalog/." "$mnt/configs/"
# The serving cache, built here (as `opm generate dockerfile`'s image does), so that the registry
# starts from it read-only instead of building it in the pod.
"$bin/opm" serve "$mnt/configs" --cache-dir="$mnt/cache" --cache-only >/dev/null 2>&1 \
  || { echo "opm could not build the catalog's cache" >&2; exit 1; }
bah umount "$ctr" >/dev/null
bah config --entrypoint '["/bin/opm"]' --cmd '["serve","/configs","--cache-dir=/cache"]' --user 65532 --env PATH=/bin \
  --label operators.operatorframework.io.index.configs.v1=/configs "$ctr"
image localhost/plainroute-catalog:dev catalog.tar
done_
echo "[olm-images] $(du -sh "$out" | cut -f1) in $out" >&2
echo "$out"
