package io.plainroute.netlink;

import io.plainroute.netlink.nl.FamilyHeader;
import io.plainroute.netlink.nl.MessageWriter;
import io.plainroute.netlink.nl.Netlink;
import java.util.function.Consumer;

/**
 * One rtnetlink request of the readable API (links, addresses, dumps, a single route), before it
 * is given a sequence number. Batches of route changes skip this and encode straight into the
 * datagram ({@link RouteMessages#write}).
 *
 * @param type {@code RTM_*}
 * @param flags all {@code NLM_F_*} flags of the header
 * @param header the family header that follows the netlink header
 * @param attributes writes the attributes after the family header
 * @param description what the request does, for error messages, e.g. "RTM_NEWROUTE 10.1.0.0/24"
 */
record Request(int type, int flags, FamilyHeader header, Consumer<MessageWriter> attributes, String description) {

  /** A request that the kernel acknowledges (or refuses) with an NLMSG_ERROR. */
  static Request acknowledged(int type, int modifiers, FamilyHeader header, Consumer<MessageWriter> attributes,
      String description) {
    return new Request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | modifiers, header, attributes,
        description);
  }

  /** A request for all objects of a kind; answered with a multipart reply ending in NLMSG_DONE. */
  static Request dump(int type, FamilyHeader header, String description) {
    return new Request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, header, writer -> { }, description);
  }

  /** Appends the request to the datagram being written. */
  void writeTo(MessageWriter writer, int seq) {
    int start = writer.begin(type, flags, seq);
    header.writeTo(writer.buffer());
    attributes.accept(writer);
    writer.end(start);
  }
}
