package io.plainroute.netlink;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Replies from the kernel — acknowledgements, errors with extended acks, dumps of routes, links
 * and addresses, the replies to a route batch — decoded from arbitrary bytes, as
 * {@link NetlinkConnection} decodes each datagram it receives. Whatever the bytes, decoding ends
 * in a value, a {@link NetlinkException} (the kernel's refusal) or a
 * {@link MalformedMessageException} (which the connection reports as {@code EPROTO}); any other
 * exception escapes the connection and fails this test.
 *
 * <p>{@code mvn test} replays the inputs under {@code RtnetlinkRepliesFuzzTestInputs/}; {@code make
 * fuzz} fuzzes. The sequence number and port id the exchange expects are taken from the first
 * message, so that the fuzzer reaches past the filter that skips replies to other requests.
 */
class RtnetlinkRepliesFuzzTest {

  @FuzzTest
  void decodingAnyReplyEndsInAValueOrATypedError(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 3);
    ByteBuffer datagram = ByteBuffer.wrap(data.consumeRemainingAsBytes()).order(ByteOrder.nativeOrder());
    int seq = datagram.remaining() >= 16 ? datagram.getInt(8) : 1;
    int port = datagram.remaining() >= 16 ? datagram.getInt(12) : 0;
    MessageReader reader = new MessageReader();
    try {
      switch (kind) {
        case 0 -> new Exchange<>(RouteMessages.dump(IpFamily.IPV4), seq, port, RouteMessages::parse).accept(reader.reset(datagram));
        case 1 -> new Exchange<>(LinkMessages.dump(), seq, port, LinkMessages::parse).accept(reader.reset(datagram));
        case 2 -> new Exchange<>(AddressMessages.dump(IpFamily.IPV4), seq, port, AddressMessages::parse)
            .accept(reader.reset(datagram));
        default -> new BatchReplies(seq - 1, 1, port).accept(reader.reset(datagram));
      }
    } catch (NetlinkException | MalformedMessageException expected) {
      // a typed error: the kernel refused, or the bytes are not netlink
    }
  }
}
