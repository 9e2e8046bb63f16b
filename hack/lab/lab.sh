#!/usr/bin/env bash
# The plainroute lab: a Kubernetes cluster of network namespaces on one machine, as in the
# lectures — a LAN (a bridge in a namespace of its own), a control plane at .10, nodes at .11,
# .12, ... each running the plainroute agent, an "outside" host at the LAN's last address, and
# pods attached by the reference CNI plugins with the conflist the agent wrote. The machine's own
# namespace gets processes only (and the API server relay on 127.0.0.1). `make demo` and the
# e2e tests both drive this script. Run as root.
#
#   lab.sh [--name NAME] up [--lan CIDR] [--nodes N] [--cluster-cidr CIDR[,CIDR...]]
#                          [--node-prefix LEN] [--no-network] [--owner PID] [--prometheus]
#     --prometheus: a Prometheus server in the control plane's namespace scraping the controller
#     and every agent, with plainroute's alert rules (lib/prometheus.sh); `env` prints its URL
#   lab.sh [--name NAME] down | env | status | wait-ready [SECONDS]
#   lab.sh [--name NAME] node add NAME [IP] [--no-agent] | node delete NAME
#   lab.sh [--name NAME] pod add NODE POD | pod del NODE POD      (add prints the pod's address)
#   lab.sh [--name NAME] kill controller|agent NODE     (SIGKILL, like a crash: restarted after 1 s, as by a kubelet)
#   lab.sh [--name NAME] stop controller|agent NODE     (stopped for good, until start)
#   lab.sh [--name NAME] start controller|agent NODE    (nothing to do if it runs)
#   lab.sh [--name NAME] cp stop|start apiserver|etcd   (faults: a control-plane process stopped, and started
#                                                  again with its data; the relays stay)
#   lab.sh [--name NAME] reboot NODE     (faults: the agent SIGKILLed, the node's pods gone, its namespace recreated
#                                         empty with only eth0 at its address, the agent started again)
#   lab.sh [--name NAME] cni-dir NODE ro|rw   (faults: the node's CNI config directory read-only to its running
#                                         agent — a bind mount in the agent's mount namespace — or writable again)
#   lab.sh [--name NAME] exec WHERE COMMAND...                    (WHERE: cp, out, node01, node01-pod1)
#   lab.sh [--name NAME] kubectl ARGS...
#   lab.sh [--name NAME] echo-server WHERE [PORT]    (UDP: answers each datagram with the sender's address)
#   lab.sh [--name NAME] ask WHERE ADDRESS [PORT]    (prints the address ADDRESS saw us come from)
#   lab.sh sweep                                     (labs whose --owner process is gone)
#
# Labs live in $PLAINROUTE_LAB_ROOT (default /run/plainroute-lab)/NAME; NAME defaults to "demo".
set -euo pipefail

LAB_HOME=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$LAB_HOME/../.." && pwd)
LAB_ROOT=${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}
LAB_NAME=${LAB_NAME:-demo}
LAB_FIRST_NODE_HOST=11
ECHO_PORT=7777

die() {
  echo "lab: $*" >&2
  exit 1
}

source "$LAB_HOME/lib/addr.sh"
source "$LAB_HOME/lib/procs.sh"
source "$LAB_HOME/lib/cni.sh"
source "$LAB_HOME/lib/controlplane.sh"
source "$LAB_HOME/lib/prometheus.sh"

say() {
  [ -n "${LAB_QUIET:-}" ] || echo "  $*" >&2
}

ns_name() {
  echo "$LAB_NAME-$1"
}

ns_create() {
  local ns=$(ns_name "$1")
  echo "$ns" >>"$STATE/netns"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
}

ns_exists() {
  [ -e "/run/netns/$(ns_name "$1")" ]
}

lab_kubectl() {
  "$K8S_BIN/kubectl" --kubeconfig="$STATE/kubeconfig" --cache-dir="$STATE/kubectl-cache" "$@"
}

load_lab() {
  STATE="$LAB_ROOT/$LAB_NAME"
  [ -f "$STATE/lab.env" ] || die "no lab named '$LAB_NAME' is up (start one with: make demo)"
  source "$STATE/lab.env"
}

# --- up --------------------------------------------------------------------------------------

