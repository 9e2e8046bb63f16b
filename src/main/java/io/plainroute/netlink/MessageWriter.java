package io.plainroute.netlink;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes netlink messages, one after another, into a buffer that is sent as one datagram:
 * headers in host byte order, every message and attribute 4-byte aligned with zeroed padding
 * (the buffer is reused).
 */
final class MessageWriter {
  private final ByteBuffer buffer;

  /** Writes into the buffer from its start; the buffer is switched to host byte order. */
  MessageWriter(ByteBuffer buffer) {
    this.buffer = buffer.order(ByteOrder.nativeOrder());
    buffer.clear();
  }

  /** Forgets what was written, to start the next datagram. */
  void clear() {
    buffer.clear();
  }

  int remaining() {
    return buffer.remaining();
  }

  /** Bytes written since {@link #clear()}. */
  int size() {
    return buffer.position();
  }

  /** Appends a request with the given sequence number; the kernel chooses the port id. */
  void write(Request request, int seq) {
    int start = buffer.position();
    buffer.position(start + NlMsgHdr.SIZE);
    request.header().writeTo(buffer);
    request.attributes().accept(this);
    int end = buffer.position();
    buffer.position(start);
    new NlMsgHdr(end - start, request.type(), request.flags(), seq, 0).writeTo(buffer);
    buffer.position(end);
  }

  MessageWriter putU32(int type, int value) {
    putHeader(type, 4);
    buffer.putInt(value);
    return this;
  }

  /** A string with its NUL terminator, as in {@code IFLA_IFNAME}. */
  MessageWriter putString(int type, String value) {
    return putString(type, value, true);
  }

  /**
   * A string without terminator, as ip(8) sends {@code IFLA_INFO_KIND}: the kernel's
   * {@code NLA_STRING} policy takes the attribute's length as the string's.
   */
  MessageWriter putUnterminatedString(int type, String value) {
    return putString(type, value, false);
  }

  private MessageWriter putString(int type, String value, boolean terminated) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    putHeader(type, bytes.length + (terminated ? 1 : 0));
    buffer.put(bytes);
    if (terminated) {
      buffer.put((byte) 0);
    }
    pad();
    return this;
  }

  /** An IPv4 address, in network byte order whatever the host's. */
  MessageWriter putInet4(int type, Inet4Address address) {
    putHeader(type, 4);
    buffer.put(address.getAddress());
    return this;
  }

  /** Starts a nested attribute; its length is set by {@link #endNested(int)}. */
  int beginNested(int type) {
    int start = buffer.position();
    putHeader(type, 0);
    return start;
  }

  void endNested(int start) {
    buffer.putShort(start, (short) (buffer.position() - start));
  }

  private void putHeader(int type, int valueLength) {
    buffer.putShort((short) (Netlink.NLA_HDRLEN + valueLength)).putShort((short) type);
  }

  private void pad() {
    while (buffer.position() % Netlink.NLMSG_ALIGNTO != 0) {
      buffer.put((byte) 0);
    }
  }
}
