package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ADDRESS_DUMP_DONE;
import static io.plainroute.netlink.KernelCaptures.ADDRESS_DUMP_REPLY;
import static io.plainroute.netlink.KernelCaptures.LINK_GET_ACK;
import static io.plainroute.netlink.KernelCaptures.LINK_GET_REPLY;
import static io.plainroute.netlink.KernelCaptures.ROUTE_DELETE_MISSING_ERROR;
import static io.plainroute.netlink.KernelCaptures.ROUTE_DUMP_DONE;
import static io.plainroute.netlink.KernelCaptures.ROUTE_DUMP_REPLY;
import static io.plainroute.netlink.KernelCaptures.ROUTE_EXISTS_ERROR;
import static io.plainroute.netlink.KernelCaptures.ROUTE_INVALID_PREFIX_ERROR;
import static io.plainroute.netlink.KernelCaptures.ROUTE_INVALID_PREFIX_ERROR_CAPPED;
import static io.plainroute.netlink.KernelCaptures.ROUTE_REPLACE_ACK;
import static io.plainroute.netlink.KernelCaptures.datagram;
import static io.plainroute.netlink.KernelCaptures.portOf;
import static io.plainroute.netlink.KernelCaptures.seqOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.Netlink;
import io.plainroute.netlink.nl.Rtnetlink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Replies captured from the kernel decode into values, errors and extended acks. */
class ReplyDecodingTest {
  private static final Route ROUTE = Route.via(Ipv4Prefix.parse("10.2.0.0/24"), Ipv4Prefix.parseAddress("10.0.0.2"),
      2, 200);

  @Test
  void routeDumpRunsOverDatagramsUntilDone() throws NetlinkException {
    Exchange<Route> dump = exchange(RouteMessages.dump(IpFamily.IPV4), ROUTE_DUMP_REPLY, RouteMessages::parse);

    assertThat(accept(dump, datagram(ROUTE_DUMP_REPLY))).isFalse();
    assertThat(accept(dump, datagram(ROUTE_DUMP_DONE))).isTrue();
    assertThat(dump.interrupted()).isFalse();
    assertThat(dump.results()).containsExactly(
        new Route(Ipv4Prefix.parse("10.0.0.0/24"), Optional.empty(), 2, Rtnetlink.RTPROT_KERNEL,
            Rtnetlink.RT_SCOPE_LINK, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST),
        Route.via(Ipv4Prefix.parse("10.1.0.0/24"), Ipv4Prefix.parseAddress("10.0.0.2"), 2, 200));
  }

  @Test
  void addressDump() throws NetlinkException {
    Exchange<Address> dump = exchange(AddressMessages.dump(IpFamily.IPV4), ADDRESS_DUMP_REPLY, AddressMessages::parse);

    accept(dump, datagram(ADDRESS_DUMP_REPLY));
    accept(dump, datagram(ADDRESS_DUMP_DONE));

    assertThat(dump.results()).containsExactly(new Address(1, Ipv4Prefix.parse("127.0.0.1/8")),
        new Address(2, Ipv4Prefix.parse("10.0.0.1/24")));
  }

  @Test
  void linkReplyIsFollowedByItsAck() throws NetlinkException {
    Exchange<Link> get = exchange(LinkMessages.get("br0"), LINK_GET_REPLY, LinkMessages::parse);

    assertThat(accept(get, datagram(LINK_GET_REPLY))).isFalse();
    assertThat(accept(get, datagram(LINK_GET_ACK))).isTrue();
    assertThat(get.results()).containsExactly(new Link(2, "br0", true, 1500, "46:5b:81:35:ec:57", "bridge"));
  }

  @Test
  void repliesToAnotherSequenceNumberOrPortAreSkipped() throws NetlinkException {
    int seq = seqOf(ROUTE_DUMP_REPLY);
    int port = portOf(ROUTE_DUMP_REPLY);
    var otherSeq = new Exchange<>(RouteMessages.dump(IpFamily.IPV4), seq + 1, port, RouteMessages::parse);
    var otherPort = new Exchange<>(RouteMessages.dump(IpFamily.IPV4), seq, port + 1, RouteMessages::parse);

    for (var exchange : List.of(otherSeq, otherPort)) {
      assertThat(accept(exchange, datagram(ROUTE_DUMP_REPLY))).isFalse();
      assertThat(accept(exchange, datagram(ROUTE_DUMP_DONE))).isFalse();
      assertThat(exchange.results()).isEmpty();
    }
  }

