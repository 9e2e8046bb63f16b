#!/usr/bin/env sh
# Writes the agent's class-data sharing archive (AppCDS): a JDK 17 dynamic archive of the classes
# an agent loads while it starts, so the next starts map them instead of loading, verifying and
# linking ~9,500 classes (about a third of the agent's start-up CPU).
#
#   hack/jvm/class-archive.sh APP_DIR [JAVA]      -> APP_DIR/plainroute.jsa
#
# APP_DIR is the Quarkus fast-jar directory (target/quarkus-app, /opt/plainroute in the image).
# An archive is valid only for the JVM build that wrote it (a JVM given another one says so and
# runs without it), so the Containerfile runs this with the image's own java, and `make build`
# with the machine's for the lab.
#
# The training run needs no cluster: it starts the agent role against an API server address that
# refuses connections (informers give up after 1 s), waits until Quarkus has started, and stops
# it; the JVM writes the archive as it exits. Nothing on the machine is changed: the agent only
# opens its rtnetlink and nftables handles, and writes no kernel state before it has a NodeNetwork.
# What such a run never reaches (the TLS handshake, the first list and watch, the first pass) it
# loads by name from agent-classes.txt next to this script, the classes a real agent start loaded
# (hack/jvm/agent-classes.sh), without running them: the archive then serves ~8,500 of the ~9,600
# classes of a start instead of ~6,500 (the rest are lambdas and proxies).
set -eu
app=${1:?usage: class-archive.sh APP_DIR [JAVA]}
java=${2:-java}
# The archive records the class path as given: use the absolute one every launch uses.
app=$(cd "$app" && pwd)
jar="$app/quarkus-run.jar"
archive="$app/plainroute.jsa"
[ -f "$jar" ] || { echo "class-archive: no $jar" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
KC
rm -f "$archive"
# Made before the JVM starts, so the wait below never greps a log its child has not opened yet.
: >"$work/log"
classes=$(cd "$(dirname "$0")" && pwd)/agent-classes.txt
[ -f "$classes" ] || { echo "class-archive: no $classes" >&2; exit 1; }
# The archive is written for these flags' class path and GC: the same as the launch's.
KUBECONFIG="$work/kubeconfig" PLAINROUTE_ROLE=agent NODE_NAME=class-archive PLAINROUTE_AGENT_PRELOAD_CLASSES="$classes" \
  PLAINROUTE_AGENT_CNI_CONF_DIR="$work/cni" QUARKUS_HTTP_PORT=0 \
  QUARKUS_OPERATOR_SDK_CACHE_SYNC_TIMEOUT=1s KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \
  "$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" >"$work/log" 2>&1 &
pid=$!
i=0
while [ $i -lt 1200 ] && kill -0 "$pid" 2>/dev/null && ! grep -q 'started in' "$work/log"; do
  sleep 0.1
  i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ ! -s "$archive" ]; then
  echo "class-archive: the training run wrote no archive; its log:" >&2
  cat "$work/log" >&2
  exit 1
fi
echo "class-archive: $archive ($(du -m "$archive" | cut -f1) MiB)" >&2
