package io.plainroute.netlink.nl;

import java.nio.ByteBuffer;

/** The fixed structure that follows the netlink header in an rtnetlink message. */
public interface FamilyHeader {
  /** Writes the structure at the buffer's position, in host byte order. */
  void writeTo(ByteBuffer buffer);
}
