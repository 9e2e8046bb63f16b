package io.plainroute.agent;

import io.plainroute.netlink.NetlinkHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A link's {@code net.ipv6.conf.IF.disable_ipv6}: a bridge created where
 * {@code net.ipv6.conf.default.disable_ipv6=1} takes no IPv6 address until it is 0. Read and
 * written on the handle's thread: {@code /proc/sys/net} shows the namespace of the thread that
 * opens it.
 */
final class Ipv6Switch {
  private static final Path CONF = Path.of("/proc/sys/net/ipv6/conf");

  private final NetlinkHandle netlink;

  Ipv6Switch(NetlinkHandle netlink) {
    this.netlink = netlink;
  }

  /**
   * Turns IPv6 on on the link when it is off.
   *
   * @return whether it was off
   * @throws IOException when the kernel has no IPv6, or the switch is off and cannot be written
   */
  boolean enable(String link) throws IOException {
    Path file = CONF.resolve(link).resolve("disable_ipv6");
    return ProcSys.onThread(netlink, () -> {
      if (Files.readString(file).trim().equals("0")) {
        return false;
      }
      Files.writeString(file, "0\n");
      return true;
    });
  }
}
