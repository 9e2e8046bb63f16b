#!/usr/bin/env bash
# Installs what building and testing plainroute needs, when it is missing (Debian/Ubuntu, as root).
# Idempotent and quiet when everything is there, so `make test` can run it every time.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need java openjdk-17-jdk-headless
need javac openjdk-17-jdk-headless
need mvn maven
need go golang-go
need ip iproute2
need curl curl
need nft nftables
need ping iputils-ping
# The network-namespace lab (hack/lab): CNI chain runtime, loopback forwarder, apiserver keys.
need jq jq
need socat socat
need openssl openssl
# Alert rules: `promtool check/test rules` (AlertRulesTest) and the lab's Prometheus server
# (lab.sh up --prometheus, MonitoringE2E).
need promtool prometheus
# Not commands on PATH: the reference CNI plugins the kernel tests run, and libnftables, which
# the agent loads through jnr-ffi for its masquerade rule.
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
# The lab's real nodes (lab.sh up --real-nodes, RealNodesE2E): a container runtime per node, and
# the tools that build its images without a registry (hack/image: buildah; a static busybox and a
# static pause compiled with gcc).
need containerd containerd
need runc runc
need buildah buildah
need debootstrap debootstrap
need gcc gcc
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static)
ldconfig -p 2>/dev/null | grep -q 'libnftables\.so\.1 ' || missing+=(libnftables1)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing: ${missing[*]} — install them (Debian packages) and run again" >&2
    exit 1
  fi
  echo "installing ${missing[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package also enables a Prometheus service listening on every address of the machine; the
  # tests only need its binaries (the lab runs its own server inside a network namespace).
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "Java 17 or newer is needed (found $java_major)" >&2
  exit 1
fi
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ -z "$go_minor" ] || [ "$go_minor" -lt 21 ]; then
  # Go 1.21+ fetches the toolchain hack/k8s/go.mod asks for by itself; older ones cannot.
  echo "Go 1.21 or newer is needed to build the test control plane (found $(go env GOVERSION))" >&2
  exit 1
fi
