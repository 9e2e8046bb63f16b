#!/usr/bin/env bash
# plainroute installed by OLM into a real-node lab (hack/lab/lab.sh up --real-nodes --no-network):
# what an OLM user does, with OLM built from its Go module (hack/olm/build.sh) and every image a local
# OCI archive (hack/olm/images.sh) imported into every node's containerd. Run as root.
#
#   lab-olm.sh [--name LAB] up          OLM's CRDs (from the module's deploy/chart/crds), olm-operator and
#                                       catalog-operator (deploy/olm.yaml), the catalog served by a pod of
#                                       the catalog image and a CatalogSource for it; waits until the
#                                       CatalogSource's connection is READY
#   lab-olm.sh [--name LAB] subscribe   a Subscription to plainroute (channel candidate, the first bundle
#                                       version, manual approval) in namespace operators (AllNamespaces)
#   lab-olm.sh [--name LAB] approve CSV approves the InstallPlan that installs CSV (e.g. plainroute.v0.1.1)
#   lab-olm.sh [--name LAB] uninstall   deletes the Subscription and the CSV, as OLM documents; the CRDs
#                                       and the agent DaemonSet stay (the nodes keep their pod network)
#
# Why the catalog is served by a pod of our own, reached by address: OLM's own registry pod for a
# CatalogSource with spec.image is not hostNetwork, and is reached by a Service name; before
# plainroute runs there is no pod network, and the lab has no cluster DNS or kube-proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/versions.env"
LAB_NAME=${LAB_NAME:-demo}
[ "${1:-}" != --name ] || { LAB_NAME=$2; shift 2; }
STATE="${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}/$LAB_NAME"
[ -f "$STATE/lab.env" ] || { echo "lab-olm: no lab named '$LAB_NAME' (start one: hack/lab/lab.sh up --real-nodes --no-network)" >&2; exit 1; }
source "$STATE/lab.env"
[ "${REAL_NODES:-0}" = 1 ] || { echo "lab-olm: lab $LAB_NAME has no real nodes (lab.sh up --real-nodes)" >&2; exit 1; }
lab() { "$repo/hack/lab/lab.sh" --name "$LAB_NAME" "$@"; }
k() { "$K8S_BIN/kubectl" --kubeconfig="$STATE/kubeconfig" --cache-dir="$STATE/kubectl-cache" "$@"; }
say() { echo "  $*" >&2; }

CATALOG_PORT=50051
PACKAGE=plainroute

