package io.plainroute.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Optional;

/** Strict parsing of IPv4 networks and addresses as users write them in specs and Nodes. */
public final class Cidrs {
  private Cidrs() {}

  /**
   * Parses an IPv4 network written in canonical form ({@code 10.244.0.0/16}). Forms the IPAddress
   * library accepts but a person would misread are refused: host bits set, leading zeros (read as
   * octal), abbreviated octets, surrounding spaces.
   */
  public static IPv4Address parseNetwork(String text) throws InvalidCidrException {
    IPAddress address = text == null ? null : lenientParse(text);
    if (address == null || !address.isIPv4() || address.getNetworkPrefixLength() == null) {
      throw new InvalidCidrException("'" + text + "' is not an IPv4 network; write it like 10.244.0.0/16");
    }
    IPv4Address block = address.toIPv4().toPrefixBlock();
    if (!block.toCanonicalString().equals(text)) {
      throw new InvalidCidrException(
          "'" + text + "' is not in canonical form; did you mean " + block.toCanonicalString() + "?");
    }
    return block;
  }

  /**
   * Parses a plain IPv4 address such as a Node's InternalIP, written in dotted-quad form; empty when
   * it is not one (the library would also read "", "1.2.3" or "010.0.0.1" as addresses).
   */
  public static Optional<IPv4Address> parseAddress(String text) {
    if (text == null) {
      return Optional.empty();
    }
    IPAddress address = lenientParse(text);
    if (address == null || !address.isIPv4() || address.getNetworkPrefixLength() != null
        || !address.toCanonicalString().equals(text)) {
      return Optional.empty();
    }
    return Optional.of(address.toIPv4());
  }

  /**
   * The library's reading of the text, null when it is none. The library throws on some
   * malformed text instead of returning null (ArrayIndexOutOfBounds for a prefix length of a
   * dozen digits, found by PoolSpecFuzzTest): that is no address either.
   */
  private static IPAddress lenientParse(String text) {
    try {
      return new IPAddressString(text).getAddress();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code 10.244.3.0/24} as a Kubernetes object name: {@code 10.244.3.0-24}. */
  public static String objectName(IPv4Address subnet) {
    return subnet.toCanonicalString().replace('/', '-');
  }

  /** The first usable address of a subnet: the bridge's address and the pods' gateway. */
  public static IPv4Address gateway(IPv4Address subnet) {
    return subnet.getLower().increment(1).withoutPrefixLength();
  }

  /** Thrown for text that is not a canonical IPv4 network; the message says what to write. */
  public static final class InvalidCidrException extends Exception {
    public InvalidCidrException(String message) {
      super(message);
    }
  }
}
