#!/usr/bin/env bash
# Thousands of nodes without thousands of machines (root): a lab with a large LAN and two real
# nodes running agents, then Node objects up to each TOTAL, each with an on-link InternalIP on the
# LAN but no namespace behind it, shaped like a kubelet's (conditions, image list, capacity, system
# info). At 2 nodes and at every TOTAL, after sync: the controller's and both agents' RSS and live
# heap (after a full GC), the time until the controller gave every node its subnet and until both
# agents had a route to every peer in their kernel, and the controller's heap histogram head.
#
#   bench/scale.sh [TOTAL...]         (default: 1000 5000; `make bench-scale`)
#
# Prints lines starting with [scale]; the lab is taken down at the end, also on failure.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
LAB_NAME=bscale$(( $$ % 100000 ))
LAN=192.168.0.0/18
CLUSTER_CIDR=10.64.0.0/11
PARALLEL_CREATES=4
totals=("${@:-1000}")
(( $# > 0 )) || totals=(1000 5000)

lab() {
  LAB_QUIET=1 "$REPO/hack/lab/lab.sh" --name "$LAB_NAME" "$@"
}

say() {
  echo "[scale] $*"
}

[ "$(id -u)" = 0 ] || { echo "bench/scale.sh: the lab creates network namespaces: run it as root" >&2; exit 1; }
trap 'lab down >/dev/null 2>&1 || true' EXIT
STATE=${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}/$LAB_NAME
WORK=$(mktemp -d)
trap 'lab down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

now() {
  date +%s.%N
}

elapsed() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

pid_of() {
  cat "$STATE/pids/$1"
}

rss_mib() {
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# The highest RSS the process has had (the kernel's high-water mark), in MiB.
peak_mib() {
  awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Live heap after a full GC, and what is committed, in MiB ("used/committed").
heap_mib() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    /total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) { if ($i == "total") t += $(i+1); if ($i == "used") u += $(i+1) } }
    END { gsub(/K,?/, "", t); printf "%.0f/%.0f", u / 1024, t / 1024 }'
}

measure() {
  local nodes=$1 who pid
  for who in controller agent-node01 agent-node02; do
    pid=$(pid_of "$who")
    say "$nodes nodes: $who RSS $(rss_mib "$pid") MiB (peak $(peak_mib "$pid")), heap live/committed $(heap_mib "$pid") MiB, $(threads_of "$pid") threads, $(grep -c OutOfMemoryError "$STATE/logs/$who.log" || true) out-of-memory exits so far (RSS read before the GC)"
  done
  jcmd "$(pid_of controller)" GC.class_histogram | sed -n 4,11p | sed "s/^/[scale] $nodes nodes: controller histogram /"
}

# Node objects bulk-FROM..bulk-TO, the way kubelets register them, in PARALLEL_CREATES kubectl runs.
create_nodes() {
  local from=$1 to=$2 chunk i start end
  chunk=$(( (to - from + PARALLEL_CREATES) / PARALLEL_CREATES ))
  for (( i = 0; i < PARALLEL_CREATES; i++ )); do
    start=$(( from + i * chunk ))
    end=$(( start + chunk - 1 > to ? to : start + chunk - 1 ))
    (( start <= end )) || continue
    jq -n --argjson from "$start" --argjson to "$end" -f "$REPO/bench/scale-node.jq" >"$WORK/nodes-$i.json"
    lab kubectl create -f "$WORK/nodes-$i.json" >/dev/null &
  done
  wait
}

threads_of() {
  awk '/^Threads:/ { print $2 }' "/proc/$1/status"
}

count() {
  lab kubectl get --raw "/apis/plainroute.io/v1alpha1/nodenetworks?limit=1" | jq '(.metadata.remainingItemCount // 0) + (.items | length)'
}

routes_on() {
  lab exec "$1" ip route show proto 202 | grep -c via || true
}

await() {
  local what=$1 check=$2 deadline=$(( SECONDS + 900 ))
  until eval "$check"; do
    (( SECONDS < deadline )) || { echo "bench/scale.sh: $what did not happen within 900 s" >&2; exit 1; }
    sleep 0.5
  done
}

say "lab: LAN $LAN, cluster range $CLUSTER_CIDR cut into /24s, 2 nodes with agents; $(nproc) CPUs, $(uname -r), $(date -u +%F)"
lab up --nodes 2 --lan "$LAN" --cluster-cidr "$CLUSTER_CIDR" --node-prefix 24 >/dev/null
await "2 routes" '[ "$(routes_on node01)" -ge 1 ] && [ "$(routes_on node02)" -ge 1 ]'
sleep 5
measure 2

have=2
for total in "${totals[@]}"; do
  begin=$(now)
  create_nodes $(( have - 1 )) $(( total - 2 ))
  created=$(now)
  await "$total NodeNetworks" '[ "$(count)" -ge "$total" ]'
  allocated=$(now)
  await "$(( total - 1 )) routes on both nodes" '[ "$(routes_on node01)" -ge $(( total - 1 )) ] && [ "$(routes_on node02)" -ge $(( total - 1 )) ]'
  routed=$(now)
  say "$have -> $total nodes: $(( total - have )) Node objects created in $(elapsed "$begin" "$created") s; controller: every node had its subnet $(elapsed "$begin" "$allocated") s after the first create ($(elapsed "$created" "$allocated") s after the last); both agents had all $(( total - 1 )) routes $(elapsed "$begin" "$routed") s after the first create"
  have=$total
  sleep 10
  measure "$total"
done

# A controller that starts on a cluster of this size (a rollout, a lost lease, an OOM kill) LISTs
# every Node, NodeNetwork and SubnetClaim (a page at a time): its peak, not the steady state, is what the
# heap cap and the memory limit must hold. The lab restarts it 1 s after the kill, as a kubelet would.
old=$(pid_of controller)
offset=$(stat -c %s "$STATE/logs/controller.log")
begin=$(now)
lab kill controller
await "the controller's restart" '[ "$(pid_of controller 2>/dev/null)" != "$old" ] && tail -c +"$offset" "$STATE/logs/controller.log" | grep -q "started in"'
restarted=$(pid_of controller)
# It waits for the killed one's lease to expire (15 s), then its informers list everything.
sleep 45
[ "$(pid_of controller)" = "$restarted" ] && ! tail -c +"$offset" "$STATE/logs/controller.log" | grep -q OutOfMemoryError ||
  { echo "bench/scale.sh: the restarted controller did not survive its start at $have nodes (see $STATE/logs/controller.log)" >&2; exit 1; }
say "controller restarted at $have nodes: up (Quarkus started) $(elapsed "$begin" "$(now)") s after the kill, measured 45 s later"
measure "$have (restarted controller)"
