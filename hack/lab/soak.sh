#!/usr/bin/env bash
# Soak: node churn in the lab while pods talk, then start-vs-end figures and invariants (root).
#
#   soak.sh [--name LAB] [--minutes N]      (default: SOAK_MINUTES, else 30)
#
# With --name, churns an existing lab (the SoakE2E test brings its own); without, brings up a
# 3-node lab of its own and takes it down at the end. For N minutes, a node joins (namespace,
# Node object, agent), gets a pod that the pods of the lab's original nodes talk to, and the
# oldest churned node leaves once two are up; every pod of the original nodes asks every other
# one (UDP, through the routes plainroute installed) once per cycle. After each join every
# node must route to every other (polled). At the end the churned nodes leave, the cluster must
# converge, and the controller's and the original agents' heap (after a full GC), open file
# descriptors and threads are compared with the start. Fails (exit 1) when:
#   * two NodeNetworks have overlapping podCIDRs (checked every cycle);
#   * a node does not route (proto 202, via the peer's address) to exactly every other live
#     node's podCIDR within CONVERGE_SECONDS: a live node unrouted or a stale route left;
#   * NodeNetworks or SubnetClaims do not number the live nodes at the end;
#   * a pod of an original node cannot reach another (three tries, each 3 s);
#   * heap grew by more than HEAP_BOUND_MIB (default 16) MiB plus 25% of the start figure, file
#     descriptors or threads outside executors grew by more than FD_BOUND / THREAD_BOUND (default
#     10), or executors by more than POOL_BOUND (2). Executors' own workers are reported, not
#     bounded: a fixed pool (the operator SDK runs reconciles on one of 50) grows until full.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LAB_SH="$HERE/lab.sh"
LAB_ROOT=${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}
MINUTES=${SOAK_MINUTES:-30}
NAME=""
CONVERGE_SECONDS=${CONVERGE_SECONDS:-120}
HEAP_BOUND_MIB=${HEAP_BOUND_MIB:-16}
FD_BOUND=${FD_BOUND:-10}
THREAD_BOUND=${THREAD_BOUND:-10}
POOL_BOUND=${POOL_BOUND:-2}
PROTO=202

while [ $# -gt 0 ]; do
  case $1 in
    --name) NAME=$2; shift 2 ;;
    --minutes) MINUTES=$2; shift 2 ;;
    *) echo "soak: unknown option '$1' (see the top of $0)" >&2; exit 2 ;;
  esac
done
[[ $MINUTES =~ ^[0-9]+$ ]] && (( MINUTES >= 1 )) || { echo "soak: --minutes/SOAK_MINUTES: '$MINUTES' is not a whole number of minutes >= 1" >&2; exit 2; }

say() { echo "[soak] $*"; }
fail() { say "FAILED: $*"; FAILURES=$(( FAILURES + 1 )); }
FAILURES=0

OWN_LAB=0
if [ -z "$NAME" ]; then
  NAME="soak$(( $$ % 100000 ))"
  OWN_LAB=1
  trap 'LAB_QUIET=1 "$LAB_SH" --name "$NAME" down || true' EXIT
  say "lab $NAME: 3 nodes"
  LAB_QUIET=1 "$LAB_SH" --name "$NAME" up --nodes 3 --owner $$
fi
STATE="$LAB_ROOT/$NAME"
[ -f "$STATE/lab.env" ] || { echo "soak: no lab named '$NAME' is up" >&2; exit 2; }

lab() { LAB_QUIET=1 "$LAB_SH" --name "$NAME" "$@"; }
kc() { lab kubectl "$@"; }
ns() { echo "$NAME-$1"; }
pid_of() { cat "$STATE/pids/$1" 2>/dev/null; }
live_nodes() { ls "$STATE/nodes"; }

# --- figures -----------------------------------------------------------------------------------

# Heap in use after a full collection, in KiB (serial, parallel or G1 heap lines of GC.heap_info).
heap_kib() {
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo -1; return; }
  jcmd "$1" GC.heap_info 2>/dev/null \
    | awk '/(generation|heap) +total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { print s + 0 }'
}
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
# "ALL OUTSIDE POOLS" from the JVM's thread list. Workers of an executor ("...pool-N-thread-M") are
# told apart: a fixed pool (the operator SDK's reconcilers: 50) adds a thread per task until it is
# full, which is growth but no leak; a leak of executors shows as more pools.
threads() {
  jcmd "$1" Thread.print 2>/dev/null | awk '
    /^"/ { name = $0; sub(/^"/, "", name); sub(/".*/, "", name); all++
           if (match(name, /pool-[0-9]+-thread-[0-9]+$/)) { p = substr(name, 1, RSTART + RLENGTH - 1); sub(/-thread-[0-9]+$/, "", p); pools[p] = 1 }
           else outside++ }
    END { n = 0; for (p in pools) n++; print all + 0, outside + 0, n }'
}
routes_on() { ip -n "$(ns "$1")" -4 route show proto $PROTO | wc -l; }

