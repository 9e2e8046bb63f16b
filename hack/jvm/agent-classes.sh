#!/usr/bin/env bash
# Writes hack/jvm/agent-classes.txt: the classes a real agent start loads, recorded from an agent of
# a two-node lab (hack/lab) from its start to its routes, for the class-data archive's training run
# (hack/jvm/class-archive.sh loads them, so the archive holds them). Run again when dependencies
# change; a stale list only leaves the missing classes out of the archive.
#
#   hack/jvm/agent-classes.sh        (root; needs the packaged jar and the Kubernetes binaries)
#
# Left out: classes without a name to load them by (lambdas, proxies, generated accessors) and
# those of the JDK's own archive (its lib/classlist).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
LAB="$REPO/hack/lab/lab.sh"
NAME=acl$$
NAME=${NAME:0:12}
WORK=$(mktemp -d)
lab() { LAB_QUIET=1 "$LAB" --name "$NAME" "$@"; }
trap 'lab down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
lab up --nodes 0 --owner $$ >/dev/null
lab node add node01 --no-agent >/dev/null
# Without the archive, so that the log names the jar or module of every class.
JAVA_OPTS="-Xshare:off -Xlog:class+load=info:file=$WORK/load.log" lab node add node02 >/dev/null
lab kubectl wait --for=condition=Ready nodenetwork/node02 --timeout=120s >/dev/null
lab stop agent node02
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
grep -v '^#\|^@' "$jdk/lib/classlist" | tr / . | sort -u >"$WORK/jdk"
{
  echo "# The classes an agent start loads (hack/jvm/agent-classes.sh, $(java -version 2>&1 | head -1))."
  sed -n 's/^\[[^]]*\]\[info\]\[class,load\] \([^ ]*\) source: \(jrt:\|file:\).*/\1/p' "$WORK/load.log" \
    | sort -u | comm -23 - "$WORK/jdk"
} >"$REPO/hack/jvm/agent-classes.txt"
echo "agent-classes: $(grep -vc '^#' "$REPO/hack/jvm/agent-classes.txt") classes in hack/jvm/agent-classes.txt" >&2
