# The lab plays the container runtime (sourced by lab.sh): it runs the reference CNI plugins with
# the conflist the agent wrote, as libcni does for a network list —
#  * ADD runs the plugins in order; each gets the plugin's own config plus the list's name and
#    cniVersion, and from the second on the previous plugin's result as prevResult;
#  * DEL runs them in reverse order, each with the result of the ADD as prevResult;
#  * the environment is CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH, and the
#    plugins run in the node's network namespace (they are the node's host-side binaries).
# One liberty: host-local's dataDir is set to a directory of the lab's node, so that the nodes of
# one machine do not share /var/lib/cni and nothing is left there.

CNI_PLUGIN_DIR=${CNI_PLUGIN_DIR:-/usr/lib/cni}

# cni_plugin_config CONFLIST INDEX IPAM_DIR [PREV_RESULT]: the network config one plugin reads.
cni_plugin_config() {
  local conflist=$1 index=$2 ipam_dir=$3 prev=${4:-}
  jq -c --argjson i "$index" --arg dir "$ipam_dir" --arg prev "$prev" '
    . as $list | $list.plugins[$i]
    | .name = $list.name | .cniVersion = $list.cniVersion
    | if .ipam.type == "host-local" then .ipam.dataDir = $dir else . end
    | if $prev == "" then . else .prevResult = ($prev | fromjson) end' "$conflist"
}

# cni_exec COMMAND NODE_NS POD_NS IFNAME CONFIG: runs the plugin CONFIG names; prints its stdout.
cni_exec() {
  local command=$1 node_ns=$2 pod_ns=$3 ifname=$4 config=$5 type out rc
  type=$(jq -r .type <<<"$config")
  [[ $type =~ ^[A-Za-z0-9_-]+$ ]] && [ -x "$CNI_PLUGIN_DIR/$type" ] \
    || die "CNI plugin '$type' (from the agent's conflist) is not in $CNI_PLUGIN_DIR"
  set +e
  out=$(CNI_COMMAND=$command CNI_CONTAINERID=$pod_ns CNI_NETNS=/run/netns/$pod_ns CNI_IFNAME=$ifname \
    CNI_PATH=$CNI_PLUGIN_DIR ip netns exec "$node_ns" "$CNI_PLUGIN_DIR/$type" <<<"$config")
  rc=$?
  set -e
  if (( rc != 0 )); then
    die "CNI $command of plugin $type failed (exit $rc): $(jq -r '.msg + " " + (.details // "")' <<<"$out" 2>/dev/null || echo "$out")"
  fi
  echo "$out"
}

# cni_add CONFLIST NODE_NS POD_NS IFNAME IPAM_DIR: prints the chain's final result.
cni_add() {
  local conflist=$1 node_ns=$2 pod_ns=$3 ifname=$4 ipam_dir=$5 n i prev=""
  n=$(jq '.plugins | length' "$conflist")
  for (( i = 0; i < n; i++ )); do
    prev=$(cni_exec ADD "$node_ns" "$pod_ns" "$ifname" "$(cni_plugin_config "$conflist" "$i" "$ipam_dir" "$prev")")
  done
  echo "$prev"
}

# cni_del CONFLIST NODE_NS POD_NS IFNAME IPAM_DIR ADD_RESULT
cni_del() {
  local conflist=$1 node_ns=$2 pod_ns=$3 ifname=$4 ipam_dir=$5 result=$6 n i
  n=$(jq '.plugins | length' "$conflist")
  for (( i = n - 1; i >= 0; i-- )); do
    cni_exec DEL "$node_ns" "$pod_ns" "$ifname" "$(cni_plugin_config "$conflist" "$i" "$ipam_dir" "$result")" >/dev/null
  done
}