cmd_up() {
  local lan=192.168.1.0/24 nodes=3 cluster_cidrs=10.244.0.0/16 node_prefix=24 network=1 owner="" prometheus=0
  while [ $# -gt 0 ]; do
    case $1 in
      --lan) lan=$2; shift 2 ;;
      --nodes) nodes=$2; shift 2 ;;
      --cluster-cidr) cluster_cidrs=$2; shift 2 ;;
      --node-prefix) node_prefix=$2; shift 2 ;;
      --no-network) network=0; shift ;;
      --owner) owner=$2; shift 2 ;;
      --prometheus) prometheus=1; shift ;;
      *) die "up: unknown option '$1' (see the top of $0)" ;;
    esac
  done
  [ "$(id -u)" = 0 ] || die "the lab creates network namespaces: run it as root"
  check_cidr --lan "$lan"
  [[ $nodes =~ ^[0-9]+$ ]] && (( nodes <= 99 )) || die "--nodes: '$nodes' is not a number from 0 to 99"
  [[ $node_prefix =~ ^[0-9]+$ ]] || die "--node-prefix: '$node_prefix' is not a prefix length such as 24"
  local cidr
  for cidr in ${cluster_cidrs//,/ }; do
    check_cidr --cluster-cidr "$cidr"
    cidrs_overlap "$cidr" "$lan" && die "--cluster-cidr: $cidr overlaps the LAN $lan; pods and nodes need distinct ranges"
    (( node_prefix >= ${cidr#*/} && node_prefix <= 30 )) \
      || die "--node-prefix: /$node_prefix cannot cut $cidr into node subnets (use /${cidr#*/} to /30)"
  done
  local cp_ip out_ip
  cp_ip=$(cidr_host "$lan" 10)
  cidr_host "$lan" $(( LAB_FIRST_NODE_HOST + nodes )) >/dev/null
  out_ip=$(cidr_last_host "$lan")
  for tool in ip jq socat openssl curl setsid ss; do
    command -v $tool >/dev/null || die "$tool is missing: run hack/install-deps.sh (make deps)"
  done
  [ -x "$K8S_BIN/kube-apiserver" ] || die "no Kubernetes binaries in '$K8S_BIN': build them with make k8s"
  [ -f "$JAR" ] || die "no operator jar at $JAR: build it with make build"

  STATE="$LAB_ROOT/$LAB_NAME"
  if [ -e "$STATE" ]; then
    die "a lab named '$LAB_NAME' is already up ($STATE); take it down first: $0 --name $LAB_NAME down"
  fi
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  : >"$STATE/netns"
  # A lab that fails half-way is taken down again: nothing is left behind.
  # LAB_KEEP=1 keeps it for a post-mortem.
  [ -n "${LAB_KEEP:-}" ] || trap 'echo "lab: start-up failed; taking the half-built lab down" >&2; LAB_QUIET=1 cmd_down' EXIT
  cat >"$STATE/lab.env" <<EOF
LAN=$lan
LAN_LEN=${lan#*/}
CP_IP=$cp_ip
OUT_IP=$out_ip
CLUSTER_CIDRS=$cluster_cidrs
NODE_PREFIX=$node_prefix
K8S_BIN=$K8S_BIN
JAR=$JAR
OWNER=$owner
EOF
  [ -z "$owner" ] || echo "$owner $(proc_start_time "$owner")" >"$STATE/owner"
  source "$STATE/lab.env"

  say "LAN $lan: switch in namespace $(ns_name lan), control plane at $cp_ip, outside host at $out_ip"
  ns_create lan
  ip -n "$(ns_name lan)" link add lan0 type bridge
  ip -n "$(ns_name lan)" link set lan0 up
  host_create cp "$cp_ip"
  host_create out "$out_ip"

  say "control plane: etcd, kube-apiserver, kube-controller-manager (in $(ns_name cp))"
  cp_start
  lab_kubectl apply --server-side -f "$REPO/crds/" >/dev/null
  lab_kubectl wait --for=condition=Established --timeout=60s -f "$REPO/crds/" >/dev/null

  say "plainroute controller (in $(ns_name cp))"
  controller_start
  (( prometheus == 0 )) || prometheus_start

  local i
  for (( i = 1; i <= nodes; i++ )); do
    node_add "$(printf 'node%02d' "$i")" "$(cidr_host "$lan" $(( LAB_FIRST_NODE_HOST + i - 1 )))"
  done

  if (( network )); then
    network_declare
    cmd_wait_ready 180
  fi
  trap - EXIT
}

# A namespace on the LAN with eth0 at ADDRESS; the switch port is named after the alias.
host_create() {
  local alias=$1 address=$2 ns
  ns=$(ns_name "$alias")
  ns_create "$alias"
  local port="p-$alias"
  port=${port:0:15}
  ip link add eth0 netns "$ns" type veth peer name "$port" netns "$(ns_name lan)"
  ip -n "$(ns_name lan)" link set "$port" master lan0 up
  ip -n "$ns" addr add "$address/$LAN_LEN" dev eth0
  ip -n "$ns" link set eth0 up
}

java_command() {
  # The image's launcher, with the JVM flags of the role (PLAINROUTE_ROLE) and the class-data
  # sharing archive next to the jar: the lab runs what a cluster runs. -Dplainroute-lab.dir names
  # the lab, for procs_of_lab.
  echo PLAINROUTE_APP="$(dirname "$JAR")" "$REPO/hack/jvm/launch.sh" "-Dplainroute-lab.dir=$STATE"
}

controller_start() {
  local offset
  offset=$(stat -c %s "$STATE/logs/controller.log" 2>/dev/null || echo 0)
  # Supervised, as the controller's Deployment would be: restarted whenever it exits (a controller
  # that lost its lease during an API server outage exits by design).
  proc_supervise controller "$(ns_name cp)" env KUBECONFIG="$STATE/cp/kubeconfig" PLAINROUTE_ROLE=controller \
    POD_NAMESPACE=kube-system $(java_command)
  proc_wait_log controller 'started in' 60 "$offset"
}

agent_start() {
  local node=$1
  mkdir -p "$STATE/nodes/$node/cni/net.d"
  proc_supervise "agent-$node" "$(ns_name "$node")" env KUBECONFIG="$STATE/node-kubeconfig" PLAINROUTE_ROLE=agent \
    NODE_NAME="$node" PLAINROUTE_AGENT_CNI_CONF_DIR="$STATE/nodes/$node/cni/net.d" $(java_command)
}

node_add() {
  local node=$1 address=$2 agent=${3:-1}
  [[ $node =~ ^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$ ]] || die "node name '$node': use up to 16 lowercase letters, digits and '-'"
  [ ! -d "$STATE/nodes/$node" ] || die "node $node is already in the lab"
  cidr_contains "$LAN" "$address" || die "node address $address is not on the LAN $LAN"
  [ "$address" != "$CP_IP" ] && [ "$address" != "$OUT_IP" ] || die "node address $address is the control plane's or the outside host's"
  say "node $node at $address: namespace $(ns_name "$node"), Node object, agent"
  mkdir -p "$STATE/nodes/$node/ipam"
  echo "$address" >"$STATE/nodes/$node/address"
  host_create "$node" "$address"
  # Registered as a kubelet would: the InternalIP in the status is what peers route to.
  lab_kubectl create -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Node",
 "metadata": {"name": "$node", "labels": {"kubernetes.io/hostname": "$node"}},
 "status": {"addresses": [{"type": "InternalIP", "address": "$address"}, {"type": "Hostname", "address": "$node"}]}}
EOF
  (( agent == 0 )) || agent_start "$node"
  prometheus_targets_write
}

network_declare() {
  local cidrs
  cidrs=$(jq -cn --arg c "$CLUSTER_CIDRS" '$c | split(",")')
  say "ClusterNetwork default: clusterCIDRs $cidrs, one /$NODE_PREFIX per node"
  lab_kubectl apply -f - >/dev/null <<EOF
{"apiVersion": "plainroute.io/v1alpha1", "kind": "ClusterNetwork", "metadata": {"name": "default"},
 "spec": {"clusterCIDRs": $cidrs, "nodeSubnetPrefixLength": $NODE_PREFIX}}
EOF
}

# Every node of the lab has a NodeNetwork whose Ready condition is True.
cmd_wait_ready() {
  local seconds=${1:-120} i node ready
  for (( i = 0; i < seconds * 2; i++ )); do
    ready=1
    for node in $(lab_nodes); do
      [ "$(lab_kubectl get nodenetwork "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] \
        || { ready=0; break; }
    done
    (( ready )) && return 0
    sleep 0.5
  done
  lab_kubectl get nodenetworks >&2 || true
  die "not every node's NodeNetwork was Ready within ${seconds}s (agent logs: $STATE/logs/agent-*.log)"
}

lab_nodes() {
  [ -d "$STATE/nodes" ] && ls "$STATE/nodes"
  return 0
}

# --- nodes and pods --------------------------------------------------------------------------

cmd_node() {
  local verb=${1:-} node=${2:-}
  [ -n "$node" ] || die "usage: node add NAME [ADDRESS] [--no-agent] | node delete NAME"
  case $verb in
    add)
      # --no-agent registers the node only (`start agent NODE` later): to time the controller alone.
      local address="" agent=1 arg
      for arg in "${@:3}"; do
        case $arg in
          --no-agent) agent=0 ;;
          *) address=$arg ;;
        esac
      done
      [ -n "$address" ] || address=$(lab_free_node_address)
      node_add "$node" "$address" "$agent"
      ;;
    delete)
      [ -d "$STATE/nodes/$node" ] || die "no node $node in the lab"
      lab_kubectl delete node "$node" --wait=false >/dev/null
      proc_stop "agent-$node"
      node_pods_remove "$node"
      ip netns delete "$(ns_name "$node")"
      rm -rf "$STATE/nodes/$node"
      prometheus_targets_write
      ;;
    *) die "usage: node add NAME [ADDRESS] | node delete NAME" ;;
  esac
}

