#!/usr/bin/env bash
# node-mounts.sh STATE NODE: the mount namespace of a real lab node (lib/realnode.sh), started as
#   unshare --mount --propagation private nsenter --net=/run/netns/LAB-NODE bash node-mounts.sh ...
# It lays the node's own directories over the paths a node's runtime, kubelet and hostPath volumes
# use, so that each node of one machine has its own, then stays alive holding the namespace: the
# node's containerd and kubelet enter it (nsenter -t PID -m -n). Mounts made here (these, and
# containerd's rootfs and the kubelet's volumes) are private to the namespace: they vanish with its
# last process, and the machine's namespace never sees them.
set -euo pipefail
state=$1 node=$2
dir="$state/nodes/$node/mounts"

bind() {
  mkdir -p "$dir/$2"
  mount --bind "$dir/$2" "$1"
}

# The agent's DaemonSet writes its conflist through a hostPath /etc/cni/net.d; containerd reads it
# there. (The lab's emulated runtime reads the same directory: $state/nodes/NODE/cni/net.d.)
mkdir -p "$state/nodes/$node/cni/net.d"
mount --bind "$state/nodes/$node/cni/net.d" /etc/cni/net.d
# The shims' sockets (/run/containerd/s) and the pods' network namespaces, which containerd's CNI
# code pins under /run/netns: per node, and gone with it.
bind /run/containerd run-containerd
bind /run/netns run-netns
# The CNI plugins' state: host-local's address reservations (/var/lib/cni/networks) and libcni's
# cached results. Shared, the nodes of every lab on the machine would draw from one reservation
# store, and what a killed lab reserved would stay reserved on the machine's disk for good.
bind /var/lib/cni var-lib-cni
# The kubelet's links to container logs (its log files themselves are under --pod-logs-dir).
bind /var/log/containers var-log-containers

# The kubelet compares six kernel settings with what it wants and, unless they match, writes them
# (vm.overcommit_memory=1, kernel.panic=10, ...): machine-wide settings, not a lab node's to change.
# Here it reads files that hold its values, and the machine keeps its own.
sysctl_shadow() {
  local key=$1 value=$2 file="$dir/sysctl/${1//\//.}"
  mkdir -p "$dir/sysctl"
  echo "$value" >"$file"
  mount --bind "$file" "/proc/sys/$key"
}
sysctl_shadow vm/overcommit_memory 1
sysctl_shadow vm/panic_on_oom 0
sysctl_shadow kernel/panic 10
sysctl_shadow kernel/panic_on_oops 1
sysctl_shadow kernel/keys/root_maxkeys 1000000
sysctl_shadow kernel/keys/root_maxbytes 25000000

echo "node $node: mount namespace ready"
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $! || true
done