# sample PREFIX: figures for the controller and each original node's agent into $PREFIX_*.
declare -A FIG
sample() {
  local when=$1 proc pid
  for proc in controller $(for n in $ORIGINAL; do echo "agent-$n"; done); do
    pid=$(pid_of "$proc")
    FIG[$when,$proc,heap]=$(heap_kib "$pid")
    FIG[$when,$proc,fds]=$(fds "$pid")
    read -r "FIG[$when,$proc,threads]" "FIG[$when,$proc,unpooled]" "FIG[$when,$proc,pools]" < <(threads "$pid")
  done
  local n
  for n in $ORIGINAL; do FIG[$when,$n,routes]=$(routes_on "$n"); done
  FIG[$when,nodes]=$(live_nodes | wc -l)
  FIG[$when,nodenetworks]=$(kc get nodenetworks -o name | wc -l)
  FIG[$when,claims]=$(kc get subnetclaims -o name | wc -l)
}

# --- invariants --------------------------------------------------------------------------------

# Prints the pairs of NodeNetworks whose podCIDRs overlap (nothing when none do).
overlapping_subnets() {
  kc get nodenetworks -o json | jq -r '
    def ip2n: split(".") | map(tonumber) | .[0] * 16777216 + .[1] * 65536 + .[2] * 256 + .[3];
    [.items[] | select(.spec.podCIDR != null) | (.spec.podCIDR | split("/")) as $c
      | {name: .metadata.name, cidr: .spec.podCIDR, lo: ($c[0] | ip2n), hi: (($c[0] | ip2n) + pow(2; 32 - ($c[1] | tonumber)) - 1)}]
    | sort_by(.lo) | . as $s | range(1; length) | select($s[. - 1].hi >= $s[.].lo)
    | "\($s[. - 1].name) \($s[. - 1].cidr) overlaps \($s[.].name) \($s[.].cidr)"'
}

# Prints what keeps the cluster from being converged: for every live node, its proto-202 routes
# must be exactly one per other live node, to that node's podCIDR via its InternalIP; and the
# NodeNetworks and SubnetClaims must number the live nodes.
unconverged() {
  local specs node expected actual nodes
  nodes=$(live_nodes | sort)
  specs=$(kc get nodenetworks -o json | jq -r '.items[] | "\(.metadata.name) \(.spec.podCIDR // "") \(.spec.nodeIP // "")"')
  [ "$(awk '{print $1}' <<<"$specs" | sort)" = "$nodes" ] \
    || echo "NodeNetworks $(awk '{print $1}' <<<"$specs" | tr '\n' ' ')for live nodes $(tr '\n' ' ' <<<"$nodes")"
  local claims
  claims=$(kc get subnetclaims -o name | wc -l)
  (( claims == $(wc -l <<<"$nodes") )) || echo "$claims SubnetClaims for $(wc -l <<<"$nodes") live nodes"
  for node in $nodes; do
    expected=$(awk -v self="$node" '$1 != self && $2 != "" {print $2 " via " $3 " dev eth0"}' <<<"$specs" | sort)
    actual=$(ip -n "$(ns "$node")" -4 route show proto $PROTO 2>/dev/null | sed 's/ *$//' | sort)
    [ "$expected" = "$actual" ] || echo "routes on $node: $(tr '\n' ';' <<<"$actual") expected $(tr '\n' ';' <<<"$expected")"
  done
}

await_converged() {
  local what=$1 deadline=$(( SECONDS + CONVERGE_SECONDS )) problems
  while :; do
    problems=$(unconverged 2>&1) || true
    [ -z "$problems" ] && return 0
    (( SECONDS < deadline )) || { fail "not converged ${CONVERGE_SECONDS}s after $what: $problems"; return 1; }
    sleep 1
  done
}

check_no_overlap() {
  local overlaps
  overlaps=$(overlapping_subnets)
  [ -z "$overlaps" ] || fail "overlapping subnets: $overlaps"
}

# ask FROM ADDRESS: three tries; counts the outcome.
ASKS=0
ASKS_FAILED=0
ask() {
  local from=$1 address=$2 try
  ASKS=$(( ASKS + 1 ))
  for try in 1 2 3; do
    lab ask "$from" "$address" >/dev/null 2>&1 && return 0
  done
  ASKS_FAILED=$(( ASKS_FAILED + 1 ))
  fail "$from could not reach $address"
}

