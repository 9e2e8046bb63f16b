package io.plainroute.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct rtmsg}: the header of route messages.
 *
 * @param family {@code AF_INET}
 * @param dstLength prefix length of the destination
 * @param srcLength prefix length of the source (policy routing; 0 here)
 * @param tos type-of-service selector
 * @param table {@code RT_TABLE_*}; tables above 255 travel in {@code RTA_TABLE} instead
 * @param protocol {@code RTPROT_*}: who installed the route
 * @param scope {@code RT_SCOPE_*}
 * @param type {@code RTN_*}
 * @param flags {@code RTM_F_*}
 */
record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type,
    int flags) implements FamilyHeader {
  static final int SIZE = 12;

  static RtMsg read(ByteBuffer buffer) {
    return new RtMsg(Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()),
        Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()),
        Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()),
        buffer.getInt());
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) dstLength).put((byte) srcLength).put((byte) tos).put((byte) table)
        .put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags);
  }
}
