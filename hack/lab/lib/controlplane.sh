# The lab's control plane (sourced by lab.sh): etcd, kube-apiserver and kube-controller-manager
# (garbage collector only) in the namespace "cp", as on a control-plane node of the lectures. The
# nodes reach the API server over the LAN at $CP_IP:6443 (the primary family's address); the machine's shell reaches it through
# 127.0.0.1:$API_PORT only, via two socat relays joined by a Unix socket in $STATE (a Unix socket
# belongs to no network namespace, so nothing is routed between the lab and the machine).
# The ITs' control plane runs the same components with the same flags on loopback ports
# (src/test/java/io/plainroute/testing/ControlPlaneCommands.java): change both together.

# The Service range is of the primary family, like the advertised address; its first address is the
# `kubernetes` Service's, which the serving certificate names, as every cluster's does: a pod that
# dials the Service (through the lab's DNAT for it, hack/olm/lab-olm.sh) must find it there.
service_range() { if [ "$(family_of "$CP_IP")" = 6 ]; then echo fd00:198:51:100::/112; else echo 198.51.100.0/24; fi; }
service_ip() { if [ "$(family_of "$CP_IP")" = 6 ]; then echo fd00:198:51:100::1; else echo 198.51.100.1; fi; }

cp_start() {
  local ns=$(ns_name cp) dir="$STATE/cp"
  mkdir -p "$dir"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/token"
  echo "$(<"$dir/token"),lab-admin,lab-admin,\"system:masters\"" >"$dir/tokens.csv"
  [ "${REAL_NODES:-0}" != 1 ] || realnodes_client_ca

  etcd_start

  # The serving certificate names the addresses agents dial (each family's), the `kubernetes`
  # Service's address and names (as kube-apiserver's own self-signed one and kubeadm's do), and
  # 127.0.0.1, which the shell dials through the relay (kube-apiserver's own leaves that out).
  # "::" listens on both families.
  local sans="" ip
  for ip in $CP_IP4 $CP_IP6 $(service_ip); do sans="${sans}IP:$ip,"; done
  sans="${sans}DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$LAB_NAME-apiserver" \
    -addext "subjectAltName=${sans},IP:127.0.0.1,DNS:localhost" \
    -keyout "$dir/apiserver.key" -out "$dir/apiserver.crt" 2>/dev/null
  apiserver_start

  local ca
  ca=$(base64 -w0 <"$dir/apiserver.crt")
  kubeconfig_write "$dir/kubeconfig" https://127.0.0.1:6443 "$ca"
  kubeconfig_write "$STATE/node-kubeconfig" "https://$(host_port "$CP_IP" 6443)" "$ca"

  # nodelifecycle: as in a cluster, a Node whose agent reports NetworkUnavailable=True gets the
  # node.kubernetes.io/network-unavailable taint. (Without kubelets the lab's Nodes never post
  # Ready, so after its grace period it also marks them unreachable; nothing runs pods by the
  # scheduler here, and no taint-eviction controller runs, so that changes nothing.)
  # Real nodes run workloads: their controllers too, the ServiceAccounts pods need, and the
  # kube-root-ca.crt ConfigMap that projected service account volumes include.
  local controllers=garbagecollector,nodelifecycle extra=()
  if [ "${REAL_NODES:-0}" = 1 ]; then
    controllers=$controllers,daemonset,deployment,replicaset,serviceaccount,root-ca-cert-publisher
    extra=(--root-ca-file="$dir/apiserver.crt")
  fi
  proc_start kube-controller-manager "$ns" "$K8S_BIN/kube-controller-manager" "${extra[@]}" \
    --kubeconfig="$dir/kubeconfig" --controllers=$controllers --leader-elect=false \
    --bind-address=127.0.0.1 --secure-port=10257 --cert-dir="$dir/kcm-certs"
  cp_wait_url kube-controller-manager https://127.0.0.1:10257/healthz

  proc_start relay-lab "$ns" socat "UNIX-LISTEN:$dir/apiserver.sock,fork,mode=600" TCP:127.0.0.1:6443
  local i attempt
  for (( i = 0; i < 50; i++ )); do [ -S "$dir/apiserver.sock" ] && break; sleep 0.1; done
  # A port found free can be taken by a parallel lab before socat binds it: try the next one.
  for (( attempt = 0; attempt < 5; attempt++ )); do
    API_PORT=$(free_loopback_port)
    proc_start relay-shell "" socat "TCP-LISTEN:$API_PORT,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$dir/apiserver.sock"
    proc_wait_listening relay-shell "$API_PORT" && break
    proc_stop relay-shell
    LAB_API_PORT=$(( API_PORT + 1 ))
  done
  kubeconfig_write "$STATE/kubeconfig" "https://127.0.0.1:$API_PORT" "$ca"
  echo "API_PORT=$API_PORT" >>"$STATE/lab.env"
  for (( i = 0; i < 50; i++ )); do lab_kubectl get --raw /readyz >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "the API server is not reachable through 127.0.0.1:$API_PORT; see $STATE/logs/relay-*.log"
}

