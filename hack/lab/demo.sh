#!/usr/bin/env bash
# `make demo`: the lectures' cluster, live — node01/02/03 at 192.168.1.11-13 on one LAN, cluster
# range 10.244.0.0/16 with one /24 per node, pods on every node reaching each other by their own
# addresses. Builds what is missing, starts the lab (hack/lab/lab.sh) and narrates. The lab stays
# up afterwards; `make demo-down` removes it. Settings: DEMO_STACK (ipv4; `make demo STACK=dual`:
# the same cluster with an IPv6 unique local LAN fd00:192:168:1::/64 beside the IPv4 one and a
# second range fd00:10:244::/56 with one /64 per node, every pod an address of each family;
# STACK=ipv6: IPv6 only), DEMO_LAN, DEMO_NODES, DEMO_CLUSTER_CIDR, DEMO_NODE_PREFIX,
# DEMO_NODE_PREFIX6 (defaults: the lectures' and lab.sh's for the stack); DEMO_PROMETHEUS=1 adds
# the lab's Prometheus with plainroute's alert rules (lab.sh up --prometheus).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lab="$here/lab.sh"
export LAB_NAME=demo
state="${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}/demo"

bold='' dim='' plain=''
if [ -t 1 ]; then
  bold=$(tput bold 2>/dev/null || true) dim=$(tput dim 2>/dev/null || true) plain=$(tput sgr0 2>/dev/null || true)
fi
step() { echo; echo "${bold}== $*${plain}"; }
show() { echo "${dim}\$ $*${plain}"; }
indent() { sed 's/^/   /'; }

# runs "$@" quietly with a progress line; on failure shows the end of its output
progress() {
  local what=$1 log start
  shift
  log=$(mktemp)
  start=$(date +%s)
  "$@" >"$log" 2>&1 &
  local pid=$! spin='|/-\' i=0
  while kill -0 "$pid" 2>/dev/null; do
    printf '\r   %s %s (%ds)' "${spin:i++%4:1}" "$what" $(( $(date +%s) - start ))
    sleep 1
  done
  if wait "$pid"; then
    printf '\r   done: %s in %ds%*s\n' "$what" $(( $(date +%s) - start )) 10 ''
    rm -f "$log"
  else
    printf '\r   FAILED: %s; last lines of its output:\n' "$what"
    tail -n 30 "$log" | indent
    rm -f "$log"
    exit 1
  fi
}

[ "$(id -u)" = 0 ] || { echo "make demo creates network namespaces: run it as root" >&2; exit 1; }

step "1. Build what is missing"
"$repo/hack/install-deps.sh"
source "$repo/hack/k8s/versions.env"
if [ ! -x "${PLAINROUTE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plainroute}/k8s/$K8S_VERSION/bin/kubectl" ]; then
  progress "building etcd, kube-apiserver, kube-controller-manager, kubectl $K8S_VERSION from the Go module proxy (once; ~12 min on 2 cores)" \
    "$repo/hack/k8s/build.sh"
fi
bin=$("$repo/hack/k8s/build.sh")
echo "   Kubernetes binaries: $bin"
jar="$repo/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -print -quit)" ]; then
  progress "building the plainroute jar (mvn package)" bash -c "cd '$repo' && mvn -B -ntp -q -DskipTests package"
else
  echo "   plainroute jar: up to date ($jar)"
fi
export K8S_BIN=$bin JAR=$jar

if [ -d "$state" ]; then
  echo "   a demo lab is already up: taking it down first"
  LAB_QUIET=1 "$lab" down
fi

# Without DEMO_STACK the lab takes the families of DEMO_LAN (IPv4 without it).
stack=${DEMO_STACK:-}
case $stack in
  ''|ipv4) what="a LAN" ;;
  dual) what="an IPv4 and an IPv6 LAN" ;;
  ipv6) what="an IPv6 LAN" ;;
  *) echo "DEMO_STACK (make demo STACK=...): '$stack' is not one of ipv4, dual, ipv6" >&2; exit 1 ;;
esac
step "2. Start the lab: $what, a control plane, three nodes, the plainroute controller and agents"
"$lab" up ${stack:+--stack "$stack"} ${DEMO_LAN:+--lan "$DEMO_LAN"} --nodes "${DEMO_NODES:-3}" \
  ${DEMO_CLUSTER_CIDR:+--cluster-cidr "$DEMO_CLUSTER_CIDR"} --node-prefix "${DEMO_NODE_PREFIX:-24}" \
  --node-prefix6 "${DEMO_NODE_PREFIX6:-64}" $([ "${DEMO_PROMETHEUS:-0}" = 1 ] && echo --prometheus) 2>&1 | indent
