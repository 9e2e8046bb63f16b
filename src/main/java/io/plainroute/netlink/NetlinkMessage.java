package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message of a received datagram: its header and a view of its payload.
 *
 * <p>The payload is a view of the receive buffer, so a message must be decoded before the next
 * datagram is received into that buffer.
 */
record NetlinkMessage(NlMsgHdr header, ByteBuffer payload) {

  /** A fresh view of the payload, positioned at its start, in host byte order. */
  @Override
  public ByteBuffer payload() {
    return payload.duplicate().order(ByteOrder.nativeOrder());
  }

  int type() {
    return header.type();
  }

  boolean hasFlag(int flag) {
    return (header.flags() & flag) != 0;
  }

  /** Splits a datagram (position to limit) into its messages, each starting 4-byte aligned. */
  static List<NetlinkMessage> parseAll(ByteBuffer datagram) throws NetlinkException {
    ByteBuffer buffer = datagram.duplicate().order(ByteOrder.nativeOrder());
    List<NetlinkMessage> messages = new ArrayList<>();
    while (buffer.remaining() >= NlMsgHdr.SIZE) {
      int start = buffer.position();
      NlMsgHdr header = NlMsgHdr.read(buffer);
      if (header.length() < NlMsgHdr.SIZE || header.length() > buffer.limit() - start) {
        throw new NetlinkException(Errno.EPROTO,
            "netlink message of length " + header.length() + " at offset " + start + " of a "
                + buffer.limit() + "-byte datagram");
      }
      messages.add(new NetlinkMessage(header, buffer.slice(buffer.position(), header.length() - NlMsgHdr.SIZE)));
      buffer.position(Math.min(buffer.limit(), start + Netlink.align(header.length())));
    }
    return messages;
  }
}
