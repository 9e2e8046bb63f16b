package io.plainroute.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes netlink messages, one after another, straight into a buffer that is sent as one
 * datagram: headers in host byte order, every message and attribute 4-byte aligned with zeroed
 * padding (the buffer is reused). Nothing is allocated per message.
 *
 * <pre>{@code
 * int start = writer.begin(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_CREATE, seq);
 * RtMsg.write(writer.buffer(), AF_INET, 24, RT_TABLE_MAIN, 200, RT_SCOPE_UNIVERSE, RTN_UNICAST);
 * writer.putInet4(RTA_DST, 0x0a010000);
 * writer.end(start);
 * }</pre>
 */
public final class MessageWriter {
  private final ByteBuffer buffer;

  /** Writes into the buffer from its start; the buffer is switched to host byte order. */
  public MessageWriter(ByteBuffer buffer) {
    this.buffer = buffer.order(ByteOrder.nativeOrder());
    buffer.clear();
  }

  /** Forgets what was written, to start the next datagram. */
  public void clear() {
    buffer.clear();
  }

  public int remaining() {
    return buffer.remaining();
  }

  /** Bytes written since {@link #clear()}. */
  public int size() {
    return buffer.position();
  }

  /** The buffer, positioned where the next bytes go: family headers write themselves here. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /**
   * Starts a message; the kernel fills in the port id. The family header and attributes follow,
   * then {@link #end(int)}.
   *
   * @return where the message starts, for {@link #end(int)}
   */
  public int begin(int type, int flags, int seq) {
    int start = buffer.position();
    buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    return start;
  }

  /** Ends the message begun at start by writing its length. */
  public void end(int start) {
    buffer.putInt(start, buffer.position() - start);
  }

  /** A message without payload, such as the {@code NLMSG_NOOP} that closes a batch. */
  public void empty(int type, int flags, int seq) {
    end(begin(type, flags, seq));
  }

  public MessageWriter putU32(int type, int value) {
    putHeader(type, 4);
    buffer.putInt(value);
    return this;
  }

  /** A string with its NUL terminator, as in {@code IFLA_IFNAME}. */
  public MessageWriter putString(int type, String value) {
    return putString(type, value, true);
  }

  /**
   * A string without terminator, as ip(8) sends {@code IFLA_INFO_KIND}: the kernel's
   * {@code NLA_STRING} policy takes the attribute's length as the string's.
   */
  public MessageWriter putUnterminatedString(int type, String value) {
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

  /**
   * An IPv4 address, in network byte order whatever the host's.
   *
   * @param address the address's 32 bits, most significant first ({@code 10.0.0.2} is
   *     {@code 0x0a000002})
   */
  public MessageWriter putInet4(int type, int address) {
    putHeader(type, 4);
    buffer.putInt(buffer.order() == ByteOrder.BIG_ENDIAN ? address : Integer.reverseBytes(address));
    return this;
  }

  /**
   * An IPv6 address, in network byte order whatever the host's.
   *
   * @param high the address's upper 64 bits, most significant first
   * @param low its lower 64 bits
   */
  public MessageWriter putInet6(int type, long high, long low) {
    putHeader(type, 16);
    boolean big = buffer.order() == ByteOrder.BIG_ENDIAN;
    buffer.putLong(big ? high : Long.reverseBytes(high)).putLong(big ? low : Long.reverseBytes(low));
    return this;
  }

  /** Starts a nested attribute; its length is set by {@link #endNested(int)}. */
  public int beginNested(int type) {
    int start = buffer.position();
    putHeader(type, 0);
    return start;
  }

  public void endNested(int start) {
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
