package io.plainroute.agent;

import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.netlink.NetlinkHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.plainroute.netlink.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Forwarding on the node, for each family it routes. IPv4: the global switch
 * ({@code net.ipv4.ip_forward}) and the uplink's and the bridge's own
 * ({@code net.ipv4.conf.IF.forwarding}). IPv6: {@code net.ipv6.conf.all.forwarding}, the only one
 * the kernel's IPv6 forwarding path reads (a link's own IPv6 switch changes how it treats router
 * advertisements, not whether it forwards). Any of them off and no packet of a pod crosses to
 * another node. A pass turns them on when someone turned them off; where it may
 * not (a read-only {@code /proc/sys}, as in a container), it says so with its own reason and the
 * routes are installed regardless, so pods work as soon as someone turns it on.
 *
 * <p>The files are read and written on the handle's thread: {@code /proc/sys/net} shows the
 * network namespace of the thread that opens it.
 */
final class Forwarding {
  static final String DISABLED = "ForwardingDisabled";
  private static final Path IPV4 = Path.of("/proc/sys/net/ipv4");
  private static final Path IPV6_ALL = Path.of("/proc/sys/net/ipv6/conf/all/forwarding");

  private final NetlinkHandle netlink;

  Forwarding(NetlinkHandle netlink) {
    this.netlink = netlink;
  }

  /**
   * One forwarding switch.
   *
   * @param name its sysctl name, e.g. {@code net.ipv4.conf.eth0.forwarding}
   * @param file its file under {@code /proc/sys}
   */
  record Switch(String name, Path file) {}

  /**
   * The switches that must be on for pods behind these interfaces, in these families: IPv4's
   * global one and each interface's, IPv6's global one.
   */
  static List<Switch> switches(List<String> interfaces, Collection<IpFamily> families) {
    List<Switch> switches = new ArrayList<>();
    if (families.contains(IpFamily.IPV4)) {
      switches.add(new Switch("net.ipv4.ip_forward", IPV4.resolve("ip_forward")));
      interfaces.forEach(i -> switches.add(new Switch("net.ipv4.conf." + i + ".forwarding", IPV4.resolve("conf").resolve(i).resolve("forwarding"))));
    }
    if (families.contains(IpFamily.IPV6)) {
      switches.add(new Switch("net.ipv6.conf.all.forwarding", IPV6_ALL));
    }
    return switches;
  }

  /** Which of the switches for these interfaces and families are on; those of missing interfaces are left out. */
  Map<Switch, Boolean> read(List<String> interfaces, Collection<IpFamily> families) throws IOException {
    return onThread(() -> {
      Map<Switch, Boolean> states = new LinkedHashMap<>();
      for (Switch s : switches(interfaces, families)) {
        if (Files.exists(s.file())) {
          states.put(s, Files.readString(s.file()).trim().equals("1"));
        }
      }
      return states;
    });
  }

  /**
   * Turns on what is off; {@code repairs} gets what was turned back on.
   *
   * @return ok, or {@link #DISABLED} naming what is off and could not be turned on
   */
  Part ensure(List<String> interfaces, Collection<IpFamily> families, List<String> repairs) throws IOException {
    List<String> stuck = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Switch, Boolean> state : read(interfaces, families).entrySet()) {
      if (state.getValue()) {
        continue;
      }
      Switch off = state.getKey();
      try {
        onThread(() -> Files.writeString(off.file(), "1\n"));
        repairs.add(off.name() + " was 0");
      } catch (IOException e) {
        stuck.add(off.name());
        problems.add(e.getMessage());
      }
    }
    String named = families.stream().map(Object::toString).collect(Collectors.joining(" and "));
    if (stuck.isEmpty()) {
      return Part.ok("ForwardingEnabled", named + " forwarding is on.");
    }
    return Part.failed(DISABLED, named + " forwarding is off (" + String.join("=0, ", stuck) + "=0) and the agent could not turn it on ("
        + String.join("; ", problems) + "): pods on this node cannot reach other nodes. Turn it on on the node: "
        + "sysctl -w " + String.join("=1 ", stuck) + "=1.");
  }

  private <T> T onThread(ProcSys.Work<T> work) throws IOException {
    return ProcSys.onThread(netlink, work);
  }
}
