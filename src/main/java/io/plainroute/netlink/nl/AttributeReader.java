package io.plainroute.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the attributes ({@code rtattr} / {@code nlattr}) of a message region:
 * {@link #next()} moves to the next one, whose type and value are then read in place.
 * Reusable, and allocates nothing but the strings and arrays asked for.
 */
public final class AttributeReader {
  private ByteBuffer buffer;
  private int next;
  private int limit;
  private int start;
  private int length;

  /** Reads the attributes between two absolute offsets of the buffer (host byte order). */
  public AttributeReader reset(ByteBuffer buffer, int from, int to) {
    this.buffer = buffer;
    this.next = from;
    this.limit = to;
    this.length = 0;
    return this;
  }

  /**
   * Moves to the next attribute.
   *
   * @return false when the region holds no more
   * @throws MalformedMessageException when a length runs past the region
   */
  public boolean next() {
    if (limit - next < Netlink.NLA_HDRLEN) {
      return false;
    }
    start = next;
    length = Short.toUnsignedInt(buffer.getShort(start));
    if (length < Netlink.NLA_HDRLEN || length > limit - start) {
      throw new MalformedMessageException("attribute " + type() + " of length " + length + " at offset " + start);
    }
    next = Math.min(limit, start + Netlink.align(length));
    return true;
  }

  /** The type, without the nested and byte-order flags. */
  public int type() {
    return Short.toUnsignedInt(buffer.getShort(start + 2)) & Netlink.NLA_TYPE_MASK;
  }

  /** Absolute offset of the value. */
  public int value() {
    return start + Netlink.NLA_HDRLEN;
  }

  public int valueLength() {
    return length - Netlink.NLA_HDRLEN;
  }

  /** A host-order 32-bit value. */
  public int u32() {
    requireLength(4, "a 32-bit value");
    return buffer.getInt(value());
  }

  /** An IPv4 address: its 32 bits, most significant first ({@code 10.0.0.2} is {@code 0x0a000002}). */
  public int inet4() {
    requireLength(4, "an IPv4 address");
    int raw = buffer.getInt(value());
    return buffer.order() == ByteOrder.BIG_ENDIAN ? raw : Integer.reverseBytes(raw);
  }

  /** An IPv6 address's upper 64 bits, most significant first. */
  public long inet6High() {
    requireLength(16, "an IPv6 address");
    return networkLong(value());
  }

  /** An IPv6 address's lower 64 bits, most significant first. */
  public long inet6Low() {
    requireLength(16, "an IPv6 address");
    return networkLong(value() + 8);
  }

  private long networkLong(int offset) {
    long raw = buffer.getLong(offset);
    return buffer.order() == ByteOrder.BIG_ENDIAN ? raw : Long.reverseBytes(raw);
  }

  /** A string, NUL-terminated or not; a terminator and anything after it are dropped. */
  public String string() {
    int end = value();
    while (end < start + length && buffer.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - value()];
    buffer.get(value(), bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public byte[] bytes() {
    byte[] bytes = new byte[valueLength()];
    buffer.get(value(), bytes);
    return bytes;
  }

  /** The attributes nested in this one, into another reader. */
  public AttributeReader nested(AttributeReader into) {
    return into.reset(buffer, value(), start + length);
  }

  private void requireLength(int expected, String what) {
    if (valueLength() != expected) {
      throw new MalformedMessageException("attribute " + type() + " of " + valueLength() + " bytes where "
          + what + " was expected");
    }
  }
}
