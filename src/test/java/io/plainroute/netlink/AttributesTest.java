package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** Attribute alignment, padding, nesting and flags. */
class AttributesTest {

  @Test
  void stringsAreTerminatedAndPaddedToFourBytes() throws NetlinkException {
    ByteBuffer attributes = attributesOf(writer -> writer.putString(IfLink.IFLA_IFNAME, "eth10")
        .putU32(IfLink.IFLA_MTU, 9000));

    // 4-byte header + "eth10\0" = 10, padded to 12; then 8 for the MTU.
    assertThat(attributes.remaining()).isEqualTo(20);
    assertThat(attributes.getShort(0)).isEqualTo((short) 10);
    assertThat(attributes.get(10)).isZero();
    assertThat(attributes.get(11)).isZero();
    Attributes parsed = Attributes.parse(attributes);
    assertThat(parsed.string(IfLink.IFLA_IFNAME)).contains("eth10");
    assertThat(parsed.u32(IfLink.IFLA_MTU)).hasValue(9000);
  }

  @Test
  void nestedLengthCoversItsChildren() throws NetlinkException {
    ByteBuffer attributes = attributesOf(writer -> {
      int start = writer.beginNested(IfLink.IFLA_LINKINFO);
      writer.putString(IfLink.IFLA_INFO_KIND, "bridge");
      writer.endNested(start);
    });

    assertThat(attributes.getShort(0)).isEqualTo((short) (4 + 12));
    assertThat(Attributes.parse(attributes).nested(IfLink.IFLA_LINKINFO).string(IfLink.IFLA_INFO_KIND))
        .contains("bridge");
  }

  @Test
  void nestedAndByteOrderFlagsAreMaskedFromTheType() throws NetlinkException {
    ByteBuffer attributes = attributesOf(writer -> writer.putU32(
        Rtnetlink.RTA_OIF | Netlink.NLA_F_NESTED | Netlink.NLA_F_NET_BYTEORDER, 7));

    assertThat(Attributes.parse(attributes).u32(Rtnetlink.RTA_OIF)).hasValue(7);
  }

  @Test
  void absentAttributesAreEmpty() throws NetlinkException {
    Attributes none = Attributes.parse(attributesOf(writer -> { }));

    assertThat(none.u32(Rtnetlink.RTA_OIF)).isEmpty();
    assertThat(none.inet4(Rtnetlink.RTA_GATEWAY)).isEmpty();
    assertThat(none.nested(IfLink.IFLA_LINKINFO).string(IfLink.IFLA_INFO_KIND)).isEmpty();
  }

  /** The attributes alone, written after an ifinfomsg the way a request carries them. */
  private static ByteBuffer attributesOf(Consumer<MessageWriter> attributes) {
    ByteBuffer datagram = ByteBuffer.allocate(1024);
    MessageWriter writer = new MessageWriter(datagram);
    writer.write(new Request(Rtnetlink.RTM_NEWLINK, 0, IfInfoMsg.of(0), attributes, "test"), 1);
    int start = NlMsgHdr.SIZE + IfInfoMsg.SIZE;
    return datagram.slice(start, writer.size() - start).order(ByteOrder.nativeOrder());
  }
}
