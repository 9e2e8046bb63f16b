package io.plainroute.netlink.nl;

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
public record IfInfoMsg(int family, int type, int index, int flags, int change) implements FamilyHeader {
  public static final int SIZE = 16;

  /** The header of a request about one link, or about all (index 0). */
  public static IfInfoMsg of(int index) {
    return new IfInfoMsg(Rtnetlink.AF_UNSPEC, 0, index, 0, 0);
  }

  /** Reads the header at an absolute offset of the buffer (host byte order). */
  public static IfInfoMsg read(ByteBuffer buffer, int offset) {
    return new IfInfoMsg(Byte.toUnsignedInt(buffer.get(offset)), Short.toUnsignedInt(buffer.getShort(offset + 2)),
        buffer.getInt(offset + 4), buffer.getInt(offset + 8), buffer.getInt(offset + 12));
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) 0).putShort((short) type).putInt(index).putInt(flags).putInt(change);
  }
}
