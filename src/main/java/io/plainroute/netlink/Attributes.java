package io.plainroute.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The attributes ({@code rtattr} / {@code nlattr}) of a message region, by type. A type that
 * occurs more than once keeps its last value: none of the attributes read here repeats.
 */
final class Attributes {
  private final Map<Integer, ByteBuffer> values;

  private Attributes(Map<Integer, ByteBuffer> values) {
    this.values = values;
  }

  /** Parses the attributes from the region's position to its limit. */
  static Attributes parse(ByteBuffer region) throws NetlinkException {
    ByteBuffer buffer = region.duplicate().order(ByteOrder.nativeOrder());
    Map<Integer, ByteBuffer> values = new HashMap<>();
    while (buffer.remaining() >= Netlink.NLA_HDRLEN) {
      int start = buffer.position();
      int length = Short.toUnsignedInt(buffer.getShort());
      int type = Short.toUnsignedInt(buffer.getShort()) & Netlink.NLA_TYPE_MASK;
      if (length < Netlink.NLA_HDRLEN || length > buffer.limit() - start) {
        throw new NetlinkException(Errno.EPROTO,
            "attribute " + type + " of length " + length + " at offset " + start);
      }
      values.put(type, buffer.slice(buffer.position(), length - Netlink.NLA_HDRLEN).order(ByteOrder.nativeOrder()));
      buffer.position(Math.min(buffer.limit(), start + Netlink.align(length)));
    }
    return new Attributes(values);
  }

  boolean has(int type) {
    return values.containsKey(type);
  }

  /** A host-order 32-bit value. */
  OptionalInt u32(int type) {
    ByteBuffer value = values.get(type);
    return value == null ? OptionalInt.empty() : OptionalInt.of(value.getInt(0));
  }

  /** A string, NUL-terminated or not; a terminator and anything after it are dropped. */
  Optional<String> string(int type) {
    return bytes(type).map(bytes -> {
      int end = 0;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    });
  }

  /** An IPv4 address, in network byte order on the wire. */
  Optional<Inet4Address> inet4(int type) throws NetlinkException {
    Optional<byte[]> bytes = bytes(type);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (InetAddress.getByAddress(bytes.get()) instanceof Inet4Address address) {
        return Optional.of(address);
      }
    } catch (UnknownHostException e) {
      // getByAddress only refuses lengths other than 4 and 16: reported below
    }
    throw new NetlinkException(Errno.EPROTO, "attribute " + type + " of " + bytes.get().length
        + " bytes where an IPv4 address was expected");
  }

  Optional<byte[]> bytes(int type) {
    ByteBuffer value = values.get(type);
    if (value == null) {
      return Optional.empty();
    }
    byte[] bytes = new byte[value.remaining()];
    value.get(0, bytes);
    return Optional.of(bytes);
  }

  /** The attributes nested in one attribute; none when it is absent. */
  Attributes nested(int type) throws NetlinkException {
    ByteBuffer value = values.get(type);
    return value == null ? new Attributes(Map.of()) : parse(value);
  }
}
