package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.MessageWriter;
import io.plainroute.netlink.nl.Netlink;
import io.plainroute.netlink.nl.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * IPv6 routes through the codec and back, and the decoding of {@code RTM_NEWNETCONF}: what the
 * agent writes for a route is what it reads back from the kernel's notification of it.
 */
class Ipv6MessagesTest {
  private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
  private final MessageWriter writer = new MessageWriter(buffer);

  @Test
  void anIpv6RouteEncodesAndDecodesToItself() {
    Route route = Route.via(Ipv6Prefix.parse("fd00:10:244:2::/64"), Ipv6Prefix.parseAddress("fd00::12"), 3, 202);

    RouteMessages.write(writer, RouteChange.add(route), 1, Netlink.NLM_F_ACK);

    MessageReader message = read();
    assertThat(message.type()).isEqualTo(Rtnetlink.RTM_NEWROUTE);
    assertThat(RouteMessages.parse(message)).isEqualTo(route);
    assertThat(writer.size()).isLessThanOrEqualTo(RouteMessages.MAX_BYTES);
  }

  @Test
  void anIpv6DefaultRouteHasNoDestinationAttributeAndDecodesToDoubleColonSlashZero() {
    Route route = Route.via(Ipv6Prefix.parse("::/0"), Ipv6Prefix.parseAddress("fd00::1"), 0, 202);

    RouteMessages.write(writer, RouteChange.replace(route), 1, 0);

    assertThat(RouteMessages.parse(read())).isEqualTo(route);
  }

  @Test
  void aNextHopOfTheOtherFamilyIsRefused() {
    assertThatThrownBy(() -> Route.via(Ipv6Prefix.parse("fd00:10:244:2::/64"), Ipv4Prefix.parseAddress("10.0.0.1"), 0, 202))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv6");
  }

  @Test
  void anIpv6PrefixLengthAbove128IsMalformed() {
    Route route = Route.via(Ipv6Prefix.parse("fd00::/64"), Ipv6Prefix.parseAddress("fd00::12"), 3, 202);
    RouteMessages.write(writer, RouteChange.add(route), 1, 0);
    buffer.put(Netlink.NLMSG_HDRLEN + 1, (byte) 129);

    assertThatThrownBy(() -> RouteMessages.parse(read())).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("IPv6 prefix length 129");
  }

  @Test
  void aNetconfNotificationOfForwardingIsAnEvent() {
    netconf(Rtnetlink.AF_INET6, Rtnetlink.NETCONFA_IFINDEX_ALL, 0);

    assertThat(EventDatagrams.decode(read()))
        .isEqualTo(new NetlinkEvent.ForwardingChanged(IpFamily.IPV6, NetlinkEvent.ForwardingChanged.ALL, false));
  }

  @Test
  void aNetconfNotificationOfAnotherSettingIsNoEvent() {
    int start = writer.begin(Rtnetlink.RTM_NEWNETCONF, 0, 0);
    buffer.putInt(Rtnetlink.AF_INET);
    writer.putU32(Rtnetlink.NETCONFA_IFINDEX, 2).putU32(3 /* NETCONFA_RP_FILTER */, 1);
    writer.end(start);

    assertThat(EventDatagrams.decode(read())).isNull();
  }

  private void netconf(int family, int linkIndex, int forwarding) {
    int start = writer.begin(Rtnetlink.RTM_NEWNETCONF, 0, 0);
    buffer.put((byte) family).put((byte) 0).putShort((short) 0);
    writer.putU32(Rtnetlink.NETCONFA_IFINDEX, linkIndex).putU32(Rtnetlink.NETCONFA_FORWARDING, forwarding);
    writer.end(start);
  }

  private MessageReader read() {
    ByteBuffer datagram = buffer.duplicate().order(buffer.order()).flip();
    MessageReader reader = new MessageReader();
    reader.reset(datagram);
    assertThat(reader.next()).isTrue();
    return reader;
  }
}
