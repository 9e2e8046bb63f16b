package io.plainroute.netlink.nl;

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
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type,
    int flags) implements FamilyHeader {
  public static final int SIZE = 12;
  /** Offsets of the fields that decoding a route reads in place, without a record per message. */
  public static final int DST_LEN = 1;
  public static final int TABLE = 4;
  public static final int PROTOCOL = 5;
  public static final int SCOPE = 6;
  public static final int TYPE = 7;

  /** An unsigned byte field of the header at an absolute offset, e.g. {@code u8(buffer, at + PROTOCOL)}. */
  public static int u8(ByteBuffer buffer, int offset) {
    return Byte.toUnsignedInt(buffer.get(offset));
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    write(buffer, family, dstLength, table, protocol, scope, type);
  }

  /** Writes a header without source, TOS or flags, as every route request here has, allocating nothing. */
  public static void write(ByteBuffer buffer, int family, int dstLength, int table, int protocol, int scope,
      int type) {
    buffer.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0).put((byte) table)
        .put((byte) protocol).put((byte) scope).put((byte) type).putInt(0);
  }
}
