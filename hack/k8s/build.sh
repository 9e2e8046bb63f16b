#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kubectl, kubelet and kube-scheduler of K8S_VERSION (versions.env)
# from the Go module proxy into $PLAINROUTE_CACHE/k8s/<version>/bin, once. Prints that bin dir.
# `build.sh --built` builds nothing and exits 0 when all of them are there.
# Each binary is built and moved into place on its own, so an interrupted build resumes where it
# stopped, and one after the other: linking kube-apiserver alone needs a few GB on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/versions.env"
source "$here/goenv.sh"
bin="${PLAINROUTE_CACHE}/k8s/${K8S_VERSION}/bin"
mkdir -p "$bin"
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION} \
 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} \
 -X k8s.io/component-base/version.gitTreeState=clean \
 -X k8s.io/client-go/pkg/version.gitVersion=${K8S_VERSION}"
declare -A pkgs=(
  [etcd]=go.etcd.io/etcd/server/v3
  [kube-apiserver]=k8s.io/kubernetes/cmd/kube-apiserver
  [kube-controller-manager]=k8s.io/kubernetes/cmd/kube-controller-manager
  [kubectl]=k8s.io/kubernetes/cmd/kubectl
  [kubelet]=k8s.io/kubernetes/cmd/kubelet
  [kube-scheduler]=k8s.io/kubernetes/cmd/kube-scheduler
)
cd "$here"
names=(etcd kube-apiserver kube-controller-manager kubectl kubelet kube-scheduler)
if [ "${1:-}" = --built ]; then   # exit status only: are they all there?
  for name in "${names[@]}"; do [ -x "$bin/$name" ] || exit 1; done
  exit 0
fi
for name in "${names[@]}"; do
  if [ -x "$bin/$name" ]; then continue; fi
  start=$(date +%s)
  printf '  building %-24s ' "$name ($K8S_VERSION)" >&2
  go_build -trimpath -ldflags "$ldflags" -o "$bin/.$name.tmp" "${pkgs[$name]}"
  mv "$bin/.$name.tmp" "$bin/$name"
  echo "done in $(( $(date +%s) - start ))s" >&2
done
echo "$bin"
