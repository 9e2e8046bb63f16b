package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ADDRESS_ADD_REQUEST;
import static io.plainroute.netlink.KernelCaptures.ADDRESS_DELETE_REQUEST;
import static io.plainroute.netlink.KernelCaptures.LINK_ADD_REQUEST;
import static io.plainroute.netlink.KernelCaptures.LINK_DELETE_REQUEST;
import static io.plainroute.netlink.KernelCaptures.LINK_GET_REQUEST;
import static io.plainroute.netlink.KernelCaptures.LINK_MTU_REQUEST;
import static io.plainroute.netlink.KernelCaptures.LINK_UP_REQUEST;
import static io.plainroute.netlink.KernelCaptures.ROUTE_ADD_REQUEST;
import static io.plainroute.netlink.KernelCaptures.ROUTE_DELETE_REQUEST;
import static io.plainroute.netlink.KernelCaptures.ROUTE_INVALID_PREFIX_REQUEST;
import static io.plainroute.netlink.KernelCaptures.ROUTE_REPLACE_REQUEST;
import static io.plainroute.netlink.KernelCaptures.seqOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.netlink.nl.MessageWriter;
import io.plainroute.netlink.nl.Netlink;
import io.plainroute.netlink.nl.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Requests encode byte for byte as iproute2 sent them to the kernel. */
class RequestEncodingTest {
  private static final int BR0 = 2;
  private static final int BR1 = 3;
  private static final Route VIA_GATEWAY = Route.via(Ipv4Prefix.parse("10.2.0.0/24"),
      Ipv4Prefix.parseAddress("10.0.0.2"), BR0, 200);
  private static final Address BR1_ADDRESS = new Address(BR1, Ipv4Prefix.parse("10.0.1.1/24"));

  @Test
  void routeAdd() {
    assertEncodes(RouteMessages.change(RouteChange.add(VIA_GATEWAY)), ROUTE_ADD_REQUEST);
  }

  @Test
  void routeReplace() {
    assertEncodes(RouteMessages.change(RouteChange.replace(VIA_GATEWAY)), ROUTE_REPLACE_REQUEST);
  }

  @Test
  void routeDelete() {
    assertEncodes(RouteMessages.change(RouteChange.delete(VIA_GATEWAY)), ROUTE_DELETE_REQUEST);
  }

  @Test
  void routeOntoLinkKeepsTheDestinationAsGiven() {
    Route hostBitsSet = Route.onLink(Ipv4Prefix.parse("10.200.3.7/24"), BR0, Rtnetlink.RTPROT_BOOT);

    assertEncodes(RouteMessages.change(RouteChange.add(hostBitsSet)), ROUTE_INVALID_PREFIX_REQUEST);
  }

  @Test
  void bridgeCreateNestsTheKindAndPadsIt() {
    assertEncodes(LinkMessages.create("br1", "bridge"), LINK_ADD_REQUEST);
  }

  @Test
  void linkUpMtuDeleteAndGet() {
    assertEncodes(LinkMessages.setUp(BR1, true), LINK_UP_REQUEST);
    assertEncodes(LinkMessages.setMtu(BR1, 1400), LINK_MTU_REQUEST);
    assertEncodes(LinkMessages.delete(BR1), LINK_DELETE_REQUEST);
    assertEncodes(LinkMessages.get("br0"), LINK_GET_REQUEST);
  }

  @Test
  void addressAddAndDelete() {
    assertEncodes(AddressMessages.add(BR1_ADDRESS, false), ADDRESS_ADD_REQUEST);
    assertEncodes(AddressMessages.delete(BR1_ADDRESS), ADDRESS_DELETE_REQUEST);
  }

  @Test
  void requestsFollowOneAnotherInOneDatagram() {
    ByteBuffer datagram = ByteBuffer.allocate(4096);
    MessageWriter writer = new MessageWriter(datagram);
    LinkMessages.create("br1", "bridge").writeTo(writer, seqOf(LINK_ADD_REQUEST));
    RouteMessages.change(RouteChange.add(VIA_GATEWAY)).writeTo(writer, seqOf(ROUTE_ADD_REQUEST));

    assertThat(hex(datagram, writer)).isEqualTo(hex(LINK_ADD_REQUEST) + hex(ROUTE_ADD_REQUEST));
  }

  @Test
  void paddingIsZeroedWhenTheBufferIsReused() {
    ByteBuffer datagram = ByteBuffer.allocate(4096);
    MessageWriter writer = new MessageWriter(datagram);
    LinkMessages.create("a-longer-name", "something-else").writeTo(writer, 1);
    writer.clear();
    LinkMessages.create("br1", "bridge").writeTo(writer, seqOf(LINK_ADD_REQUEST));

    assertThat(hex(datagram, writer)).isEqualTo(hex(LINK_ADD_REQUEST));
  }

  @Test
  void batchedChangesAreTheSameRequestsWithoutAskingForAnAcknowledgement() {
    for (var change : List.of(RouteChange.add(VIA_GATEWAY), RouteChange.replace(VIA_GATEWAY),
        RouteChange.delete(VIA_GATEWAY))) {
      byte[] single = encoded(RouteMessages.change(change), 7);
      ByteBuffer datagram = ByteBuffer.allocate(4096);
      MessageWriter writer = new MessageWriter(datagram);

      RouteMessages.write(writer, change, 7, 0);

      ByteBuffer expected = ByteBuffer.wrap(single).order(ByteOrder.nativeOrder());
      expected.putShort(6, (short) (expected.getShort(6) & ~Netlink.NLM_F_ACK));
      assertThat(hex(datagram, writer)).as(change.kind().name()).isEqualTo(hex(expected.array()));
    }
  }

  private static byte[] encoded(Request request, int seq) {
    ByteBuffer datagram = ByteBuffer.allocate(4096);
    MessageWriter writer = new MessageWriter(datagram);
    request.writeTo(writer, seq);
    return Arrays.copyOf(datagram.array(), writer.size());
  }

  private static void assertEncodes(Request request, byte[] captured) {
    ByteBuffer datagram = ByteBuffer.allocate(4096);
    MessageWriter writer = new MessageWriter(datagram);
    request.writeTo(writer, seqOf(captured));
    assertThat(hex(datagram, writer)).as(request.description()).isEqualTo(hex(captured));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** What the writer wrote into the datagram. */
  private static String hex(ByteBuffer datagram, MessageWriter writer) {
    return hex(Arrays.copyOf(datagram.array(), writer.size()));
  }
}
