#!/usr/bin/env bash
# Agent start-up and memory, on the lab (hack/lab) with the agent launched as the image launches it
# (hack/jvm/launch.sh: the role's JVM flags and the class-data sharing archive).
#
#   bench/startup-bench.sh [--nodes 20] [--peers 1000,5000] [--runs 3]    (root; make bench-startup)
#
# Prints, side by side in one run:
#  * idle: one agent started alone, from its JVM's start to every peer route in its node's kernel
#    (median of --runs), with the shipped launch and with the previous one (plain `java -jar`
#    without the archive, the lab's old flags), and a JVM that only prints its version (the floor
#    of any Java start here);
#  * --nodes agents started at once: each one's time to all its routes (median, last), and the
#    time until every node's NodeNetwork is Ready;
#  * resident memory (RSS) and heap of an agent with the lab's peers and with --peers peer
#    NodeNetworks (created in the API server with no namespace behind them; the controller is
#    stopped first so that it does not reap them), and the time that agent takes to install them.
# Route times come from `ip -ts monitor route` in each node's namespace (the kernel's own events;
# nothing polls the agents), start times from /proc/PID/stat.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
LAB="$REPO/hack/lab/lab.sh"
NODES=20 PEERS=1000,5000 RUNS=3
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) NODES=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: $0 [--nodes N] [--peers N[,N...]] [--runs N]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench-startup runs a lab of network namespaces: run it as root" >&2; exit 1; }
[ -f "$REPO/target/quarkus-app/plainroute.jsa" ] || { echo "no class-data archive: run make build" >&2; exit 1; }

NAME=bst$$
NAME=${NAME:0:12}
STATE=/run/plainroute-lab/$NAME
WORK=$(mktemp -d)
lab() { LAB_QUIET=1 "$LAB" --name "$NAME" "$@"; }
cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  lab down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
say() { echo "[startup] $*"; }

# A LAN large enough for every peer to be on-link (plain routing routes only to on-link peers),
# and one /26 per node out of a /13: 8,192 subnets.
LAN=10.200.0.0/17
lab up --nodes 0 --lan "$LAN" --cluster-cidr 10.64.0.0/13 --node-prefix 26 --owner $$ >/dev/null
for (( i = 1; i <= NODES; i++ )); do lab node add "$(printf 'node%02d' "$i")" --no-agent; done
for (( i = 0; i < 240; i++ )); do
  n=$(lab kubectl get nodenetworks -o jsonpath='{range .items[*]}{.spec.podCIDR}{"\n"}{end}' | grep -c / || true)
  (( n == NODES )) && break
  sleep 0.5
