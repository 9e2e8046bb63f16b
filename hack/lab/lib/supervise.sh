#!/usr/bin/env bash
# supervise.sh STATE NAME NETNS COMMAND...: what a kubelet does for the lab's plainroute processes
# (the controller's Deployment, the agents' DaemonSet): runs COMMAND (in network namespace NETNS,
# "" for the machine's own), and when it exits — crashed, killed, or ended by itself like a
# controller that lost its lease — starts it again after a backoff of 1 s doubling to 30 s (reset
# once it has run for 60 s), as a kubelet's CrashLoopBackOff would. Writes the running command's pid
# to STATE/pids/NAME and logs to STATE/logs/NAME.log. Ends on TERM (lab.sh stop/down), leaving the
# command to be stopped by pid. STATE in our own command line is how lab.sh down finds us.
set -uo pipefail
state=$1 name=$2 netns=$3
shift 3
prefix=()
[ -n "$netns" ] && prefix=(ip netns exec "$netns")
log="$state/logs/$name.log"
backoff=1
trap 'exit 0' TERM INT
while :; do
  started=$SECONDS
  "${prefix[@]}" "$@" >>"$log" 2>&1 </dev/null &
  child=$!
  echo "$child" >"$state/pids/$name.tmp" && mv "$state/pids/$name.tmp" "$state/pids/$name"
  wait "$child"
  status=$?
  (( SECONDS - started >= 60 )) && backoff=1
  echo "lab: $name exited with status $status; restarting it in ${backoff}s (supervised, as a kubelet would)" >>"$log"
  sleep "$backoff" &
  wait $!
  (( backoff = backoff * 2 > 30 ? 30 : backoff * 2 ))
done
