package io.plainroute.netlink.nl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Messages and attributes written and read back: alignment, padding, nesting, flags, byte order. */
class CodecTest {

  @Test
  void stringsAreTerminatedAndPaddedToFourBytes() {
    ByteBuffer message = messageOf(writer -> writer.putString(IfLink.IFLA_IFNAME, "eth10")
        .putU32(IfLink.IFLA_MTU, 9000));
    int attributes = Netlink.NLMSG_HDRLEN + IfInfoMsg.SIZE;

    // 4-byte header + "eth10\0" = 10, padded to 12; then 8 for the MTU.
    assertThat(message.remaining() - attributes).isEqualTo(20);
    assertThat(message.getShort(attributes)).isEqualTo((short) 10);
    assertThat(message.get(attributes + 10)).isZero();
    assertThat(message.get(attributes + 11)).isZero();
    AttributeReader reader = attributesOf(message);
    assertThat(reader.next()).isTrue();
    assertThat(reader.type()).isEqualTo(IfLink.IFLA_IFNAME);
    assertThat(reader.string()).isEqualTo("eth10");
    assertThat(reader.next()).isTrue();
    assertThat(reader.u32()).isEqualTo(9000);
    assertThat(reader.next()).isFalse();
  }

  @Test
  void nestedLengthCoversItsChildren() {
    ByteBuffer message = messageOf(writer -> {
      int start = writer.beginNested(IfLink.IFLA_LINKINFO);
      writer.putString(IfLink.IFLA_INFO_KIND, "bridge");
      writer.endNested(start);
    });

    AttributeReader linkInfo = attributesOf(message);
    assertThat(linkInfo.next()).isTrue();
    assertThat(linkInfo.valueLength()).isEqualTo(12);
    AttributeReader kind = linkInfo.nested(new AttributeReader());
    assertThat(kind.next()).isTrue();
    assertThat(kind.type()).isEqualTo(IfLink.IFLA_INFO_KIND);
    assertThat(kind.string()).isEqualTo("bridge");
    assertThat(kind.next()).isFalse();
  }

  @Test
  void nestedAndByteOrderFlagsAreMaskedFromTheType() {
    AttributeReader reader = attributesOf(messageOf(writer -> writer.putU32(
        Rtnetlink.RTA_OIF | Netlink.NLA_F_NESTED | Netlink.NLA_F_NET_BYTEORDER, 7)));

    assertThat(reader.next()).isTrue();
    assertThat(reader.type()).isEqualTo(Rtnetlink.RTA_OIF);
  }

  @Test
  void addressesTravelInNetworkOrderWhateverTheHost() {
    ByteBuffer message = messageOf(writer -> writer.putInet4(Rtnetlink.RTA_GATEWAY, 0x0a000002));
    int value = Netlink.NLMSG_HDRLEN + IfInfoMsg.SIZE + Netlink.NLA_HDRLEN;

    assertThat(new byte[] {message.get(value), message.get(value + 1), message.get(value + 2),
        message.get(value + 3)}).containsExactly(10, 0, 0, 2);
    AttributeReader reader = attributesOf(message);
    reader.next();
    assertThat(reader.inet4()).isEqualTo(0x0a000002);
  }

  @Test
  void messagesFollowOneAnotherAlignedAndAreReadInPlace() {
    ByteBuffer datagram = ByteBuffer.allocate(256);
    MessageWriter writer = new MessageWriter(datagram);
    int first = writer.begin(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST, 7);
    IfInfoMsg.of(3).writeTo(writer.buffer());
    writer.putString(IfLink.IFLA_IFNAME, "br0");
    writer.end(first);
    writer.empty(Netlink.NLMSG_NOOP, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 8);

    MessageReader reader = new MessageReader().reset(datagram.flip());
    assertThat(reader.next()).isTrue();
    assertThat(reader.type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
    assertThat(reader.seq()).isEqualTo(7);
    assertThat(IfInfoMsg.read(reader.buffer(), reader.payload()).index()).isEqualTo(3);
    assertThat(reader.next()).isTrue();
    assertThat(reader.type()).isEqualTo(Netlink.NLMSG_NOOP);
    assertThat(reader.flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    assertThat(reader.seq()).isEqualTo(8);
    assertThat(reader.payloadLength()).isZero();
    assertThat(reader.next()).isFalse();
  }

  @Test
  void lengthsThatOverrunTheirDatagramAreRefused() {
    ByteBuffer message = messageOf(writer -> writer.putString(IfLink.IFLA_IFNAME, "eth10"));

    MessageReader truncated = new MessageReader().reset(message.duplicate().order(message.order()).limit(20));
    assertThatThrownBy(truncated::next).isInstanceOf(MalformedMessageException.class);
    ByteBuffer overlong = message.duplicate().order(message.order());
    overlong.putShort(Netlink.NLMSG_HDRLEN + IfInfoMsg.SIZE, (short) 100);
    AttributeReader attributes = attributesOf(overlong);
    assertThatThrownBy(attributes::next).isInstanceOf(MalformedMessageException.class);
  }

  /** One RTM_NEWLINK message with an ifinfomsg and these attributes, flipped for reading. */
  private static ByteBuffer messageOf(Consumer<MessageWriter> attributes) {
    ByteBuffer datagram = ByteBuffer.allocate(1024);
    MessageWriter writer = new MessageWriter(datagram);
    int start = writer.begin(Rtnetlink.RTM_NEWLINK, 0, 1);
    IfInfoMsg.of(0).writeTo(writer.buffer());
    attributes.accept(writer);
    writer.end(start);
    return datagram.flip().order(ByteOrder.nativeOrder());
  }

  private static AttributeReader attributesOf(ByteBuffer message) {
    MessageReader reader = new MessageReader().reset(message);
    reader.next();
    return reader.attributes(IfInfoMsg.SIZE);
  }
}
