#!/usr/bin/env bash
# The plainroute lab: a Kubernetes cluster of network namespaces on one machine, as in the
# lectures — a LAN (a bridge in a namespace of its own), a control plane at .10, nodes at .11,
# .12, ... each running the plainroute agent, an "outside" host at the LAN's last address, and
# pods attached by the reference CNI plugins with the conflist the agent wrote. The LAN is IPv4,
# dual-stack (an IPv6 unique local LAN beside the IPv4 one; every host has an address of each, with
# the same host number: 192.168.1.11 and fd00:192:168:1::11) or IPv6 only. The machine's own
# namespace gets processes only (and the API server relay on 127.0.0.1). `make demo` and the
# e2e tests both drive this script. Run as root.
#
#   lab.sh [--name NAME] up [--stack ipv4|dual|ipv6] [--lan CIDR[,CIDR]] [--nodes N]
#                          [--cluster-cidr CIDR[,CIDR...]] [--node-prefix LEN] [--node-prefix6 LEN]
#                          [--no-network] [--owner PID] [--prometheus] [--real-nodes [--image FILE]]
#     --stack: the families of the LAN and the cluster (default: those of --lan, else ipv4); it
#     picks the default LAN (192.168.1.0/24 and/or fd00:192:168:1::/64) and cluster ranges
#     (10.244.0.0/16 and/or fd00:10:244::/56). --lan: one CIDR per family; --cluster-cidr: the
#     first range's family is the cluster's primary one. --node-prefix: IPv4 node subnet size
#     (24), --node-prefix6: IPv6 node subnet size (64). IPv6 ranges must be unique local (fc00::/7).
#     --prometheus: a Prometheus server in the control plane's namespace scraping the controller
#     and every agent, with plainroute's alert rules (lib/prometheus.sh); `env` prints its URL
#     --real-nodes: every node runs its own containerd and kubelet (lib/realnode.sh), which registers
#     its Node and runs pods; the lab's pause and test-pod images (hack/image/lab-images.sh) are
#     imported into each. Without --no-network, plainroute is deployed from its manifests
#     (`kubectl apply -k`, lib/deploy.sh) with the image of the OCI archive --image FILE (default
#     target/plainroute-image.tar, `make image`), and the ClusterNetwork declared.
#   lab.sh [--name NAME] image import FILE...   (real nodes: OCI archives into every node's containerd,
#                                                 also into nodes added later)
#   lab.sh [--name NAME] deploy FILE            (real nodes: plainroute's manifests with the image in FILE)
#   lab.sh [--name NAME] down | env | status | wait-ready [SECONDS]
#   lab.sh [--name NAME] node add NAME [IP] [--no-agent] | node delete NAME   (IP of either family)
#   lab.sh [--name NAME] pod add NODE POD | pod del NODE POD
#     (add prints the pod's addresses, one a line, the primary family's first)
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
#   lab.sh [--name NAME] echo-server WHERE [PORT]    (UDP, each family: answers each datagram with the sender's address)
#   lab.sh [--name NAME] ask WHERE ADDRESS [PORT]    (prints the address ADDRESS saw us come from; either family)
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
source "$LAB_HOME/lib/realnode.sh"
source "$LAB_HOME/lib/deploy.sh"

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

# The defaults of each --stack: the lectures' IPv4 numbers, and unique local IPv6 ranges that
# read like them.
stack_default_lan() {
  case $1 in
    ipv4) echo 192.168.1.0/24 ;;
    dual) echo 192.168.1.0/24,fd00:192:168:1::/64 ;;
    ipv6) echo fd00:192:168:1::/64 ;;
  esac
}

stack_default_cluster_cidrs() {
  case $1 in
    ipv4) echo 10.244.0.0/16 ;;
    dual) echo 10.244.0.0/16,fd00:10:244::/56 ;;
    ipv6) echo fd00:10:244::/56 ;;
  esac
}

