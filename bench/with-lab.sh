#!/usr/bin/env bash
# Runs a benchmark against a lab of its own (hack/lab/lab.sh) and takes the lab down afterwards,
# also when the benchmark fails: bench/with-lab.sh NAME NODES COMMAND... (root). In COMMAND,
# LAB_STATE and LAB_NAME name the lab. JVM start-up is not timed: the agents are up first.
set -euo pipefail
name=$1 nodes=$2
shift 2
lab="$(dirname "$0")/../hack/lab/lab.sh"
LAB_QUIET=1 "$lab" --name "$name" up --nodes "$nodes" --owner $$ >&2
trap 'LAB_QUIET=1 "$lab" --name "$name" down >&2' EXIT
export LAB_NAME=$name LAB_STATE=${PLAINROUTE_LAB_ROOT:-/run/plainroute-lab}/$name
"$@"
