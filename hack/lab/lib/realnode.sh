# Real nodes (sourced by lab.sh; `lab.sh up --real-nodes`): each node namespace runs its own
# containerd (Debian package) and kubelet (hack/k8s/build.sh), which registers its Node itself and
# runs the pods the scheduler gives it. The lab's controller and agents are then not started as
# processes: plainroute is deployed from its manifests (`kubectl apply -k`), as in a cluster.
#
# Per node, under $STATE/nodes/NODE:
#   mounts/      what node-mounts.sh lays over /etc/cni/net.d (cni/net.d), /run/containerd,
#                /run/netns, /var/lib/cni, /var/log/containers in the node's private mount namespace
#   containerd/  containerd's config, root, state and socket
#   kubelet/     the kubelet's --root-dir, config, kubeconfig (client cert system:node:NODE)
#   pod-logs/    the kubelet's podLogsDir
# The node's processes: node-NODE (the mount namespace's holder), containerd-NODE, kubelet-NODE;
# containerd and kubelet run in the node's network namespace and its mount namespace.
#
# cgroups: v1 (this machine's hierarchy is hybrid: v1 controllers, cgroup2 only at
# /sys/fs/cgroup/unified). The kubelet runs with cgroupDriver cgroupfs, failCgroupV1 false and the
# cgroup root /plainroute-LAB/NODE in every v1 hierarchy; `down` kills what is left in that tree
# and removes it.

REAL_CGROUP_CONTROLLERS=(cpu cpuacct cpuset memory devices freezer blkio pids systemd)

realnodes_check() {
  local tool
  for tool in containerd containerd-shim-runc-v2 runc ctr unshare nsenter; do
    command -v $tool >/dev/null || die "--real-nodes: $tool is missing: run hack/install-deps.sh (containerd, runc)"
  done
  [ -x "$K8S_BIN/kubelet" ] && [ -x "$K8S_BIN/kube-scheduler" ] \
    || die "--real-nodes: no kubelet or kube-scheduler in '$K8S_BIN': build them with hack/k8s/build.sh (make k8s)"
  [ -d "$CNI_PLUGIN_DIR" ] || die "--real-nodes: no CNI plugins in $CNI_PLUGIN_DIR: apt-get install containernetworking-plugins"
}

# The CA whose certificates the API server accepts from kubelets (system:node:NODE in group
# system:nodes, as the Node authorizer wants them).
realnodes_client_ca() {
  local dir="$STATE/cp"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$LAB_NAME-client-ca" \
    -keyout "$dir/client-ca.key" -out "$dir/client-ca.crt" 2>/dev/null
}

# The parts of the control plane a kubelet cluster needs beyond the emulated lab's: the scheduler.
realnodes_cp_start() {
  local dir="$STATE/cp"
  proc_start kube-scheduler "$(ns_name cp)" "$K8S_BIN/kube-scheduler" \
    --kubeconfig="$dir/kubeconfig" --leader-elect=false --bind-address=127.0.0.1 --secure-port=10259
  cp_wait_url kube-scheduler https://127.0.0.1:10259/healthz
}

realnode_cgroup() {
  echo "/plainroute-$LAB_NAME/$1"
}

