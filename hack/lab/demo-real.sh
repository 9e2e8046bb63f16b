#!/usr/bin/env bash
# `make demo REAL=1`: the lectures' cluster with real nodes — each node namespace runs containerd
# and a kubelet (lab.sh up --real-nodes), plainroute is deployed from its manifests with the image
# of `make image` (kubectl apply -k through the lab's overlay), and pods started by the kubelets
# ping each other across nodes. Slower than `make demo` (the emulated runtime): the image is built
# (about 4 min the first time, 2-3 min after a jar change) and imported into every node, and the
# JVMs start as pods. The lab stays up; `make demo-down` removes it. DEMO_NODES: nodes (2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lab="$here/lab.sh"
export LAB_NAME=demo
state="${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}/demo"
step() { echo; echo "== $*"; }
show() { echo "\$ $*"; }

[ "$(id -u)" = 0 ] || { echo "make demo creates network namespaces and runs containerd: run it as root" >&2; exit 1; }
step "1. Build what is missing (Kubernetes binaries with the kubelet and scheduler, jar, image)"
"$repo/hack/install-deps.sh"
bin=$("$repo/hack/k8s/build.sh")
image="$repo/target/plainroute-image.tar"
jar="$repo/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -print -quit)" ]; then
  (cd "$repo" && mvn -B -ntp -q -DskipTests package)
fi
if [ ! -f "$image" ] || [ "$jar" -nt "$image" ]; then
  "$repo/hack/image/build.sh"
fi
export K8S_BIN=$bin
[ ! -d "$state" ] || LAB_QUIET=1 "$lab" down

step "2. Start the lab with real nodes; deploy plainroute from config/default"
"$lab" up --real-nodes --image "$image" --nodes "${DEMO_NODES:-2}"
source <("$lab" env)
nodes=$("$lab" kubectl get nodes -o jsonpath='{.items[*].metadata.name}')

step "3. A test pod on every node, started by its kubelet, attached by its containerd with the agent's conflist"
for node in $nodes; do
  "$lab" kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: pod-$node, namespace: default}
spec:
  nodeName: $node
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: localhost/plainroute-lab/testpod:1
    imagePullPolicy: Never
EOF
done
"$lab" kubectl wait --for=condition=Ready --timeout=180s pod --all -n default >/dev/null
show kubectl get pods -A -o wide
kubectl get pods -A -o wide

first=${nodes%% *}
step "4. Ping across nodes, from pod-$first"
for node in $nodes; do
  [ "$node" = "$first" ] && continue
  address=$(kubectl get pod "pod-$node" -o jsonpath='{.status.podIP}')
  show kubectl exec pod-$first -- ping -c 3 "$address"
  kubectl exec "pod-$first" -- ping -c 3 "$address"
done

step "The lab stays up. Look around:"
cat <<EOF
export KUBECONFIG=$KUBECONFIG PATH=$bin:\$PATH
kubectl get nodes -o wide; kubectl -n plainroute-system get pods -o wide
kubectl -n plainroute-system logs ds/plainroute-agent
hack/lab/lab.sh --name demo node add node$(printf '%02d' $(( $(wc -w <<<"$nodes") + 1 )))   # a kubelet joins
hack/lab/lab.sh status        # processes; logs in $state/logs
make demo-down                # removes everything
EOF