# The pods of NODE gone, as when their node is: namespaces, CNI results, and whatever ran in them.
node_pods_remove() {
  local node=$1 pod pid
  for pod in $(ls "$STATE/pods" 2>/dev/null | sed -n "s/^$node-\(.*\)\.json$/\1/p"); do
    for pid in $(ip netns pids "$(ns_name "$node-$pod")" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$(ns_name "$node-$pod")" 2>/dev/null || true
    rm -f "$STATE/pods/$node-$pod.json"
  done
}

# A power cycle as the dataplane sees it: the agent dies, the kernel state of the node (links,
# routes, nftables, sysctls) and its pods are gone; the disk (CNI config, Node object) stays. The
# node comes back with only its uplink, and its agent is started again, as by systemd and kubelet.
cmd_reboot() {
  local node=${1:-} pid mac
  [ -n "$node" ] && [ -d "$STATE/nodes/$node" ] || die "usage: reboot NODE (a node of the lab)"
  # The NIC is the same hardware after a reboot: its MAC stays (the peers' ARP entries stay right).
  mac=$(ip -n "$(ns_name "$node")" -j link show eth0 | jq -r '.[0].address')
  proc_stop "agent-$node" KILL
  node_pods_remove "$node"
  rm -rf "$STATE/nodes/$node/ipam"
  mkdir -p "$STATE/nodes/$node/ipam"
  for pid in $(ip netns pids "$(ns_name "$node")" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  # The kernel frees a deleted namespace asynchronously, and the LAN's end of its veth with it:
  # deleted first, the switch port is gone before host_create adds one of that name again.
  local port="p-$node"
  ip -n "$(ns_name lan)" link del "${port:0:15}" 2>/dev/null || true
  ip netns delete "$(ns_name "$node")"
  host_create "$node" "$(<"$STATE/nodes/$node/address")"
  ip -n "$(ns_name "$node")" link set eth0 address "$mac"
  agent_start "$node"
}

# The lowest node address (.11 up) that no node of the lab uses.
lab_free_node_address() {
  local host address used
  used=$(cat "$STATE"/nodes/*/address 2>/dev/null || true)
  for (( host = LAB_FIRST_NODE_HOST; ; host++ )); do
    address=$(cidr_host "$LAN" "$host")
    grep -qx "$address" <<<"$used" || { echo "$address"; return 0; }
  done
}

cmd_pod() {
  local verb=${1:-} node=${2:-} pod=${3:-}
  [ -n "$pod" ] || die "usage: pod add NODE POD | pod del NODE POD"
  [[ $pod =~ ^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$ ]] || die "pod name '$pod': use up to 16 lowercase letters, digits and '-'"
  [ -d "$STATE/nodes/$node" ] || die "no node $node in the lab"
  local conflist="$STATE/nodes/$node/cni/net.d/10-plainroute.conflist" result="$STATE/pods/$node-$pod.json"
  case $verb in
    add)
      [ ! -f "$result" ] || die "pod $pod already runs on $node"
      local i
      for (( i = 0; i < 600; i++ )); do [ -f "$conflist" ] && break; sleep 0.1; done
      [ -f "$conflist" ] || die "the agent on $node wrote no CNI config ($conflist) within 60s"
      mkdir -p "$STATE/pods"
      ns_create "$node-$pod"
      local out
      if ! out=$(cni_add "$conflist" "$(ns_name "$node")" "$(ns_name "$node-$pod")" eth0 "$STATE/nodes/$node/ipam"); then
        ip netns delete "$(ns_name "$node-$pod")"
        exit 1
      fi
      echo "$out" >"$result"
      jq -r '.ips[0].address | split("/")[0]' <<<"$out"
      ;;
    del)
      [ -f "$result" ] || die "no pod $pod on $node"
      cni_del "$conflist" "$(ns_name "$node")" "$(ns_name "$node-$pod")" eth0 "$STATE/nodes/$node/ipam" "$(<"$result")"
      ip netns delete "$(ns_name "$node-$pod")"
      rm -f "$result"
      ;;
    *) die "usage: pod add NODE POD | pod del NODE POD" ;;
  esac
}

# --- processes -------------------------------------------------------------------------------

cmd_kill() {
  case ${1:-} in
    controller) proc_kill controller ;;
    agent) [ -n "${2:-}" ] || die "usage: kill agent NODE"; proc_kill "agent-$2" ;;
    *) die "usage: kill controller | kill agent NODE" ;;
  esac
}

cmd_stop() {
  case ${1:-} in
    controller) proc_stop controller ;;
    agent) [ -n "${2:-}" ] || die "usage: stop agent NODE"; proc_stop "agent-$2" ;;
    *) die "usage: stop controller | stop agent NODE" ;;
  esac
}

# Starts a stopped component; one that runs, or that its supervisor is about to restart after a
# kill, is left alone.
cmd_start() {
  case ${1:-} in
    controller) proc_supervised controller || proc_alive controller || controller_start ;;
    agent)
      [ -d "$STATE/nodes/${2:-}" ] || die "usage: start agent NODE (a node of the lab)"
      proc_supervised "agent-$2" || proc_alive "agent-$2" || agent_start "$2"
      ;;
    *) die "usage: start controller | start agent NODE" ;;
  esac
}

# --- faults ----------------------------------------------------------------------------------

cmd_cp() {
  case ${1:-}/${2:-} in
    stop/apiserver) proc_stop kube-apiserver ;;
    stop/etcd) proc_stop etcd ;;
    start/apiserver) proc_alive kube-apiserver || apiserver_start ;;
    start/etcd) proc_alive etcd || etcd_start ;;
    *) die "usage: cp stop|start apiserver|etcd" ;;
  esac
}

# The directory is read-only to the agent only (the lab still writes it): the mount is made in the
# mount namespace `ip netns exec` gave the agent, so it ends with that agent process.
cmd_cni_dir() {
  local node=${1:-} mode=${2:-} dir pid
  dir="$STATE/nodes/$node/cni/net.d"
  [ -n "$node" ] && [ -d "$dir" ] && [[ $mode == ro || $mode == rw ]] || die "usage: cni-dir NODE ro|rw (a node of the lab)"
  pid=$(proc_pid "agent-$node") || die "the agent on $node does not run (the read-only mount is made in its mount namespace)"
  case $mode in
    ro) nsenter -t "$pid" -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"' sh "$dir" ;;
    rw) nsenter -t "$pid" -m umount "$dir" ;;
  esac
}

cmd_exec() {
  local where=${1:-}
  [ -n "$where" ] && [ $# -ge 2 ] || die "usage: exec WHERE COMMAND..."
  ns_exists "$where" || die "no namespace '$where' in lab $LAB_NAME"
  shift
  exec ip netns exec "$(ns_name "$where")" "$@"
}

cmd_echo_server() {
  local where=${1:-} port=${2:-$ECHO_PORT}
  ns_exists "$where" || die "no namespace '$where' in lab $LAB_NAME"
  proc_start "echo-$where-$port" "$(ns_name "$where")" socat "UDP4-RECVFROM:$port,fork,reuseaddr" \
    SYSTEM:"read -r line; echo \$SOCAT_PEERADDR; : $STATE"
}

cmd_ask() {
  local where=${1:-} address=${2:-} port=${3:-$ECHO_PORT}
  [ -n "$address" ] || die "usage: ask WHERE ADDRESS [PORT]"
  ns_exists "$where" || die "no namespace '$where' in lab $LAB_NAME"
  echo hello | ip netns exec "$(ns_name "$where")" socat -t 3 -T 3 - "UDP4:$address:$port"
}

# --- inspection ------------------------------------------------------------------------------

cmd_env() {
  echo "export KUBECONFIG=$STATE/kubeconfig"
  echo "export PATH=$K8S_BIN:\$PATH"
  [ -z "${PROMETHEUS_PORT:-}" ] || echo "export PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
}

cmd_status() {
  echo "lab $LAB_NAME: LAN $LAN, control plane $CP_IP (API 127.0.0.1:$API_PORT), outside $OUT_IP"
  local name state
  for name in $(ls "$STATE/pids" 2>/dev/null | grep -v '\.supervisor$'); do
    state=$(proc_alive "$name" && echo "running (pid $(proc_pid "$name"))" || echo stopped)
    proc_supervised "$name" && state="$state, supervised"
    printf '  %-28s %s\n' "$name" "$state"
  done
}

# --- down and sweep --------------------------------------------------------------------------

cmd_down() {
  STATE="$LAB_ROOT/$LAB_NAME"
  [ -d "$STATE" ] || { say "no lab named '$LAB_NAME'"; return 0; }
  local pid ns
  # Operators first and gracefully (an agent tears nothing down when it stops), then the control
  # plane, so that nothing logs a storm of connection errors while the API server goes away.
  procs_stop_all $(ls "$STATE/pids" 2>/dev/null | grep -v -e '^etcd$' -e '^kube-' -e '^relay-')
  procs_stop_all $(ls "$STATE/pids" 2>/dev/null)
  for pid in $(procs_of_lab); do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -f "$STATE/netns" ]; then
    for ns in $(tac "$STATE/netns"); do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns delete "$ns" 2>/dev/null || true
    done
  fi
  rm -rf "$STATE"
  say "lab $LAB_NAME is down"
}

# Takes down the labs whose owner (a test JVM given as --owner) has exited.
cmd_sweep() {
  local dir pid started
  for dir in "$LAB_ROOT"/*/; do
    [ -f "$dir/owner" ] || continue
    read -r pid started <"$dir/owner"
    if [ "$(proc_start_time "$pid")" != "$started" ]; then
      LAB_NAME=$(basename "$dir") LAB_QUIET=1 cmd_down
      echo "lab: swept $(basename "$dir") (its owner $pid is gone)" >&2
    fi
  done
}

# --- main ------------------------------------------------------------------------------------

while [ $# -gt 0 ]; do
  case $1 in
    --name) LAB_NAME=$2; shift 2 ;;
    *) break ;;
  esac
done
[[ $LAB_NAME =~ ^[a-z][a-z0-9]{0,11}$ ]] || die "--name: '$LAB_NAME' must be 1-12 lowercase letters and digits, starting with a letter"
command=${1:-}
[ -n "$command" ] || die "usage: see the top of $0"
shift
if [ -z "${K8S_BIN:-}" ]; then
  source "$REPO/hack/k8s/versions.env"
  K8S_BIN="${PLAINROUTE_CACHE:-$HOME/.cache/plainroute}/k8s/$K8S_VERSION/bin"
fi
JAR=${JAR:-$REPO/target/quarkus-app/quarkus-run.jar}
case $command in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  sweep) cmd_sweep ;;
  *)
    load_lab
    case $command in
      env) cmd_env ;;
      status) cmd_status ;;
      wait-ready) cmd_wait_ready "$@" ;;
      node) cmd_node "$@" ;;
      pod) cmd_pod "$@" ;;
      kill) cmd_kill "$@" ;;
      stop) cmd_stop "$@" ;;
      start) cmd_start "$@" ;;
      cp) cmd_cp "$@" ;;
      reboot) cmd_reboot "$@" ;;
      cni-dir) cmd_cni_dir "$@" ;;
      exec) cmd_exec "$@" ;;
      kubectl) lab_kubectl "$@" ;;
      echo-server) cmd_echo_server "$@" ;;
      ask) cmd_ask "$@" ;;
      *) die "unknown command '$command' (see the top of $0)" ;;
    esac
    ;;
esac
