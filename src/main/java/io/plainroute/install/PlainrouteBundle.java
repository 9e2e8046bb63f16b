package io.plainroute.install;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations.Annotation;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Icon;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.InstallMode;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Link;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Maintainer;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Provider;
import io.quarkiverse.operatorsdk.annotations.SharedCSVMetadata;

/**
 * What OperatorHub shows for plainroute: the ClusterServiceVersion's metadata, read by
 * quarkus-operator-sdk's bundle generator at build time (target/bundle/plainroute). Both
 * reconcilers belong to this one bundle because its name is the application's. {@code make bundle}
 * completes the generated bundle (BundleInSyncIT) and writes it to bundle/.
 *
 * <p>Only AllNamespaces: every plainroute resource is cluster-scoped and the agent runs on every
 * node, so watching a subset of namespaces means nothing.
 */
@CSVMetadata(
    bundleName = PlainrouteBundle.NAME,
    csvName = PlainrouteBundle.NAME + ".v" + PlainrouteBundle.VERSION,
    version = PlainrouteBundle.VERSION,
    displayName = "plainroute",
    description = PlainrouteBundle.DESCRIPTION,
    maturity = "alpha",
    // CEL validation rules in the CRDs (x-kubernetes-validations) are GA from 1.29 on.
    minKubeVersion = "1.29.0",
    keywords = {"networking", "cni", "pod network", "routing", "ipam", "bridge", "netlink"},
    provider = @Provider(name = "plainroute", url = PlainrouteBundle.HOME),
    maintainers = @Maintainer(name = "plainroute maintainers", email = "maintainers@plainroute.io"),
    links = {
        @Link(name = "Source code", url = PlainrouteBundle.HOME),
        @Link(name = "Documentation", url = PlainrouteBundle.HOME + "#readme")},
    icon = @Icon(fileName = "plainroute.svg", mediatype = "image/svg+xml"),
    installModes = {
        @InstallMode(type = "OwnNamespace", supported = false),
        @InstallMode(type = "SingleNamespace", supported = false),
        @InstallMode(type = "MultiNamespace", supported = false),
        @InstallMode(type = "AllNamespaces", supported = true)},
    annotations = @Annotations(
        containerImage = PlainrouteBundle.IMAGE,
        repository = PlainrouteBundle.HOME,
        capabilities = "Basic Install",
        categories = "Networking",
        almExamples = PlainrouteBundle.ALM_EXAMPLES,
        others = {
            @Annotation(name = "description", value = "Plain-routing pod network: one subnet per node, static routes, no overlay."),
            @Annotation(name = "operatorframework.io/suggested-namespace", value = "plainroute-system"),
            // Consoles hide these: the controller's subnet locks are not for users.
            @Annotation(name = "operators.operatorframework.io/internal-objects", value = "[\"subnetclaims.plainroute.io\"]")}))
public class PlainrouteBundle implements SharedCSVMetadata {
  public static final String NAME = "plainroute";
  public static final String VERSION = "0.1.0";
  public static final String IMAGE = "ghcr.io/plainroute/plainroute:" + VERSION;
  static final String HOME = "https://github.com/plainroute/plainroute";

  /** The lectures' pod network, the same as config/samples/clusternetwork.yaml (BundleInSyncIT checks). */
  static final String ALM_EXAMPLES = """
      [
        {
          "apiVersion": "plainroute.io/v1alpha1",
          "kind": "ClusterNetwork",
          "metadata": {"name": "default"},
          "spec": {"clusterCIDRs": ["10.244.0.0/16"], "nodeSubnetPrefixLength": 24}
        }
      ]""";

  static final String DESCRIPTION = """
      plainroute gives a Kubernetes cluster the "plain routing" pod network of the Kubernetes \
      networking lectures, run as an operator: no overlay, no NAT between pods.

      Declare the cluster's pod range once, in a `ClusterNetwork`:

      ```yaml
      apiVersion: plainroute.io/v1alpha1
      kind: ClusterNetwork
      metadata: {name: default}
      spec:
        clusterCIDRs: [10.244.0.0/16]
        nodeSubnetPrefixLength: 24
      ```

      * The **controller** (this operator's Deployment, leader-elected) gives every node a subnet \
      of that range and records it in the node's `NodeNetwork` (`kubectl get nodenetworks`).
      * The **agent**, a DaemonSet the controller installs in the operator's namespace, programs \
      every node's kernel over rtnetlink: bridge `cni0` with the gateway address, one static route \
      per peer node, one nftables masquerade rule for traffic leaving the cluster, and the CNI \
      config the container runtime uses with the reference `bridge` and `host-local` plugins.

      **Requirements**: all nodes on one L2 segment (plain routing has no tunnels; unreachable \
      peers are reported in the NodeNetwork's status), the reference CNI plugins installed on the \
      nodes (`/opt/cni/bin`), and no other pod network.

      Exhaustion, duplicate node IPs or MACs (cloned VMs) and unreachable peers are reported as \
      conditions and Events; metrics are served at `/q/metrics`.
      """;
}
