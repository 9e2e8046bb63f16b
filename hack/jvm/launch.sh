#!/usr/bin/env sh
# Starts plainroute on the JVM with the flags measured for its role (BENCHMARKS.md, "Agent
# start-up and memory"). The image's entrypoint and the lab both start every role through this
# file, so what the lab and `make bench` measure is what a DaemonSet runs.
#
#   PLAINROUTE_ROLE=agent|controller|cleanup [JAVA_OPTS=...] launch.sh [JVM ARGS...]
#
# PLAINROUTE_APP is the Quarkus fast-jar directory (default: this file's directory, as in the
# image). JAVA_OPTS and the arguments come after the role's flags, so they win (e.g. -Xmx).
set -eu
app=${PLAINROUTE_APP:-$(cd "$(dirname "$0")" && pwd)}
case ${PLAINROUTE_ROLE:-controller} in
  agent | cleanup)
    # The agent mostly waits: C1 only (C2 would compile the start-up for nothing), one serial GC
    # thread, a heap that starts small and grows with the peers (54 MiB in use at 5,000 peers,
    # garbage included: 96 MiB leaves room for the informer's relist), small stacks and code cache.
    role="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms8m -Xmx96m -Xss512k -XX:ReservedCodeCacheSize=24m"
    # The class-data archive mapped where it was written instead of at a random address (this
    # JDK's default since 17.0.x): relocating it writes every page of its ~50 MiB, which then
    # count as the process's own memory instead of clean pages of the file. No hsperfdata file
    # (the root filesystem is read-only anyway; jcmd still attaches). Two malloc arenas instead
    # of one per thread up to 16: the agent's threads mostly wait.
    role="$role -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:-UsePerfData"
    # C1 compiles a method after 1,000 calls instead of 200: a start compiles fewer methods that
    # it runs only a few hundred times (code cache ~4 MiB smaller, the same CPU in interleaved runs).
    role="$role -XX:Tier3InvocationThreshold=1000 -XX:Tier3MinInvocationThreshold=500 -XX:Tier3CompileThreshold=10000 -XX:Tier3BackEdgeThreshold=300000"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    ;;
  *)
    # The controller (BENCHMARKS.md, "Thousands of nodes"): C1 only and serial GC as above. At
    # 5,000 Nodes its informer caches hold 54-62 MiB, and ~100 MiB are live while a pass runs (it
    # LISTs every NodeNetwork and SubnetClaim); NewRatio=4 gives the old generation 128 of the
    # 160 MiB so that fits (-Xmx128m thrashed: 139 full GCs, the 5,000-node burst 4x slower).
    # Serial GC keeps the pages it once used (it shrinks by a fraction per full GC, and full GCs
    # stop when the cluster is quiet), so the cap is what the heap costs in RSS. glibc gives freed
    # native memory back only when asked: two arenas (not up to 8 per core), and the JVM trims
    # them every 10 s (~20 MiB at 5,000 Nodes).
    role="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -Xmx160m -XX:NewRatio=4 -XX:TrimNativeHeapInterval=10000"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    ;;
esac
# The class-data sharing archive (hack/jvm/class-archive.sh, written when the jar is packaged and
# again by the image build with the image's own JVM). A JVM it does not fit says so and runs
# without it.
archive=""
[ -f "$app/plainroute.jsa" ] && archive="-XX:SharedArchiveFile=$app/plainroute.jsa"
# shellcheck disable=SC2086 # the flag lists are split on purpose
exec java $role $archive -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} "$@" -jar "$app/quarkus-run.jar"
