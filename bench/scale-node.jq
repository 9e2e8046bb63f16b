# A List of Node objects bulk-$from..bulk-$to shaped like a kubelet's registration: on-link
# InternalIP on the lab's LAN 192.168.0.0/18 (hosts from .3.232 up), conditions, an image list,
# capacity and system info. Used by bench/scale.sh.
def image(i): {names: ["registry.example/team\(i)/service-\(i)@sha256:\(("0" * 40) + (i | tostring) | .[-64:])",
                       "registry.example/team\(i)/service-\(i):v1.\(i).0"], sizeBytes: (50000000 + i)};
def condition(t; s; r; m): {type: t, status: s, reason: r, message: m,
                             lastHeartbeatTime: "2026-12-01T12:00:00Z", lastTransitionTime: "2026-12-01T11:00:00Z"};
{apiVersion: "v1", kind: "List", items: [range($from; $to + 1) as $i | (1000 + $i) as $h | "bulk-\($i)" as $name | {
  apiVersion: "v1", kind: "Node",
  metadata: {name: $name,
    labels: {"kubernetes.io/hostname": $name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
             "node.kubernetes.io/instance-type": "lab.small", "topology.kubernetes.io/zone": "lab-\($i % 3)"},
    annotations: {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
  status: {
    addresses: [{type: "InternalIP", address: "192.168.\($h / 256 | floor).\($h % 256)"}, {type: "Hostname", address: $name}],
    capacity: {cpu: "2", memory: "4025836Ki", pods: "110", "ephemeral-storage": "20134592Ki", "hugepages-2Mi": "0"},
    allocatable: {cpu: "2", memory: "3923436Ki", pods: "110", "ephemeral-storage": "18556039957", "hugepages-2Mi": "0"},
    conditions: [
      condition("MemoryPressure"; "False"; "KubeletHasSufficientMemory"; "kubelet has sufficient memory available"),
      condition("DiskPressure"; "False"; "KubeletHasNoDiskPressure"; "kubelet has no disk pressure"),
      condition("PIDPressure"; "False"; "KubeletHasSufficientPID"; "kubelet has sufficient PID available"),
      condition("Ready"; "True"; "KubeletReady"; "kubelet is posting ready status")],
    daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
    nodeInfo: {machineID: "m\($i)", systemUUID: "u\($i)", bootID: "b\($i)", kernelVersion: "6.18.0", osImage: "Debian GNU/Linux 13",
               containerRuntimeVersion: "containerd://2.1.0", kubeletVersion: "v1.34.4", kubeProxyVersion: "", operatingSystem: "linux",
               architecture: "amd64"},
    images: [range(0; 20) | image(.)]}}]}
