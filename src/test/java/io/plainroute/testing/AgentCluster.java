package io.plainroute.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The shared fixture of the agent ITs: nodes on a {@link NetnsLab} LAN, a {@link ControlPlane}
 * with the CRDs, the ClusterNetwork "default", a Node object per node (its InternalIP the node's
 * LAN address), the packaged controller, and one agent {@link OperatorProcess} per node programming
 * that node's namespace. {@link #start()} returns once every NodeNetwork is Ready, or fails with
 * the conditions and the processes' logs. Everything is stopped on {@link #close()}, in reverse.
 *
 * <pre>{@code
 * cluster = AgentCluster.builder("agent", cniDirs).node("node01", "192.168.1.11").node(...).start();
 * cluster.lab().ip("node01", "route", "show", "proto", "202");
 * }</pre>
 */
public final class AgentCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Builder config;
  private final NetnsLab lab;
  private ControlPlane plane;
  private OperatorProcess controller;
  /** The running agents by node; tests may stop one and take it out, or start one again. */
  private final Map<String, OperatorProcess> agents = new TreeMap<>();

  private AgentCluster(Builder config) {
    this.config = config;
    this.lab = NetnsLab.create(24);
  }

  public static Builder builder(String name, Path cniDirectories) {
    return new Builder(name, cniDirectories);
  }

  public static final class Builder {
    private final String name;
    private final Path cniDirectories;
    private final Map<String, String> nodes = new TreeMap<>();
    private final List<String> controllers = new ArrayList<>(ControlPlane.DEFAULT_CONTROLLERS);
    private final Map<String, String> agentProperties = new LinkedHashMap<>();
    private List<String> clusterCidrs = List.of("10.244.0.0/16");

    private Builder(String name, Path cniDirectories) {
      this.name = name;
      this.cniDirectories = cniDirectories;
    }

    /** A node: a namespace on the LAN with {@code eth0} at {@code address}/24, and its Node object. */
    public Builder node(String node, String address) {
      nodes.put(node, address);
      return this;
    }

    public Builder nodes(Map<String, String> addresses) {
      nodes.putAll(addresses);
      return this;
    }

    /** kube-controller-manager's controllers (default: the garbage collector). */
    public Builder controllers(String... names) {
      controllers.clear();
      controllers.addAll(List.of(names));
      return this;
    }

    /** A -D option of every agent, e.g. a longer resync. */
    public Builder agentProperty(String key, String value) {
      agentProperties.put(key, value);
      return this;
    }

    public Builder clusterCidrs(String... cidrs) {
      clusterCidrs = List.of(cidrs);
      return this;
    }

    public AgentCluster start() {
      AgentCluster cluster = new AgentCluster(this);
      try {
        cluster.boot();
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.close();
        throw e;
      }
    }
  }

  private void boot() {
    config.nodes.forEach(lab::addNode);
    plane = ControlPlane.builder().name(config.name).controllers(config.controllers.toArray(String[]::new)).start();
    plane.installCrds(Path.of(System.getProperty(ControlPlaneExtension.CRDS_PROPERTY, "crds")));
    declareClusterNetwork();
    config.nodes.forEach(this::registerNode);
    controller = OperatorProcess.builder(plane).name(config.name + "-controller").role("controller")
        .systemProperty("plainroute.leader-election.namespace", "default").start();
    config.nodes.keySet().forEach(this::startAgent);
    try {
      await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250))
          .until(() -> config.nodes.keySet().stream().allMatch(this::isReady));
    } catch (ConditionTimeoutException e) {
      StringBuilder logs = new StringBuilder("agents did not report Ready within " + READY_TIMEOUT.toSeconds() + " s\n");
      config.nodes.keySet().forEach(n -> logs.append(n).append(": ").append(nodeNetwork(n).map(NodeNetwork::getStatus)
          .map(s -> s.getConditions().toString()).orElse("no status")).append('\n'));
      agents.values().forEach(a -> logs.append(String.join("\n", a.logTail(40))).append('\n'));
      logs.append(String.join("\n", controller.logTail(40)));
      throw new AssertionError(logs.toString(), e);
    }
  }

  private void declareClusterNetwork() {
    ClusterNetwork cn = new ClusterNetwork();
    cn.setMetadata(new ObjectMetaBuilder().withName("default").build());
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(config.clusterCidrs);
    cn.setSpec(spec);
    client().resource(cn).create();
  }

  /** Creates a Node object with InternalIP {@code address} (no namespace: a node the lab does not run). */
  public void registerNode(String name, String address) {
    client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(address).endAddress().endStatus().build()).create();
  }

  /** Starts {@code node}'s agent and waits until it serves HTTP. */
  public OperatorProcess startAgent(String node) {
    return startAgent(node, List.of());
  }

  /** Like {@link #startAgent(String)}, the JVM run by {@code wrapper} (see {@link OperatorProcess.Builder#wrappedIn}). */
  public OperatorProcess startAgent(String node, List<String> wrapper) {
    OperatorProcess agent = agentOf(node, "agent").wrappedIn(wrapper).start();
    agent.awaitLogLine(Pattern.compile("Listening on"), Duration.ofSeconds(60));
    agents.put(node, agent);
    return agent;
  }

  /** An operator process of {@code role} ("agent", "cleanup") for {@code node}, not yet started. */
  public OperatorProcess.Builder agentOf(String node, String role) {
    OperatorProcess.Builder builder = OperatorProcess.builder(plane).name(node + "-" + role).role(role)
        .env("NODE_NAME", node)
        .systemProperty("plainroute.agent.netns", lab.namespace(node))
        .systemProperty("plainroute.agent.cni-conf-dir", cniDirectory(node).toString());
    config.agentProperties.forEach(builder::systemProperty);
    return builder;
  }

  public NetnsLab lab() {
    return lab;
  }

  public ControlPlane plane() {
    return plane;
  }

  public KubernetesClient client() {
    return plane.client();
  }

  public OperatorProcess controller() {
    return controller;
  }

  /** The running agents by node (mutable: a test that stops one takes it out). */
  public Map<String, OperatorProcess> agents() {
    return agents;
  }

  /** Where {@code node}'s agent writes its CNI configuration. */
  public Path cniDirectory(String node) {
    return config.cniDirectories.resolve(node);
  }

  public Optional<NodeNetwork> nodeNetwork(String node) {
    return Optional.ofNullable(client().resources(NodeNetwork.class).withName(node).get());
  }

  public Optional<Condition> condition(String node, String type) {
    return nodeNetwork(node).map(NodeNetwork::getStatus).flatMap(s -> s.getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst());
  }

  public boolean isReady(String node) {
    return condition(node, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  @Override
  public void close() {
    agents.values().forEach(OperatorProcess::close);
    agents.clear();
    if (controller != null) {
      controller.close();
    }
    if (plane != null) {
      plane.close();
    }
    lab.close();
  }
}
