package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code struct nlmsgerr}: the payload of {@code NLMSG_ERROR}, an error or (when {@code error}
 * is 0) a plain acknowledgement, with the kernel's extended-ack message when it sent one.
 *
 * @param error 0 or a negative errno
 * @param request header of the request that this answers
 * @param extendedAck the {@code NLMSGERR_ATTR_MSG} text, if any
 */
record NlMsgErr(int error, NlMsgHdr request, Optional<String> extendedAck) {

  static NlMsgErr parse(NetlinkMessage message) throws NetlinkException {
    ByteBuffer payload = message.payload();
    if (payload.remaining() < 4 + NlMsgHdr.SIZE) {
      throw new NetlinkException(Errno.EPROTO, "NLMSG_ERROR of " + payload.remaining() + " bytes");
    }
    int error = payload.getInt();
    NlMsgHdr request = NlMsgHdr.read(payload);
    if (!message.hasFlag(Netlink.NLM_F_CAPPED)) {
      // Without NETLINK_CAP_ACK the kernel echoes the whole request before the TLVs.
      int echoed = Netlink.align(request.length()) - NlMsgHdr.SIZE;
      payload.position(Math.min(payload.limit(), payload.position() + echoed));
    }
    Optional<String> extendedAck = message.hasFlag(Netlink.NLM_F_ACK_TLVS)
        ? Attributes.parse(payload).string(Netlink.NLMSGERR_ATTR_MSG)
        : Optional.empty();
    return new NlMsgErr(error, request, extendedAck);
  }

  boolean isAck() {
    return error == 0;
  }

  NetlinkException toException(String operation) {
    return new NetlinkException(-error, operation, extendedAck.orElse(null));
  }
}
