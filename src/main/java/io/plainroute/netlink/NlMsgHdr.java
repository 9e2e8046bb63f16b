package io.plainroute.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsghdr}: the 16-byte header of every netlink message, in host byte order.
 *
 * @param length message length including this header
 * @param type {@code NLMSG_*} or {@code RTM_*}
 * @param flags {@code NLM_F_*}
 * @param seq sequence number, echoed by the kernel in its replies
 * @param portId the sender's port for requests; the receiving socket's port in replies
 */
record NlMsgHdr(int length, int type, int flags, int seq, int portId) {
  static final int SIZE = Netlink.NLMSG_HDRLEN;

  /** Reads a header at the buffer's position, advancing it. */
  static NlMsgHdr read(ByteBuffer buffer) {
    return new NlMsgHdr(buffer.getInt(), Short.toUnsignedInt(buffer.getShort()),
        Short.toUnsignedInt(buffer.getShort()), buffer.getInt(), buffer.getInt());
  }

  void writeTo(ByteBuffer buffer) {
    buffer.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(portId);
  }
}
