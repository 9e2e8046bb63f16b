package io.plainroute.netlink;

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
record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) implements FamilyHeader {
  static final int SIZE = 8;

  static IfAddrMsg read(ByteBuffer buffer) {
    return new IfAddrMsg(Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()),
        Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()), buffer.getInt());
  }

  @Override
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
  }
}
