# The lab's Prometheus (sourced by lab.sh; `up --prometheus`): the Debian package's server in the
# control plane's namespace, as a cluster's monitoring would run, scraping the controller and every
# node's agent over the LAN and evaluating plainroute's alert rules (config/monitoring). The
# machine's shell reaches its HTTP API through 127.0.0.1:$PROMETHEUS_PORT only (a relay over a
# Unix socket, like the API server's).

# The agents listen on Quarkus' default port inside their node's namespace (the DaemonSet moves it
# to 9765 because there it shares the node's network with other programs; here it has its own).
LAB_AGENT_HTTP_PORT=${LAB_AGENT_HTTP_PORT:-8080}
# Alerts wait minutes before firing in a cluster (`for:`); the lab is watched for seconds.
LAB_ALERT_FOR=${LAB_ALERT_FOR:-10s}

prometheus_start() {
  command -v prometheus >/dev/null || die "--prometheus: prometheus is missing: run hack/install-deps.sh (make deps)"
  local dir="$STATE/prometheus"
  mkdir -p "$dir/data"
  # The shipped rules with a shorter `for:` only: expressions, labels and annotations as shipped.
  sed -E "s/^( *)for: .*/\\1for: $LAB_ALERT_FOR/" "$REPO/config/monitoring/prometheus/plainroute-rules.yaml" >"$dir/rules.yaml"
  prometheus_targets_write
  cat >"$dir/prometheus.yml" <<CONFIG
global:
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 2s
rule_files:
  - $dir/rules.yaml
scrape_configs:
  - job_name: plainroute-controller
    metrics_path: /q/metrics
    static_configs:
      - targets: ['$(host_port "$CP_IP" 8080)']
  - job_name: plainroute-agent
    metrics_path: /q/metrics
    file_sd_configs:
      - files: ['$dir/agents.json']
        refresh_interval: 2s
CONFIG
  proc_start prometheus "$(ns_name cp)" prometheus --config.file="$dir/prometheus.yml" \
    --storage.tsdb.path="$dir/data" --web.listen-address=127.0.0.1:9090 --log.level=warn
  cp_wait_url prometheus http://127.0.0.1:9090/-/ready

  proc_start relay-prometheus-lab "$(ns_name cp)" socat "UNIX-LISTEN:$dir/http.sock,fork,mode=600" TCP:127.0.0.1:9090
  local i attempt port
  for (( i = 0; i < 50; i++ )); do [ -S "$dir/http.sock" ] && break; sleep 0.1; done
  # As for the API server's relay: a port found free can be taken before socat binds it.
  for (( attempt = 0; attempt < 5; attempt++ )); do
    port=$(prometheus_free_port $(( 19090 + attempt * 7 )))
    proc_start relay-prometheus-shell "" socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$dir/http.sock"
    proc_wait_listening relay-prometheus-shell "$port" && break
    proc_stop relay-prometheus-shell
  done
  proc_alive relay-prometheus-shell || die "no free loopback port for the Prometheus relay; see $STATE/logs/relay-prometheus-shell.log"
  echo "PROMETHEUS_PORT=$port" >>"$STATE/lab.env"
  PROMETHEUS_PORT=$port
  say "Prometheus (in $(ns_name cp)): http://127.0.0.1:$port, scraping the controller and every agent"
}

# One target per node of the lab, rewritten whenever a node joins or leaves (Prometheus rereads
# the file by itself). Written aside and renamed: Prometheus never reads half a file. The
# instance is the node's name, as config/monitoring's PodMonitor makes it (PlainrouteAgentDown).
prometheus_targets_write() {
  local dir="$STATE/prometheus" node targets="[]"
  [ -d "$dir" ] || return 0
  for node in $(lab_nodes); do
    targets=$(jq -c --arg t "$(host_port "$(<"$STATE/nodes/$node/address")" "$LAB_AGENT_HTTP_PORT")" --arg n "$node" \
      '. + [{targets: [$t], labels: {instance: $n}}]' <<<"$targets")
  done
  echo "$targets" >"$dir/agents.json.new"
  mv "$dir/agents.json.new" "$dir/agents.json"
}

prometheus_free_port() {
  local port
  for (( port = $1; port < 19590; port++ )); do
    [ -n "$(ss -Htln "sport = :$port")" ] || { echo "$port"; return 0; }
  done
  die "no free TCP port on 127.0.0.1 between $1 and 19589 for the Prometheus relay"
}
