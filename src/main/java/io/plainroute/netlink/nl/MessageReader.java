package io.plainroute.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A cursor over the messages of a received datagram: {@link #next()} moves to the next message,
 * whose header fields and payload offset are then read in place. One reader is reused for every
 * datagram; nothing is allocated per message.
 *
 * <pre>{@code
 * for (reader.reset(datagram); reader.next(); ) {
 *   if (reader.type() == NLMSG_ERROR && reader.error() != 0) { ... reader.seq() ... }
 * }
 * }</pre>
 */
public final class MessageReader {
  /** {@code struct nlmsgerr}: the error, then the header of the request it answers. */
  private static final int NLMSGERR_SIZE = 4 + Netlink.NLMSG_HDRLEN;

  private final AttributeReader tlvs = new AttributeReader();
  private ByteBuffer buffer;
  private int next;
  private int limit;
  private int start;
  private int length;

  /** Reads the datagram from its position to its limit; it must stay unchanged meanwhile. */
  public MessageReader reset(ByteBuffer datagram) {
    buffer = datagram.order() == ByteOrder.nativeOrder() ? datagram
        : datagram.duplicate().order(ByteOrder.nativeOrder());
    next = datagram.position();
    limit = datagram.limit();
    length = 0;
    return this;
  }

  /**
   * Moves to the next message.
   *
   * @return false when the datagram holds no more
   * @throws MalformedMessageException when a length runs past the datagram
   */
  public boolean next() {
    if (limit - next < Netlink.NLMSG_HDRLEN) {
      return false;
    }
    start = next;
    length = buffer.getInt(start);
    if (length < Netlink.NLMSG_HDRLEN || length > limit - start) {
      throw new MalformedMessageException("netlink message of length " + length + " at offset " + start
          + " of a " + limit + "-byte datagram");
    }
    next = Math.min(limit, start + Netlink.align(length));
    return true;
  }

  /** The datagram's buffer, for reading the payload at absolute offsets (host byte order). */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** {@code NLMSG_*} or {@code RTM_*}. */
  public int type() {
    return Short.toUnsignedInt(buffer.getShort(start + 4));
  }

  public int flags() {
    return Short.toUnsignedInt(buffer.getShort(start + 6));
  }

  public boolean hasFlag(int flag) {
    return (flags() & flag) != 0;
  }

  public int seq() {
    return buffer.getInt(start + 8);
  }

  /**
   * The port id: in a reply, the receiving socket's; in a notification, the socket whose
   * request made the change (0 when the kernel made it).
   */
  public int portId() {
    return buffer.getInt(start + 12);
  }

  /** Absolute offset of the payload (the family header, for rtnetlink messages). */
  public int payload() {
    return start + Netlink.NLMSG_HDRLEN;
  }

  /** Absolute offset just past the message (before its padding). */
  public int end() {
    return start + length;
  }

  public int payloadLength() {
    return length - Netlink.NLMSG_HDRLEN;
  }

  /**
   * Absolute offset of the family header ({@code rtmsg}, {@code ifinfomsg}, ...) of the given size.
   *
   * @throws MalformedMessageException when the payload is shorter than the header
   */
  public int familyHeader(int size) {
    if (payloadLength() < size) {
      throw new MalformedMessageException("message type " + type() + " of " + payloadLength()
          + " payload bytes where a " + size + "-byte family header was expected");
    }
    return payload();
  }

  /** The attributes that follow a family header of the given size, as a cursor (reused). */
  public AttributeReader attributes(int familyHeaderSize) {
    return tlvs.reset(buffer, Math.min(end(), payload() + familyHeaderSize), end());
  }

  /** Of an {@code NLMSG_ERROR}: 0 for an acknowledgement, else a negative errno. */
  public int error() {
    requireError();
    return buffer.getInt(payload());
  }

  /**
   * Of an {@code NLMSG_ERROR}: the kernel's extended-ack message ({@code NLMSGERR_ATTR_MSG}), or
   * null. The TLVs follow the request's header when the reply is capped, the whole request when not.
   */
  public String extendedAck() {
    requireError();
    if (!hasFlag(Netlink.NLM_F_ACK_TLVS)) {
      return null;
    }
    // The echoed request's length comes from the wire: one that is negative or runs past the
    // message leaves no room for TLVs.
    long echoed = hasFlag(Netlink.NLM_F_CAPPED) ? Netlink.NLMSG_HDRLEN
        : Netlink.align(buffer.getInt(payload() + 4));
    int from = echoed < Netlink.NLMSG_HDRLEN ? end() : (int) Math.min(end(), payload() + 4 + echoed);
    AttributeReader attributes = tlvs.reset(buffer, from, end());
    while (attributes.next()) {
      if (attributes.type() == Netlink.NLMSGERR_ATTR_MSG) {
        return attributes.string();
      }
    }
    return null;
  }

  /** Of an {@code NLMSG_DONE}: 0, or the negative errno of a dump that failed part-way. */
  public int doneError() {
    return payloadLength() >= 4 ? buffer.getInt(payload()) : 0;
  }

  private void requireError() {
    if (payloadLength() < NLMSGERR_SIZE) {
      throw new MalformedMessageException("NLMSG_ERROR of " + payloadLength() + " bytes");
    }
  }
}
