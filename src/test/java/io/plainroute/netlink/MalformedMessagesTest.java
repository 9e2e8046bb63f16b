package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ADDRESS_DUMP_REPLY;
import static io.plainroute.netlink.KernelCaptures.ROUTE_DUMP_REPLY;
import static io.plainroute.netlink.KernelCaptures.ROUTE_INVALID_PREFIX_ERROR;
import static io.plainroute.netlink.KernelCaptures.datagram;
import static io.plainroute.netlink.KernelCaptures.portOf;
import static io.plainroute.netlink.KernelCaptures.seqOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The bugs the fuzzers ({@link RtnetlinkRepliesFuzzTest}, {@link RtnetlinkEventsFuzzTest}) found,
 * each on a kernel capture with one field broken: each was an unchecked exception other than
 * {@link MalformedMessageException} (IndexOutOfBounds, IllegalArgument), which escaped the
 * connection's calls and ended the event subscription's reader thread.
 */
class MalformedMessagesTest {
  /** Offset of the family header's second byte: rtm_dst_len, ifa_prefixlen. */
  private static final int PREFIX_LENGTH = 16 + 1;
  /** Offset of the echoed request's length in an NLMSG_ERROR. */
  private static final int ECHOED_LENGTH = 16 + 4;

  @Test
  void messageShorterThanItsFamilyHeader() {
    ByteBuffer datagram = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    datagram.putInt(0, 20).putShort(4, (short) Rtnetlink.RTM_NEWROUTE);

    for (Exchange.Decoder<?> decoder : new Exchange.Decoder<?>[] {RouteMessages::parse, LinkMessages::parse,
        AddressMessages::parse}) {
      assertThatThrownBy(() -> decoder.decode(first(datagram)))
          .isInstanceOf(MalformedMessageException.class)
          .hasMessageContaining("4 payload bytes");
    }
  }

  @Test
  void routePrefixLengthAbove32() {
    ByteBuffer datagram = datagram(ROUTE_DUMP_REPLY);
    datagram.put(PREFIX_LENGTH, (byte) 33);

    assertThatThrownBy(() -> RouteMessages.parse(first(datagram)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("IPv4 prefix length 33 is above 32");
  }

  @Test
  void addressPrefixLengthAbove32() {
    ByteBuffer datagram = datagram(ADDRESS_DUMP_REPLY);
    datagram.put(PREFIX_LENGTH, (byte) 200);

    assertThatThrownBy(() -> AddressMessages.parse(first(datagram)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("IPv4 prefix length 200 is above 32");
  }

  @Test
  void errorWhoseEchoedRequestHasANegativeLengthIsTheErrorWithoutExtendedAck() {
    ByteBuffer datagram = datagram(ROUTE_INVALID_PREFIX_ERROR);
    datagram.putInt(ECHOED_LENGTH, -8);
    Exchange<Object> change = new Exchange<>(RouteMessages.dump(IpFamily.IPV4), seqOf(ROUTE_INVALID_PREFIX_ERROR),
        portOf(ROUTE_INVALID_PREFIX_ERROR), message -> null);

    assertThatThrownBy(() -> change.accept(new MessageReader().reset(datagram)))
        .isInstanceOfSatisfying(NetlinkException.class, e -> {
          assertThat(e.errnoName()).isEqualTo("EINVAL");
          assertThat(e.extendedAck()).isEmpty();
        });
  }

  private static MessageReader first(ByteBuffer datagram) {
    MessageReader reader = new MessageReader().reset(datagram);
    assertThat(reader.next()).isTrue();
    return reader;
  }
}
