package io.plainroute.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Multicast notifications (links, addresses, routes) decoded from arbitrary bytes, message by
 * message as {@link EventSubscription}'s reader does: each message gives an event, nothing (a kind
 * the subscription ignores) or a {@link MalformedMessageException}, which the subscription turns
 * into {@link NetlinkEvent.EventsLost}. Any other exception would end the reader thread.
 */
class RtnetlinkEventsFuzzTest {

  @FuzzTest
  void decodingAnyNotificationEndsInAnEventOrAMalformedMessage(byte[] bytes) {
    MessageReader messages = new MessageReader().reset(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
    try {
      while (messages.next()) {
        EventDatagrams.decode(messages);
      }
    } catch (MalformedMessageException expected) {
      // the datagram is skipped and reported as lost events
    }
  }
}