cmd_up() {
  local images olm_mod
  images=$(PLAINROUTE_IMAGE=$(plainroute_image) "$here/images.sh")
  say "images into every node's containerd: olm, opm, catalog, bundles, plainroute"
  lab image import "$images"/*.tar "$(plainroute_archive)"
  olm_mod=$(source "$here/../k8s/goenv.sh" && echo "$PLAINROUTE_CACHE/olm/src/operator-lifecycle-manager@$OLM_VERSION")
  say "OLM $OLM_VERSION: CRDs, olm-operator, catalog-operator (namespace olm)"
  k apply --server-side -f "$olm_mod/deploy/chart/crds/" >/dev/null
  k wait --for=condition=Established --timeout=60s -f "$olm_mod/deploy/chart/crds/" >/dev/null
  sed -e "s#@OLM_IMAGE@#localhost/olm:$OLM_VERSION#g" -e "s#@OPM_IMAGE@#localhost/opm:$OPM_VERSION#g" \
      -e "s#@APISERVER_HOST@#$CP_IP#g" -e "s#@APISERVER_PORT@#6443#g" "$here/deploy/olm.yaml" | k apply -f - >/dev/null
  service_route
  say "catalog: localhost/plainroute-catalog:dev served on port $CATALOG_PORT of a node"
  k apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: plainroute-catalog
  namespace: olm
spec:
  replicas: 1
  selector:
    matchLabels: {app: plainroute-catalog}
  template:
    metadata:
      labels: {app: plainroute-catalog}
    spec:
      hostNetwork: true
      dnsPolicy: Default
      tolerations:
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoSchedule}
      securityContext: {runAsNonRoot: true, runAsUser: 65532}
      containers:
      - name: registry
        image: localhost/plainroute-catalog:dev
        imagePullPolicy: Never
        args: ["serve", "/configs", "--cache-dir=/cache", "--port=$CATALOG_PORT"]
        ports: [{containerPort: $CATALOG_PORT, name: grpc}]
        readinessProbe: {tcpSocket: {port: $CATALOG_PORT}, periodSeconds: 2}
        # Not read-only: opm opens the image's prebuilt cache (/cache) with a lock file beside it.
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
EOF
  k -n olm rollout status deploy/olm-operator deploy/catalog-operator deploy/plainroute-catalog --timeout=300s >/dev/null
  local host
  host=$(k -n olm get pod -l app=plainroute-catalog -o jsonpath='{.items[0].status.hostIP}')
  [[ $host == *:* ]] && host="[$host]"
  k apply -f - >/dev/null <<EOF
apiVersion: operators.coreos.com/v1alpha1
kind: CatalogSource
metadata:
  name: plainroute-catalog
  namespace: olm
spec:
  sourceType: grpc
  address: "$host:$CATALOG_PORT"
  displayName: plainroute (lab)
  publisher: plainroute
EOF
  say "waiting for the CatalogSource's connection"
  k -n olm wait catalogsource/plainroute-catalog --timeout=180s \
    --for=jsonpath='{.status.connectionState.lastObservedState}'=READY >/dev/null
}

# The lab has no kube-proxy. OLM's operators and the operator are told the API server's address, but
# OLM passes a Subscription's spec.config.env only to a Deployment created after the Subscription's
# status.installedCSV names its CSV, and it does not update a Deployment that is not ready: a first
# Deployment created before that (a race inside OLM) waits forever for the "kubernetes" Service.
# So every node namespace gets the one rule kube-proxy would give that Service (nft DNAT of the
# ClusterIP:443 to the API server), in a table of its own, and a route to the ClusterIP.
service_route() {
  local ip node
  ip=$(k get service kubernetes -n default -o jsonpath='{.spec.clusterIP}')
  [[ $ip != *:* ]] || { echo "lab-olm: an IPv6 Service range is not handled" >&2; exit 1; }
  for node in $(ls "$STATE/nodes"); do
    # A route, so that a connect() to the ClusterIP gets as far as the rule.
    ip -n "$LAB_NAME-$node" route replace "$ip/32" dev eth0
    ip netns exec "$LAB_NAME-$node" nft -f - <<EOF
table ip plainroute-lab-service
delete table ip plainroute-lab-service
table ip plainroute-lab-service {
  chain output { type nat hook output priority -100; ip daddr $ip tcp dport 443 dnat to $CP_IP:6443; }
  chain prerouting { type nat hook prerouting priority -100; ip daddr $ip tcp dport 443 dnat to $CP_IP:6443; }
}
EOF
  done
}

# The OCI archive of `make image` and the image name in it: the operator the bundles install.
plainroute_archive() {
  local file=${PLAINROUTE_IMAGE_ARCHIVE:-$repo/target/plainroute-image.tar}
  [ -f "$file" ] || { echo "lab-olm: no $file: build the operator's image first (make image)" >&2; exit 1; }
  echo "$file"
}

plainroute_image() {
  tar -xOf "$(plainroute_archive)" index.json | jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]'
}

cmd_subscribe() {
  # The first version: bundle/ as committed (hack/olm/images.sh generates the second from it).
  local first
  first=$(sed -n 's/^  name: \(plainroute\.v.*\)$/\1/p' "$repo/bundle/manifests/plainroute.clusterserviceversion.yaml")
  say "Subscription $PACKAGE (namespace operators, channel candidate, manual approval)"
  k apply -f - >/dev/null <<EOF
apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: $PACKAGE
  namespace: operators
spec:
  name: $PACKAGE
  channel: candidate
  source: plainroute-catalog
  sourceNamespace: olm
  startingCSV: $first
  installPlanApproval: Manual
  config:
    # The lab has no kube-proxy: the operator and the agents it installs talk to the API server's own
    # address (config/README.md, "The API server's address").
    env:
    - {name: KUBERNETES_SERVICE_HOST, value: "$CP_IP"}
    - {name: KUBERNETES_SERVICE_PORT, value: "6443"}
    - {name: PLAINROUTE_AGENT_INSTALL_API_SERVER, value: "$(hostport "$CP_IP" 6443)"}
EOF
}

hostport() { if [[ $1 == *:* ]]; then echo "[$1]:$2"; else echo "$1:$2"; fi; }

cmd_approve() {
  local csv=${1:?usage: approve CSV} plan deadline=$((SECONDS + 180))
  until plan=$(k -n operators get installplan -o json | jq -r --arg csv "$csv" \
      '.items[] | select(.spec.clusterServiceVersionNames | index($csv)) | .metadata.name' | head -1) && [ -n "$plan" ]; do
    (( SECONDS < deadline )) || { echo "lab-olm: no InstallPlan for $csv after 180 s" >&2; exit 1; }
    sleep 2
  done
  say "approving InstallPlan $plan ($csv)"
  k -n operators patch installplan "$plan" --type merge -p '{"spec":{"approved":true}}' >/dev/null
}

cmd_uninstall() {
  local csv
  csv=$(k -n operators get subscription "$PACKAGE" -o jsonpath='{.status.installedCSV}' 2>/dev/null || true)
  say "deleting Subscription $PACKAGE and CSV ${csv:-(none)}"
  k -n operators delete subscription "$PACKAGE" --ignore-not-found >/dev/null
  [ -z "$csv" ] || k -n operators delete csv "$csv" --ignore-not-found >/dev/null
}

command=${1:-}
shift || true
case $command in
  up) cmd_up "$@" ;;
  subscribe) cmd_subscribe "$@" ;;
  approve) cmd_approve "$@" ;;
  uninstall) cmd_uninstall "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