# The stack that a list of CIDRs makes: ipv4, ipv6 or dual.
stack_of() {
  local cidr v4=0 v6=0
  for cidr in ${1//,/ }; do
    [ "$(family_of "$cidr")" = 6 ] && v6=1 || v4=1
  done
  (( v4 && v6 )) && echo dual && return
  (( v6 )) && echo ipv6 || echo ipv4
}

cmd_up() {
  local stack="" lan="" nodes=3 cluster_cidrs="" node_prefix=24 node_prefix6=64 network=1 owner="" prometheus=0
  local real=0 image=""
  while [ $# -gt 0 ]; do
    case $1 in
      --stack) stack=$2; shift 2 ;;
      --lan) lan=$2; shift 2 ;;
      --nodes) nodes=$2; shift 2 ;;
      --cluster-cidr) cluster_cidrs=$2; shift 2 ;;
      --node-prefix) node_prefix=$2; shift 2 ;;
      --node-prefix6) node_prefix6=$2; shift 2 ;;
      --no-network) network=0; shift ;;
      --owner) owner=$2; shift 2 ;;
      --prometheus) prometheus=1; shift ;;
      --real-nodes) real=1; shift ;;
      --image) image=$2; shift 2 ;;
      *) die "up: unknown option '$1' (see the top of $0)" ;;
    esac
  done
  [ "$(id -u)" = 0 ] || die "the lab creates network namespaces: run it as root"
  [ -n "$stack" ] || stack=$(stack_of "${lan:-${cluster_cidrs:-192.168.1.0/24}}")
  [[ $stack =~ ^(ipv4|dual|ipv6)$ ]] || die "--stack: '$stack' is not one of ipv4, dual, ipv6"
  [ -n "$lan" ] || lan=$(stack_default_lan "$stack")
  [ -n "$cluster_cidrs" ] || cluster_cidrs=$(stack_default_cluster_cidrs "$stack")
  [ "$(stack_of "$lan")" = "$stack" ] \
    || die "--lan: '$lan' makes an $(stack_of "$lan") LAN, but the stack is $stack; give one LAN per family of the stack"
  [ "$(stack_of "$cluster_cidrs")" = "$stack" ] \
    || die "--cluster-cidr: '$cluster_cidrs' has the families of an $(stack_of "$cluster_cidrs") cluster, but the LAN is $stack; nodes need an address of each family of the cluster"
  local lan4="" lan6="" cidr
  for cidr in ${lan//,/ }; do
    if [ "$(family_of "$cidr")" = 6 ]; then
      [ -z "$lan6" ] || die "--lan: two IPv6 LANs ($lan6, $cidr); give one per family"
      check_cidr6 --lan "$cidr"
      (( ${cidr#*/} <= 112 )) || die "--lan: $cidr leaves no last group for host numbers (use /112 or shorter)"
      lan6=$cidr
    else
      [ -z "$lan4" ] || die "--lan: two IPv4 LANs ($lan4, $cidr); give one per family"
      check_cidr --lan "$cidr"
      lan4=$cidr
    fi
  done
  [[ $nodes =~ ^[0-9]+$ ]] && (( nodes <= 99 )) || die "--nodes: '$nodes' is not a number from 0 to 99"
  [[ $node_prefix =~ ^[0-9]+$ ]] || die "--node-prefix: '$node_prefix' is not a prefix length such as 24"
  [[ $node_prefix6 =~ ^[0-9]+$ ]] || die "--node-prefix6: '$node_prefix6' is not a prefix length such as 64"
  # The family of the first cluster range is the cluster's primary one: it comes first on Nodes.
  local families=""
  for cidr in ${cluster_cidrs//,/ }; do
    if [ "$(family_of "$cidr")" = 6 ]; then
      check_cidr6 --cluster-cidr "$cidr"
      cidrs_overlap_any "$cidr" "$lan6" && die "--cluster-cidr: $cidr overlaps the LAN $lan6; pods and nodes need distinct ranges"
      (( node_prefix6 > ${cidr#*/} && node_prefix6 <= 120 )) \
        || die "--node-prefix6: /$node_prefix6 cannot cut $cidr into node subnets (use /$(( ${cidr#*/} + 1 )) to /120)"
    else
      check_cidr --cluster-cidr "$cidr"
      cidrs_overlap "$cidr" "$lan4" && die "--cluster-cidr: $cidr overlaps the LAN $lan4; pods and nodes need distinct ranges"
      (( node_prefix >= ${cidr#*/} && node_prefix <= 30 )) \
        || die "--node-prefix: /$node_prefix cannot cut $cidr into node subnets (use /${cidr#*/} to /30)"
    fi
    [[ " $families " == *" $(family_of "$cidr") "* ]] || families="$families $(family_of "$cidr")"
  done
  families=${families# }
  # Host numbers: the control plane .10, nodes from .11, the outside host the IPv4 LAN's last
  # address (254 without one); the IPv6 addresses carry the same numbers.
  local out_host=254
  if [ -n "$lan4" ]; then
    cidr_host "$lan4" $(( LAB_FIRST_NODE_HOST + nodes )) >/dev/null
    out_host=$(cidr_host_number "$lan4" "$(cidr_last_host "$lan4")")
  fi
  for tool in ip jq socat openssl curl setsid ss; do
    command -v $tool >/dev/null || die "$tool is missing: run hack/install-deps.sh (make deps)"
  done
  [ -x "$K8S_BIN/kube-apiserver" ] || die "no Kubernetes binaries in '$K8S_BIN': build them with make k8s"
  if (( real )); then
    realnodes_check
    [ -n "$image" ] || image=$REPO/target/plainroute-image.tar
    (( network == 0 )) || [ -f "$image" ] || die "--image: no OCI archive $image (build it with: make image)"
    (( network == 0 )) || deploy_image_ref "$image" >/dev/null
    image=$(readlink -f "$image")
  else
    [ -z "$image" ] || die "--image: only with --real-nodes (the emulated nodes run the jar)"
    [ -f "$JAR" ] || die "no operator jar at $JAR: build it with make build"
  fi

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
  # LAN, CP_IP, OUT_IP: the primary family's (what the lectures' IPv4 story and older callers
  # read); LAN4/LAN6, CP_IP4/CP_IP6, OUT_IP4/OUT_IP6: each family's, empty without it.
  local cp_host=10 primary=${families%% *} family
  local -A cp_ip out_ip
  LAN4=$lan4 LAN6=$lan6
  for family in 4 6; do
    cp_ip[$family]=$(lan_address "$family" $cp_host)
    out_ip[$family]=$(lan_address "$family" "$out_host")
  done
  cat >"$STATE/lab.env" <<EOF
STACK=$stack
FAMILIES="$families"
LAN=$(family_lan "$primary")
LAN_LEN=$(family_lan "$primary" | cut -d/ -f2)
LAN4=$lan4
LAN6=$lan6
CP_HOST=$cp_host
OUT_HOST=$out_host
CP_IP=${cp_ip[$primary]}
CP_IP4=${cp_ip[4]}
CP_IP6=${cp_ip[6]}
OUT_IP=${out_ip[$primary]}
OUT_IP4=${out_ip[4]}
OUT_IP6=${out_ip[6]}
CLUSTER_CIDRS=$cluster_cidrs
NODE_PREFIX=$node_prefix
NODE_PREFIX6=$node_prefix6
K8S_BIN=$K8S_BIN
JAR=$JAR
OWNER=$owner
REAL_NODES=$real
EOF
  [ -z "$owner" ] || echo "$owner $(proc_start_time "$owner")" >"$STATE/owner"
  source "$STATE/lab.env"

  say "LAN ${lan//,/ and } ($stack): switch in namespace $(ns_name lan), control plane at $(lan_addresses $CP_HOST), outside host at $(lan_addresses $OUT_HOST)"
  ns_create lan
  # No multicast snooping: without a querier on the LAN, IPv6 neighbour discovery must not
  # depend on the switch having heard every host's MLD report.
  ip -n "$(ns_name lan)" link add lan0 type bridge mcast_snooping 0
  ip -n "$(ns_name lan)" link set lan0 up
  host_create cp $CP_HOST
  host_create out $OUT_HOST

  say "control plane: etcd, kube-apiserver, kube-controller-manager (in $(ns_name cp))"
  cp_start
  if (( real )); then
    say "kube-scheduler (in $(ns_name cp)); lab images (hack/image/lab-images.sh)"
    realnodes_cp_start
    realnodes_lab_images
  else
    lab_kubectl apply --server-side -f "$REPO/crds/" >/dev/null
    lab_kubectl wait --for=condition=Established --timeout=60s -f "$REPO/crds/" >/dev/null
    say "plainroute controller (in $(ns_name cp))"
    controller_start
  fi
  (( prometheus == 0 )) || prometheus_start

  local i
  for (( i = 1; i <= nodes; i++ )); do
    node_add "$(printf 'node%02d' "$i")" $(( LAB_FIRST_NODE_HOST + i - 1 ))
  done

  if (( network )); then
    if (( real )); then
      deploy_manifests "$image"
    fi
    network_declare
    cmd_wait_ready 300
  fi
  trap - EXIT
}

# The LAN of family 4 or 6 ("" if the lab has none).
family_lan() {
  [ "$1" = 6 ] && echo "${LAN6:-}" || echo "${LAN4:-}"
}

# lan_address FAMILY HOST: the address of host number HOST on that family's LAN ("" without one).
lan_address() {
  local lan
  lan=$(family_lan "$1")
  [ -n "$lan" ] || return 0
  if [ "$1" = 6 ]; then cidr6_host "$lan" "$2"; else cidr_host "$lan" "$2"; fi
}

# The addresses of host number HOST, one per family of the lab, primary first, space separated.
lan_addresses() {
  local family out=()
  for family in $FAMILIES; do out+=("$(lan_address "$family" "$1")"); done
  echo "${out[*]}"
}

# A namespace on the LAN with eth0 holding host number HOST of each family; the switch port is
# named after the alias.
host_create() {
  local alias=$1 host=$2 ns family
  ns=$(ns_name "$alias")
  ns_create "$alias"
  local port="p-$alias"
  port=${port:0:15}
  ip link add eth0 netns "$ns" type veth peer name "$port" netns "$(ns_name lan)"
  ip -n "$(ns_name lan)" link set "$port" master lan0 up
  # IPv6 as a real host does it: duplicate address detection, then an unsolicited neighbour
  # advertisement (ndisc_notify; the kernel sends none for an address added without DAD), so that
  # a node taking the address of one deleted a moment ago is reachable at once rather than after
  # the peers' neighbour entries for the old one expire (IPv4's ARP overrides those by itself).
  [ -z "${LAN6:-}" ] || ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.ndisc_notify=1
  for family in $FAMILIES; do
    if [ "$family" = 6 ]; then
      ip -n "$ns" -6 addr add "$(lan_address 6 "$host")/${LAN6#*/}" dev eth0
    else
      ip -n "$ns" addr add "$(lan_address 4 "$host")/${LAN4#*/}" dev eth0
    fi
  done
  ip -n "$ns" link set eth0 up
  [ -z "${LAN6:-}" ] || host_wait_dad "$alias"
  [ -z "${LAN4:-}" ] || host_announce_ipv4 "$alias" "$port"
}

# A gratuitous ARP for eth0's IPv4 address once the switch forwards its port, as a real host
# announces itself (RFC 5227): a node taking the address of one deleted a moment ago is then
# reachable at once, not only after each peer's entry for the old MAC ages or the new node happens
# to ARP that peer first. The kernel sends one (arp_notify) when the MAC changes; the one it sends
# on link up leaves before the switch port forwards, so eth0 gets its MAC anew.
host_announce_ipv4() {
  local ns port=$2 i
  ns=$(ns_name "$1")
  for (( i = 0; i < 50; i++ )); do
    [[ $(ip -n "$(ns_name lan)" -d link show dev "$port") == *"state forwarding"* ]] && break
    sleep 0.02
  done
  ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_notify=1
  ip -n "$ns" link set eth0 address "$(printf '02:%02x:%02x:%02x:%02x:%02x' $(od -An -N5 -tu1 /dev/urandom))"
}

# Until eth0's IPv6 address is no longer tentative (DAD takes a second).
host_wait_dad() {
  local ns i
  ns=$(ns_name "$1")
  for (( i = 0; i < 100; i++ )); do
    [ -n "$(ip -n "$ns" -6 addr show dev eth0 tentative)" ] || return 0
    sleep 0.1
  done
  die "the IPv6 address of $1 is still tentative after 10s (duplicate address detection): $(ip -n "$ns" -6 -br addr show dev eth0)"
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

# node_add NODE HOST [AGENT]: a node at host number HOST of each family of the LAN.
node_add() {
  local node=$1 host=$2 agent=${3:-1}
  [[ $node =~ ^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$ ]] || die "node name '$node': use up to 16 lowercase letters, digits and '-'"
  [ ! -d "$STATE/nodes/$node" ] || die "node $node is already in the lab"
  (( host != CP_HOST && host != OUT_HOST )) || die "node address $(lan_addresses "$host") is the control plane's or the outside host's"
  local addresses
  addresses=$(lan_addresses "$host")
  if [ "${REAL_NODES:-0}" = 1 ]; then
    say "node $node at ${addresses// / and }: namespace $(ns_name "$node"), containerd, kubelet"
  else
    say "node $node at ${addresses// / and }: namespace $(ns_name "$node"), Node object, agent"
  fi
  mkdir -p "$STATE/nodes/$node/ipam"
  # address: the primary family's (older readers); addresses: every family's, primary first.
  echo "$host" >"$STATE/nodes/$node/host"
  echo "${addresses%% *}" >"$STATE/nodes/$node/address"
  tr ' ' '\n' <<<"$addresses" >"$STATE/nodes/$node/addresses"
  host_create "$node" "$host"
  if [ "${REAL_NODES:-0}" = 1 ]; then
    realnode_start "$node"
    return 0
  fi
  # Registered as a kubelet would: the InternalIPs in the status (one per family, primary first,
  # like a kubelet's --node-ip) are what peers route to.
  lab_kubectl create -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Node",
 "metadata": {"name": "$node", "labels": {"kubernetes.io/hostname": "$node"}},
 "status": {"addresses": $(jq -cn --arg a "$addresses" --arg n "$node" \
   '[$a | split(" ")[] | {type: "InternalIP", address: .}] + [{type: "Hostname", address: $n}]')}}
EOF
  (( agent == 0 )) || agent_start "$node"
  prometheus_targets_write
}

network_declare() {
  local cidrs
  cidrs=$(jq -cn --arg c "$CLUSTER_CIDRS" '$c | split(",")')
  local spec sizes=""
  spec=$(jq -cn --argjson c "$cidrs" '{clusterCIDRs: $c}')
  if [[ " $FAMILIES " == *" 4 "* ]]; then
    spec=$(jq -c --argjson p "$NODE_PREFIX" '. + {nodeSubnetPrefixLength: $p}' <<<"$spec")
    sizes="/$NODE_PREFIX"
  fi
  if [[ " $FAMILIES " == *" 6 "* ]]; then
    spec=$(jq -c --argjson p "$NODE_PREFIX6" '. + {nodeSubnetPrefixLengthIPv6: $p}' <<<"$spec")
    sizes="${sizes:+$sizes and }/$NODE_PREFIX6"
  fi
  say "ClusterNetwork default: clusterCIDRs $cidrs, one $sizes per node"
  lab_kubectl apply -f - >/dev/null <<EOF
{"apiVersion": "plainroute.io/v1alpha1", "kind": "ClusterNetwork", "metadata": {"name": "default"}, "spec": $spec}
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
      # ADDRESS (of any family of the LAN) picks the host number; the other family's address
      # carries the same number.
      local address="" agent=1 arg host lan
      for arg in "${@:3}"; do
        case $arg in
          --no-agent) agent=0 ;;
          *) address=$arg ;;
        esac
      done
      if [ -n "$address" ]; then
        lan=$(family_lan "$(family_of "$address")")
        [ -n "$lan" ] || die "node address $address: the lab's LAN ($LAN) has no IPv$(family_of "$address")"
        host=$(cidr_host_number "$lan" "$address") \
          || die "node address $address is not on the LAN $lan (IPv6: the host number in decimal digits as the last group, e.g. ${lan%/*}11)"
        lan_addresses "$host" >/dev/null
        grep -qsx "$host" "$STATE"/nodes/*/host && die "node address $address is taken by another node"
      else
        host=$(lab_free_node_host)
      fi
      node_add "$node" "$host" "$agent"
      ;;
    delete)
      [ -d "$STATE/nodes/$node" ] || die "no node $node in the lab"
      # A real node's kubelet first: running, it would register its Node again.
      [ "${REAL_NODES:-0}" != 1 ] || realnode_stop "$node"
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
  host_create "$node" "$(<"$STATE/nodes/$node/host")"
  ip -n "$(ns_name "$node")" link set eth0 address "$mac"
  agent_start "$node"
}

# The lowest host number (11 up) that no node of the lab uses.
lab_free_node_host() {
  local host used
  used=$(cat "$STATE"/nodes/*/host 2>/dev/null || true)
  for (( host = LAB_FIRST_NODE_HOST; ; host++ )); do
    grep -qx "$host" <<<"$used" || { lan_addresses "$host" >/dev/null; echo "$host"; return 0; }
  done
}

cmd_pod() {
  local verb=${1:-} node=${2:-} pod=${3:-}
  [ -n "$pod" ] || die "usage: pod add NODE POD | pod del NODE POD"
  [[ $pod =~ ^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$ ]] || die "pod name '$pod': use up to 16 lowercase letters, digits and '-'"
  [ -d "$STATE/nodes/$node" ] || die "no node $node in the lab"
  # The kubelet's containerd attaches pods there, from its own host-local store: two runtimes
  # on one node would hand out the same addresses.
  [ "${REAL_NODES:-0}" != 1 ] || die "pod: the nodes of this lab are real; run Pods (spec.nodeName: $node) with lab.sh kubectl"
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
      pod_addresses "$out"
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

# The pod's addresses from its CNI result, one a line, the cluster's primary family first.
pod_addresses() {
  jq -r --arg families "$FAMILIES" '
    [.ips[].address | split("/")[0]]
    | sort_by(if contains(":") then ($families | index("6")) else ($families | index("4")) end)[]' <<<"$1"
}

# An echo server for each family of the lab.
cmd_echo_server() {
  local where=${1:-} port=${2:-$ECHO_PORT}
  ns_exists "$where" || die "no namespace '$where' in lab $LAB_NAME"
  if [[ " $FAMILIES " == *" 4 "* ]]; then
    proc_start "echo-$where-$port" "$(ns_name "$where")" socat "UDP4-RECVFROM:$port,fork,reuseaddr" \
      SYSTEM:"read -r line; echo \$SOCAT_PEERADDR; : $STATE"
  fi
  if [[ " $FAMILIES " == *" 6 "* ]]; then
    proc_start "echo6-$where-$port" "$(ns_name "$where")" socat "UDP6-RECVFROM:$port,fork,reuseaddr,ipv6only=1" \
      SYSTEM:"read -r line; echo \$SOCAT_PEERADDR; : $STATE"
  fi
}

# Prints the source address the echo server saw, in canonical form (socat writes IPv6 ones in
# full and in brackets).
cmd_ask() {
  local where=${1:-} address=${2:-} port=${3:-$ECHO_PORT} seen
  [ -n "$address" ] || die "usage: ask WHERE ADDRESS [PORT]"
  ns_exists "$where" || die "no namespace '$where' in lab $LAB_NAME"
  if [ "$(family_of "$address")" = 6 ]; then
    seen=$(echo hello | ip netns exec "$(ns_name "$where")" socat -t 3 -T 3 - "UDP6:[$address]:$port")
    seen=${seen#[}
    ip6_canonical "${seen%]}" || die "the echo server at $address answered '$seen', not an address"
  else
    echo hello | ip netns exec "$(ns_name "$where")" socat -t 3 -T 3 - "UDP4:$address:$port"
  fi
}

# --- inspection ------------------------------------------------------------------------------

cmd_env() {
  echo "export KUBECONFIG=$STATE/kubeconfig"
  echo "export PATH=$K8S_BIN:\$PATH"
  [ -z "${PROMETHEUS_PORT:-}" ] || echo "export PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
}

cmd_status() {
  echo "lab $LAB_NAME ($STACK): LAN $(echo $LAN4 $LAN6), control plane $(lan_addresses $CP_HOST) (API 127.0.0.1:$API_PORT), outside $(lan_addresses $OUT_HOST)"
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
  realnodes_down
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
      image) cmd_image "$@" ;;
      deploy) deploy_manifests "$@" ;;
      *) die "unknown command '$command' (see the top of $0)" ;;
    esac
    ;;
esac