source <("$lab" env)
source "$state/lab.env"
stack=$STACK
nodes=$("$lab" kubectl get nodes -o jsonpath='{.items[*].metadata.name}')

step "3. Each node got a subnet of the cluster range$([ "$stack" = dual ] && echo ", one of each family,") (the controller) ..."
show kubectl get clusternetworks
kubectl get clusternetworks | indent
# Dual-stack: the other family's subnet, gateway and node address are the wide view's columns.
wide=(); [ "$stack" = dual ] && wide=(-o wide)
show kubectl get nodenetworks "${wide[@]}"
kubectl get nodenetworks "${wide[@]}" | indent

step "4. ... and its agent programmed the node: bridge with the gateway address, one route per peer$([ "$stack" = dual ] && echo " and family")"
for node in $nodes; do
  echo "   ${bold}$node${plain} ($(paste -sd' ' "$state/nodes/$node/addresses")):"
  for family in $FAMILIES; do
    show ip -n demo-$node -$family -br addr show cni0
    ip -n "demo-$node" -"$family" -br addr show cni0 | indent
  done
  for family in $FAMILIES; do
    show ip -n demo-$node -$family route show proto 202
    ip -n "demo-$node" -"$family" route show proto 202 | indent
  done
done

step "5. Start a pod on every node (the reference bridge + host-local plugins, with the agent's CNI config)"
# pod_ip[node,family]: the address of the node's pod1 in that family
declare -A pod_ip
for node in $nodes; do
  addresses=$("$lab" pod add "$node" pod1)
  for address in $addresses; do
    [[ $address == *:* ]] && pod_ip[$node,6]=$address || pod_ip[$node,4]=$address
  done
  echo "   pod1 on $node: $(echo $addresses)   (namespace demo-$node-pod1)"
done

first=${nodes%% *}
step "6. Ping from the pod on $first to the pods on the other nodes, by their own addresses"
for node in $nodes; do
  [ "$node" = "$first" ] && continue
  for family in $FAMILIES; do
    show ip netns exec demo-$first-pod1 ping -c 3 ${pod_ip[$node,$family]}
    ip netns exec "demo-$first-pod1" ping -c 3 -i 0.2 -W 2 "${pod_ip[$node,$family]}" | grep -E 'bytes from|packet loss' | indent
  done
done

step "7. No NAT between pods, masquerade towards the outside"
last=${nodes##* }
"$lab" echo-server "$last-pod1"
"$lab" echo-server out
sleep 0.3
for family in $FAMILIES; do
  out_ip=$([ "$family" = 6 ] && echo "$OUT_IP6" || echo "$OUT_IP4")
  # Each line names its family when there are two; the single-family story reads as in the lectures.
  tag=$([ "$FAMILIES" = "$family" ] || echo "IPv$family: ")
  echo "   ${tag}the pod on $last saw the packet come from $("$lab" ask "$first-pod1" "${pod_ip[$last,$family]}")  (the sender pod's own address)"
  echo "   ${tag}a host outside the cluster ($out_ip) saw it come from $("$lab" ask "$first-pod1" "$out_ip")  (node $first's address: masqueraded)"
done

primary=${FAMILIES%% *}
last_pod=${pod_ip[$last,$primary]}
routes_hint=""
[[ " $FAMILIES " != *" 6 "* ]] || routes_hint="; and ip -6 route"
step "The lab stays up. Look around:"
cat <<EOF | indent
export KUBECONFIG=$KUBECONFIG PATH=$bin:\$PATH
kubectl get nodenetworks -o wide; kubectl describe nodenetwork $first
ip netns exec demo-$first ip route            # a node$routes_hint
ip netns exec demo-$first-pod1 ping $last_pod   # a pod
hack/lab/lab.sh pod add $first pod2; hack/lab/lab.sh node add node$(printf '%02d' $(( $(wc -w <<<"$nodes") + 1 )))
hack/lab/lab.sh status                     # processes; logs in $state/logs
${PROMETHEUS_URL:+curl -s $PROMETHEUS_URL/api/v1/alerts     # the Prometheus of the lab (DEMO_PROMETHEUS=1)}
make demo-down                             # removes everything the demo made
EOF
