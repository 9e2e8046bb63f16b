package io.plainroute.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct ifinfomsg}: the header of link messages.
 *
 * @param family {@code AF_UNSPEC} for links
 * @param type {@code ARPHRD_*} device type
 * @param index interface index, 0 when the request names the link instead
 * @param flags {@code IFF_*} flags
 * @param change mask of the flags a request changes
 */
record IfInfoMsg(int family, int type, int index, int flags, int change) implements FamilyHeader {
  static final int SIZE = 16;

  static IfInfoMsg of(int index) {
    return new IfInfoMsg(Rtnetlink.AF_UNSPEC, 0, index, 0, 0);
  }

  static IfInfoMsg read(ByteBuffer buffer) {
    int family = Byte.toUnsignedInt(buffer.get());
    buffer.get(); // padding
    return new IfInfoMsg(family, Short.toUnsignedInt(buffer.getShort()), buffer.getInt(), buffer.getInt(),
        buffer.getInt());
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) 0).putShort((short) type).putInt(index).putInt(flags).putInt(change);
  }
}
