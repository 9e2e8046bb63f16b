package io.plainroute.netlink.nl;

import java.nio.ByteBuffer;

/**
 * {@code struct ifaddrmsg}: the header of address messages.
 *
 * @param family {@code AF_INET}
 * @param prefixLength length of the address's prefix
 * @param flags {@code IFA_F_*}, the low 8 of them
 * @param scope {@code RT_SCOPE_*}
 * @param index index of the link that holds the address
 */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) implements FamilyHeader {
  public static final int SIZE = 8;

  /** Reads the header at an absolute offset of the buffer (host byte order). */
  public static IfAddrMsg read(ByteBuffer buffer, int offset) {
    return new IfAddrMsg(Byte.toUnsignedInt(buffer.get(offset)), Byte.toUnsignedInt(buffer.get(offset + 1)),
        Byte.toUnsignedInt(buffer.get(offset + 2)), Byte.toUnsignedInt(buffer.get(offset + 3)),
        buffer.getInt(offset + 4));
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
  }
}
