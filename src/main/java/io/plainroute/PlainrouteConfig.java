package io.plainroute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** plainroute's settings (application.properties, or env such as PLAINROUTE_ROLE). */
@ConfigMapping(prefix = "plainroute")
public interface PlainrouteConfig {

  /** {@code controller} or {@code agent}: which reconcilers this process runs. */
  String role();

  LeaderElection leaderElection();

  Agent agent();

  AgentInstall agentInstall();

  /**
   * The controller installing the agent DaemonSet itself, from the template in the jar (a copy of
   * config/agent/daemonset.yaml). For OLM, whose bundles cannot ship a DaemonSet; off for the plain
   * manifests, which apply config/agent themselves.
   */
  interface AgentInstall {
    /** Whether the elected controller server-side-applies the agent DaemonSet in its own namespace. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The agent's image; OLM passes the operator's own as RELATED_IMAGE_PLAINROUTE (relatedImages),
     * so a mirrored or pinned-by-digest install runs the same image on both roles. Empty: the
     * template's image, the release's.
     */
    Optional<String> image();

    /** Where the DaemonSet goes; defaults to the controller's own namespace (POD_NAMESPACE). */
    Optional<String> namespace();

    /**
     * The API server's address as the nodes reach it, HOST:PORT, given to the agents as
     * KUBERNETES_SERVICE_HOST/PORT: for clusters where the "kubernetes" Service's ClusterIP leads
     * nowhere before the pod network is up (no kube-proxy). With OLM: the Subscription's
     * spec.config.env PLAINROUTE_AGENT_INSTALL_API_SERVER. Empty: the kubelet's defaults.
     */
    Optional<String> apiServer();
  }

  /** Settings of the agent role (one per node). */
  interface Agent {
    /** The node this agent serves; defaults to env NODE_NAME, which the DaemonSet sets from spec.nodeName. */
    Optional<String> nodeName();

    /**
     * A named network namespace (/var/run/netns/NAME) to program instead of the agent's own. The
     * DaemonSet runs in the node's namespace (hostNetwork) and leaves this empty; labs and tests
     * run several agents from one namespace, each pointed at its node's.
     */
    Optional<String> netns();

    /** Where the CNI config is written; the kubelet's container runtime reads it from there. */
    @WithDefault("/etc/cni/net.d")
    String cniConfDir();

    /**
     * The rtnetlink protocol number plainroute's routes are tagged with ({@code proto 202} in
     * {@code ip route}): the agent removes stale routes of this number only, never others'.
     */
    @WithDefault("202")
    int routeProtocol();

    /**
     * Packaging only: a file of class names, one a line, loaded (not run) as the process starts.
     * The class-data archive's training run (hack/jvm/class-archive.sh) names
     * hack/jvm/agent-classes.txt, the classes a real agent start loads, so that the archive also
     * holds those of the TLS handshake and the first list and watch, which a run without an API
     * server never reaches. Unset in every deployment.
     */
    Optional<String> preloadClasses();
  }

  interface LeaderElection {
    /** Name of the Lease that replicas of the controller compete for. */
    @WithDefault("plainroute-controller")
    String leaseName();

    /** This replica's name in the Lease; defaults to the pod name (or hostname) plus a random suffix. */
    Optional<String> identity();

    /** Namespace of the Lease; defaults to the pod's own (POD_NAMESPACE or KUBERNETES_NAMESPACE from the downward API). */
    Optional<String> namespace();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }
}
