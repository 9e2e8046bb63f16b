package io.plainroute.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import java.net.InetAddress;
import java.util.List;

/**
 * The CNI network configuration list of one node, as the container runtime reads it from {@code
 * /etc/cni/net.d}: the reference {@code bridge} plugin (pods on the node's bridge, an address of
 * each family from {@code host-local}, one range set per family of the node's subnets, a default
 * route of each family via the bridge's gateway address of that family), then {@code portmap}
 * for {@code hostPort}s.
 *
 * <p>{@code ipMasq} is left out on purpose: the bridge plugin would masquerade everything leaving
 * the subnet, pod-to-pod traffic to other nodes included, and between pods there is no NAT
 * (design invariant 8). Traffic leaving the cluster is masqueraded by one nftables rule instead.
 *
 * @param bridgeName the node's bridge, e.g. {@code cni0}
 * @param mtu MTU of the bridge and of the pods' interfaces
 * @param ranges the node's pod subnet of each family with the bridge's address in it, primary first
 */
public record CniConfig(String bridgeName, int mtu, List<Range> ranges) {

  /**
   * One family's subnet.
   *
   * @param subnet the node's pod subnet, e.g. {@code 10.244.1.0/24}
   * @param gateway the bridge's address in that subnet, the pods' default gateway of that family
   */
  public record Range(IpPrefix subnet, InetAddress gateway) {
    public Range {
      if (subnet == null || !subnet.isNetwork()) {
        throw new IllegalArgumentException("pod CIDR " + subnet + " is not a network (host bits must be zero)");
      }
      if (gateway == null || !subnet.covers(IpPrefix.host(gateway))) {
        throw new IllegalArgumentException("gateway " + (gateway == null ? null : IpPrefix.format(gateway)) + " is not inside " + subnet);
      }
    }
  }

  /** A single-stack node's config. */
  public CniConfig(String bridgeName, int mtu, IpPrefix podCidr, InetAddress gateway) {
    this(bridgeName, mtu, List.of(new Range(podCidr, gateway)));
  }

  /** The network name; runtimes and host-local key their state by it. */
  public static final String NETWORK_NAME = "plainroute";
  /** CNI specification version of the list (the Debian plugins 1.1.1 support it). */
  public static final String CNI_VERSION = "1.0.0";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

  public CniConfig {
    if (bridgeName == null || bridgeName.isEmpty() || bridgeName.length() > 15) {
      throw new IllegalArgumentException("bridge name '" + bridgeName + "' is not a Linux interface name (1 to 15 characters)");
    }
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " is not between 68 and 65535");
    }
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one pod subnet is required");
    }
    if (ranges.stream().map(r -> r.subnet().family()).distinct().count() != ranges.size()) {
      throw new IllegalArgumentException("pod subnets " + ranges.stream().map(r -> r.subnet().toString()).toList()
          + " hold two of one family: host-local takes one range set per family");
    }
    ranges = List.copyOf(ranges);
  }

  /** The primary family's subnet. */
  public IpPrefix podCidr() {
    return ranges.get(0).subnet();
  }

  /**
   * The conflist as pretty-printed JSON with a trailing newline. The same config always gives the
   * same bytes, so the writer can tell by comparing whether anything changed.
   */
  public String render() {
    ObjectNode list = MAPPER.createObjectNode();
    list.put("cniVersion", CNI_VERSION);
    list.put("name", NETWORK_NAME);
    list.putArray("plugins").add(bridge()).add(portmap());
    try {
      return WRITER.writeValueAsString(list) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes always serializes", e);
    }
  }

  private ObjectNode bridge() {
    ObjectNode bridge = MAPPER.createObjectNode();
    bridge.put("type", "bridge");
    bridge.put("bridge", bridgeName);
    bridge.put("isGateway", true);
    // A pod that reaches itself through a Service gets the DNATed packet back out of the bridge
    // port it came in on; without hairpin mode the bridge drops it.
    bridge.put("hairpinMode", true);
    bridge.put("mtu", mtu);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local");
    ArrayNode rangeSets = ipam.putArray("ranges");
    ArrayNode routes = ipam.putArray("routes");
    for (Range range : ranges) {
      ObjectNode set = rangeSets.addArray().addObject();
      set.put("subnet", range.subnet().toString());
      set.put("gateway", IpPrefix.format(range.gateway()));
      // No "gw": the bridge plugin routes via the gateway of the range of the route's family.
      routes.addObject().put("dst", range.subnet().family() == IpFamily.IPV4 ? "0.0.0.0/0" : "::/0");
    }
    return bridge;
  }

  private static ObjectNode portmap() {
    ObjectNode portmap = MAPPER.createObjectNode();
    portmap.put("type", "portmap");
    portmap.putObject("capabilities").put("portMappings", true);
    portmap.put("snat", true);
    return portmap;
  }

  /** Two-space indentation, "key": value, one array element a line, '\n' on every platform. */
  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withSeparators(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }
}