# etcd and the API server each alone, also for `lab.sh cp start` after a `cp stop` (faults):
# etcd keeps its data directory, the API server its certificates and tokens.
etcd_start() {
  local ns=$(ns_name cp) dir="$STATE/cp"
  proc_start etcd "$ns" "$K8S_BIN/etcd" --name=lab --data-dir="$dir/etcd" \
    --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
    --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
    --initial-cluster=lab=http://127.0.0.1:2380 --unsafe-no-fsync=true --log-level=warn
  cp_wait_url etcd http://127.0.0.1:2379/health
}

apiserver_start() {
  local ns=$(ns_name cp) dir="$STATE/cp" bind=0.0.0.0
  [ -z "$CP_IP6" ] || bind=::
  # Without pods, the ServiceAccount admission plugin has nothing to do; real nodes run pods,
  # which get their projected tokens from it, and kubelets that log in with client certificates.
  local admission=(--disable-admission-plugins=ServiceAccount)
  [ "${REAL_NODES:-0}" != 1 ] || admission=(--client-ca-file="$dir/client-ca.crt" --kubelet-preferred-address-types=InternalIP)
  proc_start kube-apiserver "$ns" "$K8S_BIN/kube-apiserver" "${admission[@]}" \
    --etcd-servers=http://127.0.0.1:2379 --bind-address=$bind --advertise-address="$CP_IP" \
    --secure-port=6443 --tls-cert-file="$dir/apiserver.crt" --tls-private-key-file="$dir/apiserver.key" \
    --token-auth-file="$dir/tokens.csv" \
    --authorization-mode=Node,RBAC --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$dir/sa.pub" --service-account-signing-key-file="$dir/sa.key" \
    --service-cluster-ip-range="$(service_range)" \
    --endpoint-reconciler-type=none
  cp_wait_url kube-apiserver https://127.0.0.1:6443/readyz
}

cp_wait_url() {
  local name=$1 url=$2 i
  for (( i = 0; i < 900; i++ )); do
    if ip netns exec "$(ns_name cp)" curl -fsk -o /dev/null --max-time 2 \
        -H "Authorization: Bearer $(<"$STATE/cp/token")" "$url" 2>/dev/null; then
      return 0
    fi
    proc_alive "$name" || die "$name exited; last lines of $STATE/logs/$name.log:$(echo; tail -n 20 "$STATE/logs/$name.log")"
    sleep 0.1
  done
  die "$name is not healthy at $url after 90s; see $STATE/logs/$name.log"
}

kubeconfig_write() {
  local file=$1 server=$2 ca=$3
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $LAB_NAME
  cluster:
    server: $server
    certificate-authority-data: $ca
users:
- name: lab-admin
  user:
    token: $(<"$STATE/cp/token")
contexts:
- name: $LAB_NAME
  context: {cluster: $LAB_NAME, user: lab-admin}
current-context: $LAB_NAME
EOF
  chmod 600 "$file"
}

free_loopback_port() {
  local port
  for (( port = ${LAB_API_PORT:-16443}; port < 17443; port++ )); do
    if [ -z "$(ss -Htln "sport = :$port")" ]; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port on 127.0.0.1 between 16443 and 17442 for the API server relay"
}