  @Test
  void cappedAckCompletesAChange() throws NetlinkException {
    Exchange<Object> change = exchange(RouteMessages.change(RouteChange.replace(ROUTE)), ROUTE_REPLACE_ACK,
        message -> null);

    assertThat(accept(change, datagram(ROUTE_REPLACE_ACK))).isTrue();
    assertThat(change.results()).isEmpty();
  }

  @Test
  void errorCarriesErrnoNameAndOperation() {
    assertThatThrownBy(() -> refuse(RouteChange.add(ROUTE), ROUTE_EXISTS_ERROR))
        .isInstanceOfSatisfying(NetlinkException.class, e -> {
          assertThat(e.errno()).isEqualTo(17);
          assertThat(e.errnoName()).isEqualTo("EEXIST");
          assertThat(e.extendedAck()).isEmpty();
          assertThat(e).hasMessage("RTM_NEWROUTE " + ROUTE + ": EEXIST (File exists)");
        });
    assertThatThrownBy(() -> refuse(RouteChange.delete(ROUTE), ROUTE_DELETE_MISSING_ERROR))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.ESRCH)).isTrue());
  }

  @Test
  void extendedAckAfterTheEchoedRequestOrAfterItsHeaderOnly() {
    Route hostBitsSet = Route.onLink(Ipv4Prefix.parse("10.200.3.7/24"), 2, Rtnetlink.RTPROT_BOOT);
    for (byte[] error : new byte[][] {ROUTE_INVALID_PREFIX_ERROR, ROUTE_INVALID_PREFIX_ERROR_CAPPED}) {
      assertThatThrownBy(() -> refuse(RouteChange.add(hostBitsSet), error))
          .isInstanceOfSatisfying(NetlinkException.class, e -> {
            assertThat(e.errnoName()).isEqualTo("EINVAL");
            assertThat(e.extendedAck()).contains("Invalid prefix for given prefix length");
            assertThat(e).hasMessageEndingWith(
                ": EINVAL (Invalid argument): Invalid prefix for given prefix length");
          });
    }
  }

  @Test
  void interruptedDumpIsReported() throws NetlinkException {
    byte[] done = ROUTE_DUMP_DONE.clone();
    done[6] |= Netlink.NLM_F_DUMP_INTR;
    Exchange<Route> dump = exchange(RouteMessages.dump(IpFamily.IPV4), done, RouteMessages::parse);

    assertThat(accept(dump, datagram(done))).isTrue();
    assertThat(dump.interrupted()).isTrue();
  }

  @Test
  void doneWithANegativeErrnoFailsTheDump() {
    ByteBuffer done = datagram(ROUTE_DUMP_DONE);
    done.putInt(Netlink.NLMSG_HDRLEN, -Errno.EINVAL.number());
    Exchange<Route> dump = exchange(RouteMessages.dump(IpFamily.IPV4), ROUTE_DUMP_DONE, RouteMessages::parse);

    assertThatThrownBy(() -> accept(dump, done))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.EINVAL)).isTrue());
  }

  @Test
  void messageLongerThanItsDatagramIsAProtocolError() {
    ByteBuffer truncated = datagram(ROUTE_DUMP_REPLY).limit(100);

    Exchange<Route> dump = exchange(RouteMessages.dump(IpFamily.IPV4), ROUTE_DUMP_REPLY, RouteMessages::parse);

    assertThatThrownBy(() -> accept(dump, truncated)).isInstanceOf(MalformedMessageException.class);
  }

  private static void refuse(RouteChange change, byte[] error) throws NetlinkException {
    accept(exchange(RouteMessages.change(change), error, message -> null), datagram(error));
  }

  private static boolean accept(Exchange<?> exchange, ByteBuffer datagram) throws NetlinkException {
    return exchange.accept(new MessageReader().reset(datagram));
  }

  /** An exchange expecting the sequence number and port id of the captured reply. */
  private static <T> Exchange<T> exchange(Request request, byte[] reply, Exchange.Decoder<T> decoder) {
    return new Exchange<>(request, seqOf(reply), portOf(reply), decoder);
  }
}
