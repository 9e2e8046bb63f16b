package io.plainroute.netlink;

import java.nio.ByteBuffer;

/** The fixed structure that follows the netlink header in an rtnetlink message. */
interface FamilyHeader {
  void writeTo(ByteBuffer buffer);
}