realnode_cgroup_create() {
  local path=$1 controller base rel part
  for controller in "${REAL_CGROUP_CONTROLLERS[@]}"; do
    base=/sys/fs/cgroup/$controller
    [ -d "$base" ] || continue
    rel=""
    for part in ${path//\// }; do
      rel="$rel/$part"
      [ -d "$base$rel" ] && continue
      mkdir "$base$rel"
      # A v1 cpuset child starts with no CPUs and no memory nodes: it takes its parent's.
      if [ "$controller" = cpuset ]; then
        cat "$(dirname "$base$rel")/cpuset.cpus" >"$base$rel/cpuset.cpus"
        cat "$(dirname "$base$rel")/cpuset.mems" >"$base$rel/cpuset.mems"
      fi
    done
  done
}

# Kills every process left in the cgroup tree PATH (containers whose shim is gone) and removes it.
realnode_cgroup_remove() {
  local path=$1 controller base i pids
  for (( i = 0; i < 50; i++ )); do
    pids=$(find "/sys/fs/cgroup/pids$path" "/sys/fs/cgroup/memory$path" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  for controller in "${REAL_CGROUP_CONTROLLERS[@]}"; do
    base=/sys/fs/cgroup/$controller$path
    [ -d "$base" ] || continue
    find "$base" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

realnode_kubeconfig() {
  local node=$1 dir="$STATE/nodes/$1/kubelet"
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:nodes/CN=system:node:$node" \
    -keyout "$dir/client.key" -out "$dir/client.csr" 2>/dev/null
  openssl x509 -req -in "$dir/client.csr" -CA "$STATE/cp/client-ca.crt" -CAkey "$STATE/cp/client-ca.key" \
    -CAcreateserial -days 30 -out "$dir/client.crt" 2>/dev/null
  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $LAB_NAME
  cluster:
    server: https://$(host_port "$CP_IP" 6443)
    certificate-authority: $STATE/cp/apiserver.crt
users:
- name: system:node:$node
  user:
    client-certificate: $dir/client.crt
    client-key: $dir/client.key
contexts:
- name: $LAB_NAME
  context: {cluster: $LAB_NAME, user: "system:node:$node"}
current-context: $LAB_NAME
EOF
}

realnode_containerd_config() {
  local dir="$STATE/nodes/$1/containerd"
  cat >"$dir/config.toml" <<EOF
# containerd of lab node $1: its own root, state and socket; CNI plugins from the machine's
# package, the conflist from the node's /etc/cni/net.d; images only from local archives.
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$REAL_PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # No CAP_SYS_RESOURCE here (a container's root): a sandbox's oom_score_adj of -998 could not be
  # set, so runc would fail ("failed to update /proc/self/oom_score_adj: Permission denied").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_PLUGIN_DIR"
    conf_dir = "/etc/cni/net.d"
    max_conf_num = 1
EOF
}

realnode_kubelet_config() {
  local node=$1 dir="$STATE/nodes/$1"
  : >"$dir/resolv.conf"
  cat >"$dir/kubelet/config.yaml" <<EOF
# kubelet of lab node $node. The disk is the machine's, shared by every node: no eviction on disk
# pressure, no image garbage collection (images come from local archives, nothing could pull them
# again). cgroup v1 with the cgroupfs driver (this machine has no v2 hierarchy at /sys/fs/cgroup).
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: "$(head -1 "$dir/addresses")"
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization:
  mode: AlwaysAllow
cgroupDriver: cgroupfs
cgroupRoot: $(realnode_cgroup "$node")
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$dir/containerd/containerd.sock
podLogsDir: $dir/pod-logs
resolvConf: $dir/resolv.conf
evictionHard:
  memory.available: "100Mi"
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
localStorageCapacityIsolation: false
serializeImagePulls: false
registerNode: true
EOF
}

# realnode_start NODE: the node's mount namespace, containerd and kubelet; its Node object is the
# kubelet's to make.
realnode_start() {
  local node=$1 dir="$STATE/nodes/$1" holder i
  mkdir -p "$dir/containerd" "$dir/kubelet" "$dir/pod-logs" "$dir/cni/net.d"
  realnode_cgroup_create "$(realnode_cgroup "$node")"
  # What kubeadm's preflight checks demand of a node: IP forwarding on. The agent's DaemonSet is
  # not privileged, so /proc/sys is read-only to it and it reports ForwardingDisabled otherwise.
  ip netns exec "$(ns_name "$node")" sysctl -qw net.ipv4.ip_forward=1
  [ -z "${LAN6:-}" ] || ip netns exec "$(ns_name "$node")" sysctl -qw net.ipv6.conf.all.forwarding=1
  echo "$(realnode_cgroup "$node")" >"$dir/cgroup"
  realnode_kubeconfig "$node"
  realnode_containerd_config "$node"
  realnode_kubelet_config "$node"
  # Mount points the node's namespace binds over (empty directories on the machine).
  mkdir -p /run/containerd /run/netns /var/log/containers /var/lib/cni
  proc_start "node-$node" "" unshare --mount --propagation private \
    nsenter --net="/run/netns/$(ns_name "$node")" bash "$LAB_HOME/lib/node-mounts.sh" "$STATE" "$node"
  proc_wait_log "node-$node" 'mount namespace ready' 10
  holder=$(proc_pid "node-$node")
  proc_start "containerd-$node" "" nsenter -t "$holder" -m -n \
    containerd --config "$dir/containerd/config.toml"
  for (( i = 0; i < 100; i++ )); do
    ctr --address "$dir/containerd/containerd.sock" version >/dev/null 2>&1 && break
    proc_alive "containerd-$node" || die "containerd on $node exited; see $STATE/logs/containerd-$node.log"
    sleep 0.1
  done
  realnode_import_all "$node"
  proc_start "kubelet-$node" "" nsenter -t "$holder" -m -n \
    "$K8S_BIN/kubelet" --config="$dir/kubelet/config.yaml" --kubeconfig="$dir/kubelet/kubeconfig" \
    --root-dir="$dir/kubelet" --hostname-override="$node" \
    --node-ip="$(paste -sd, "$dir/addresses")" --v=1
  for (( i = 0; i < 600; i++ )); do
    lab_kubectl get node "$node" >/dev/null 2>&1 && return 0
    proc_alive "kubelet-$node" || die "the kubelet on $node exited; last lines of $STATE/logs/kubelet-$node.log:$(echo; tail -n 20 "$STATE/logs/kubelet-$node.log")"
    sleep 0.1
  done
  die "the kubelet on $node registered no Node within 60s; see $STATE/logs/kubelet-$node.log"
}

# realnode_stop NODE: the kubelet, containerd, what runs in the node's cgroups, its mount namespace.
realnode_stop() {
  local node=$1
  proc_stop "kubelet-$node"
  proc_stop "containerd-$node"
  local pid
  for pid in $(procs_of_lab); do
    # The shims of this node's containerd name its socket.
    grep -qsF "$STATE/nodes/$node/" "/proc/$pid/cmdline" && kill -KILL "$pid" 2>/dev/null || true
  done
  [ ! -f "$STATE/nodes/$node/cgroup" ] || realnode_cgroup_remove "$(<"$STATE/nodes/$node/cgroup")"
  proc_stop "node-$node"
}

# --- images ----------------------------------------------------------------------------------

# Every archive imported so far is imported again into a node that joins later.
realnode_import() {
  local node=$1 file=$2
  ctr --address "$STATE/nodes/$node/containerd/containerd.sock" -n k8s.io images import \
    --no-unpack=false "$file" >/dev/null \
    || die "importing $file into the containerd of $node failed"
}

realnode_import_all() {
  local file
  [ -f "$STATE/images" ] || return 0
  while read -r file; do realnode_import "$1" "$file"; done <"$STATE/images"
}

# lab.sh image import FILE...: OCI archives into every node's containerd (namespace k8s.io, the
# kubelet's), and into every node that joins later.
cmd_image() {
  [ "${1:-}" = import ] && [ $# -ge 2 ] || die "usage: image import FILE... (OCI archives)"
  [ "${REAL_NODES:-0}" = 1 ] || die "image import: this lab has no real nodes (start it with: up --real-nodes)"
  shift
  local file node
  for file in "$@"; do
    [ -f "$file" ] || die "image import: no file $file"
    file=$(readlink -f "$file")
    for node in $(lab_nodes); do realnode_import "$node" "$file"; done
    grep -qsxF "$file" "$STATE/images" || echo "$file" >>"$STATE/images"
  done
}

# `down`: what the nodes' processes leave behind when they are killed: their cgroup trees.
realnodes_down() {
  local file
  for file in "$STATE"/nodes/*/cgroup; do
    [ -f "$file" ] && realnode_cgroup_remove "$(<"$file")"
  done
  [ -d "/sys/fs/cgroup/memory/plainroute-$LAB_NAME" ] && realnode_cgroup_remove "/plainroute-$LAB_NAME"
  return 0
}

# The pause and test-pod images (hack/image/lab-images.sh, cached), imported into every node.
REAL_PAUSE_IMAGE=localhost/plainroute-lab/pause:1
REAL_TESTPOD_IMAGE=localhost/plainroute-lab/testpod:1

realnodes_lab_images() {
  local archives
  archives=$("$REPO/hack/image/lab-images.sh") || die "building the lab's pause and test-pod images failed"
  printf '%s\n' $archives >>"$STATE/images"
}