done
(( n == NODES )) || { echo "the controller allocated $n of $NODES nodes" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
hz=$(getconf CLK_TCK)
btime=$(awk '/^btime/ {print $2}' /proc/stat)
start_ms() { echo $(( btime * 1000 + $(awk '{print $22}' "/proc/$1/stat") * 1000 / hz )); }
cpu_ms() { awk -v hz="$hz" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
agent_pid() { cat "$STATE/pids/agent-$1"; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms / 1000}'; }
heap_used() {
  jcmd "$1" GC.heap_info 2>/dev/null \
    | awk '/generation/ && match($0, /used [0-9]+K/) {used += substr($0, RSTART + 5, RLENGTH - 6)} END {printf "%.0f", used / 1024}'
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Each node as a fresh node: no routes of ours, no bridge.
reset_node() {
  ip -n "$NAME-$1" route flush proto 202 2>/dev/null || true
  ip -n "$NAME-$1" link del cni0 2>/dev/null || true
}
MONITORS=()
monitor() {
  ip -n "$NAME-$1" -ts monitor route >"$WORK/mon-$1" 2>&1 &
  MONITORS+=($!)
}
# The kernel time (ms) of the Nth route of ours added in node $1's namespace; empty if not yet.
nth_route_ms() {
  local stamp
  stamp=$(grep -v '^\[[^]]*\] Deleted' "$WORK/mon-$1" | grep ' proto 202' | sed -n "$2{s/^\[\([^]]*\)\].*/\1/p}")
  [ -n "$stamp" ] && echo $(( $(date -d "$stamp" +%s%N) / 1000000 ))
}
wait_routes() { # NODE COUNT SECONDS
  local i
  for (( i = 0; i < $3 * 4; i++ )); do
    [ -n "$(nth_route_ms "$1" "$2")" ] && return 0
    sleep 0.25
  done
  echo "node $1: not $2 routes within $3 s; the end of its agent's log:" >&2
  tail -20 "$STATE/logs/agent-$1.log" >&2
  exit 1
}
stop_monitors() {
  (( ${#MONITORS[@]} == 0 )) || { kill "${MONITORS[@]}" 2>/dev/null || true; wait "${MONITORS[@]}" 2>/dev/null || true; }
  MONITORS=()
}

# One agent alone on node01: ms from its JVM's start to all its routes. $1: launch (shipped|old).
idle_run() {
  local node=node01 want=$(( NODES - 1 )) pid
  reset_node $node
  monitor $node
  sleep 0.3
  if [ "$1" = shipped ]; then
    lab start agent $node
  else
    # What the lab ran before: java -jar, no archive, -Xmx128m, serial GC, C1.
    mkdir -p "$STATE/nodes/$node/cni/net.d"
    setsid ip netns exec "$NAME-$node" env KUBECONFIG="$STATE/node-kubeconfig" PLAINROUTE_ROLE=agent NODE_NAME=$node \
      PLAINROUTE_AGENT_CNI_CONF_DIR="$STATE/nodes/$node/cni/net.d" java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      "-Dplainroute-lab.dir=$STATE" -jar "$REPO/target/quarkus-app/quarkus-run.jar" >>"$STATE/logs/agent-$node.log" 2>&1 </dev/null &
    echo $! >"$STATE/pids/agent-$node"
    disown
  fi
  pid=$(agent_pid $node)
  wait_routes $node "$want" 60
  echo "$(( $(nth_route_ms $node "$want") - $(start_ms "$pid") )) $(cpu_ms "$pid")" >>"$WORK/idle-$1"
  sleep 2
  echo "$(rss_mib "$pid")" >>"$WORK/idle-rss-$1"
  # Stopped, not killed: the lab restarts a killed agent (as a kubelet would), and that one
  # would hold the node's port when the next run starts.
  lab stop agent $node
  stop_monitors
}

floor_ms() {
  local t0
  t0=$(now_ms)
  java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version >/dev/null 2>&1
  echo $(( $(now_ms) - t0 ))
}

say "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for (( r = 1; r <= RUNS; r++ )); do
  idle_run shipped
  idle_run old
  floor_ms >>"$WORK/floor"
done
for launch in shipped old; do
  ms=$(cut -d' ' -f1 "$WORK/idle-$launch" | median)
  cpu=$(cut -d' ' -f2 "$WORK/idle-$launch" | median)
  rss=$(median <"$WORK/idle-rss-$launch")
  eval "idle_$launch=$ms idle_cpu_$launch=$cpu idle_rss_$launch=$rss"
done
say "one agent alone, start -> $(( NODES - 1 )) routes installed (median of $RUNS):" \
  "shipped launch $(secs "$idle_shipped") s (CPU $(secs "$idle_cpu_shipped") s, RSS $idle_rss_shipped MiB);" \
  "previous launch $(secs "$idle_old") s (CPU $(secs "$idle_cpu_old") s, RSS $idle_rss_old MiB): ratio" \
  "$(awk -v a="$idle_shipped" -v b="$idle_old" 'BEGIN {printf "%.2f", a / b}');" \
  "JVM floor (java -version) $(secs "$(median <"$WORK/floor")") s"

# --- all agents at once ------------------------------------------------------------------------
nodes=$(for (( i = 1; i <= NODES; i++ )); do printf 'node%02d ' "$i"; done)
for node in $nodes; do reset_node "$node"; monitor "$node"; done
sleep 0.5
t0=$(now_ms)
starters=()
for node in $nodes; do
  lab start agent "$node" &
  starters+=($!)
done
wait "${starters[@]}"
for node in $nodes; do wait_routes "$node" $(( NODES - 1 )) 300; done
for node in $nodes; do
  echo $(( $(nth_route_ms "$node" $(( NODES - 1 ))) - $(start_ms "$(agent_pid "$node")") ))
done >"$WORK/burst"
lab wait-ready 300
ready_s=$(lab kubectl get nodenetworks -o json | jq -r --argjson t0 "$t0" \
  '[.items[].status.conditions[] | select(.type == "Ready") | .lastTransitionTime | fromdate] | max - ($t0 / 1000 | floor)')
sleep 3
burst_rss=$(for node in $nodes; do rss_mib "$(agent_pid "$node")"; echo; done | median)
say "$NODES agents started at once on $(nproc) cores, start -> $(( NODES - 1 )) routes installed:" \
  "median $(secs "$(median <"$WORK/burst")") s, last $(secs "$(sort -n "$WORK/burst" | tail -1)") s;" \
  "every NodeNetwork Ready ${ready_s} s after the first start (1 s resolution); RSS median $burst_rss MiB"
stop_monitors
for node in $nodes; do lab stop agent "$node"; done

# --- many peers --------------------------------------------------------------------------------
# Peers as the API server holds them: spec written by the controller, status by their agents.
lab stop controller
"$(sed -n 's/^K8S_BIN=//p' "$STATE/lab.env")/kubectl" --kubeconfig="$STATE/kubeconfig" proxy --port=0 \
  >"$WORK/proxy" 2>&1 &
for (( i = 0; i < 100; i++ )); do grep -qs 'Starting to serve' "$WORK/proxy" && break; sleep 0.1; done
api=http://$(sed -n 's/^Starting to serve on //p' "$WORK/proxy")
made=0
# Sends the requests of a curl config (url/request/header/data per request), 8 at a time.
send() {
  sed -i '1!{/^url = /i next
}' "$1"
  sed -i 's|^url = |output = "/dev/null"\nurl = |' "$1"
  curl -sS --fail-with-body --parallel --parallel-max 8 -K "$1" 2>"$WORK/curl.err" || { cat "$WORK/curl.err" >&2; exit 1; }
}
create_peers() { # up to this many peers in total
  local upto=$1 i chunk=$WORK/peers.curl
  : >"$chunk"
  for (( i = made + 1; i <= upto; i++ )); do
    local ip subnet name=peer$i
    ip="10.200.$(( (1000 + i) / 256 )).$(( (1000 + i) % 256 ))"
    subnet="10.$(( 64 + (NODES + i) / 1024 )).$(( ((NODES + i) % 1024) / 4 )).$(( ((NODES + i) % 4) * 64 ))"
    cat >>"$chunk" <<EOF
url = "$api/apis/plainroute.io/v1alpha1/nodenetworks"
request = "POST"
header = "Content-Type: application/json"
data = "{\"apiVersion\":\"plainroute.io/v1alpha1\",\"kind\":\"NodeNetwork\",\"metadata\":{\"name\":\"$name\",\"labels\":{\"app.kubernetes.io/managed-by\":\"plainroute\",\"plainroute.io/cluster-network\":\"default\",\"plainroute.io/node\":\"$name\"}},\"spec\":{\"nodeName\":\"$name\",\"podCIDR\":\"$subnet/26\",\"gateway\":\"${subnet%.*}.$(( ${subnet##*.} + 1 ))\",\"nodeIP\":\"$ip\"}}"
EOF
  done
  send "$chunk"
  # A status as a peer's agent writes it: five conditions, the bridge, the route count, the uplink.
  : >"$chunk"
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for (( i = made + 1; i <= upto; i++ )); do
    local c="{\\\"lastTransitionTime\\\":\\\"$now\\\",\\\"observedGeneration\\\":1,\\\"status\\\":\\\"True\\\""
    cat >>"$chunk" <<EOF
url = "$api/apis/plainroute.io/v1alpha1/nodenetworks/peer$i/status"
request = "PATCH"
header = "Content-Type: application/merge-patch+json"
data = "{\"status\":{\"bridge\":\"cni0\",\"routes\":$(( upto + NODES - 1 )),\"uplink\":{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:01\"},\"conditions\":[$c,\"type\":\"BridgeReady\",\"reason\":\"BridgeConfigured\",\"message\":\"Bridge cni0 is up with its gateway address, MTU 1500.\"},$c,\"type\":\"RoutesReady\",\"reason\":\"RoutesInstalled\",\"message\":\"Routes to all peers are installed.\"},$c,\"type\":\"CNIConfigReady\",\"reason\":\"CNIConfigWritten\",\"message\":\"CNI config /etc/cni/net.d/10-plainroute.conflist matches this node's subnet.\"},$c,\"type\":\"MasqueradeReady\",\"reason\":\"MasqueradeConfigured\",\"message\":\"Traffic from pods to outside the cluster is masqueraded.\"},$c,\"type\":\"Ready\",\"reason\":\"Ready\",\"message\":\"The node's pod network is ready.\"}]}}"
EOF
  done
  send "$chunk"
  made=$upto
}
for peers in ${PEERS//,/ }; do
  t=$(now_ms)
  create_peers "$peers"
  have=$(lab kubectl get nodenetworks --no-headers | grep -c '^peer' || true)
  (( have == peers )) || { echo "created $have of $peers peer NodeNetworks" >&2; exit 1; }
  created_s=$(secs $(( $(now_ms) - t )))
  node=node01
  want=$(( NODES - 1 + peers ))
  reset_node $node
  monitor $node
  sleep 0.3
  lab start agent $node
  pid=$(agent_pid $node)
  wait_routes $node "$want" 300
  routes_ms=$(( $(nth_route_ms $node "$want") - $(start_ms "$pid") ))
  sleep 5
  rss=$(rss_mib "$pid")
  heap=$(heap_used "$pid")
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  live=$(heap_used "$pid")
  say "$peers peers + $(( NODES - 1 )) lab nodes ($peers NodeNetworks created in $created_s s):" \
    "start -> $want routes $(secs "$routes_ms") s; RSS $rss MiB, heap used $heap MiB ($live MiB live after a full GC)"
  lab stop agent $node
  stop_monitors
done