ping_pod() {
  local from=$1 address=$2
  ASKS=$(( ASKS + 1 ))
  lab exec "$from" ping -c 3 -i 0.2 -W 2 "$address" >/dev/null 2>&1 && return 0
  ASKS_FAILED=$(( ASKS_FAILED + 1 ))
  fail "$from could not ping $address"
}

# --- run ---------------------------------------------------------------------------------------

ORIGINAL=$(live_nodes | tr '\n' ' ')
declare -A POD_IP
for node in $ORIGINAL; do
  POD_IP[$node]=$(lab pod add "$node" soak)
  lab echo-server "$node-soak"
done
await_converged "the start" || true
sample start
say "lab $NAME: original nodes $ORIGINAL; churning for $MINUTES min"

started=$SECONDS
deadline=$(( SECONDS + MINUTES * 60 ))
joins=0
leaves=0
churned=()
while (( SECONDS < deadline )); do
  joins=$(( joins + 1 ))
  node="churn$joins"
  lab node add "$node" >/dev/null
  churned+=("$node")
  if await_converged "$node joined"; then
    # No echo server in churned pods (it would outlive its namespace): they ask, and are pinged.
    POD_IP[$node]=$(lab pod add "$node" soak)
    ask "$node-soak" "${POD_IP[${ORIGINAL%% *}]}"
    ping_pod "${ORIGINAL%% *}-soak" "${POD_IP[$node]}"
  fi
  check_no_overlap
  if (( ${#churned[@]} >= 2 )); then
    lab node delete "${churned[0]}"
    unset "POD_IP[${churned[0]}]"
    churned=("${churned[@]:1}")
    leaves=$(( leaves + 1 ))
  fi
  for from in $ORIGINAL; do
    for to in $ORIGINAL; do
      [ "$from" = "$to" ] || ask "$from-soak" "${POD_IP[$to]}"
    done
  done
  (( joins % 10 )) || say "$(( (SECONDS - started) / 60 )) min: $joins joins, $leaves leaves, $ASKS asks ($ASKS_FAILED failed), $FAILURES failures"
done
for node in "${churned[@]}"; do
  lab node delete "$node"
  leaves=$(( leaves + 1 ))
done
await_converged "the churned nodes left" || true
check_no_overlap
sample end

# --- report ------------------------------------------------------------------------------------

say "$(( (SECONDS - started) / 60 )) min of churn: $joins joins, $leaves leaves; $ASKS pod-to-pod asks, $ASKS_FAILED failed"
printf '[soak] %-36s %10s %10s %10s\n' "" start end bound
row() {
  local label=$1 start=$2 end=$3 bound=$4 verdict=""
  (( end <= bound )) || { verdict="  EXCEEDED"; fail "$label: $start at the start, $end at the end (bound $bound)"; }
  printf '[soak] %-36s %10s %10s %10s%s\n' "$label" "$start" "$end" "$bound" "$verdict"
}
info() {
  printf '[soak] %-36s %10s %10s %10s\n' "$1" "$2" "$3" "-"
}
for proc in controller $(for n in $ORIGINAL; do echo "agent-$n"; done); do
  h0=${FIG[start,$proc,heap]} h1=${FIG[end,$proc,heap]}
  row "$proc heap KiB" "$h0" "$h1" $(( h0 + h0 / 4 + HEAP_BOUND_MIB * 1024 ))
  row "$proc open fds" "${FIG[start,$proc,fds]}" "${FIG[end,$proc,fds]}" $(( ${FIG[start,$proc,fds]} + FD_BOUND ))
  info "$proc threads (all)" "${FIG[start,$proc,threads]}" "${FIG[end,$proc,threads]}"
  row "$proc threads outside pools" "${FIG[start,$proc,unpooled]}" "${FIG[end,$proc,unpooled]}" $(( ${FIG[start,$proc,unpooled]} + THREAD_BOUND ))
  row "$proc thread pools" "${FIG[start,$proc,pools]}" "${FIG[end,$proc,pools]}" $(( ${FIG[start,$proc,pools]} + POOL_BOUND ))
done
for n in $ORIGINAL; do
  row "routes on $n" "${FIG[start,$n,routes]}" "${FIG[end,$n,routes]}" $(( ${FIG[end,nodes]} - 1 ))
done
row "nodes" "${FIG[start,nodes]}" "${FIG[end,nodes]}" "${FIG[start,nodes]}"
row "NodeNetworks (subnets)" "${FIG[start,nodenetworks]}" "${FIG[end,nodenetworks]}" "${FIG[end,nodes]}"
row "SubnetClaims" "${FIG[start,claims]}" "${FIG[end,claims]}" "${FIG[end,nodes]}"
for n in $ORIGINAL; do
  lab pod del "$n" soak || true
done
if (( FAILURES > 0 )); then
  say "FAILED: $FAILURES problems (see above)"
  exit 1
fi
say "passed"
