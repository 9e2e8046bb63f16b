package io.plainroute.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Optional;

/**
 * Strict parsing of IPv4 and IPv6 networks and addresses as users write them in specs and Nodes.
 * Canonical form is the one the API server's CEL rules demand: dotted quads without leading zeros
 * for IPv4, RFC 5952 for IPv6 (lowercase, zeros compressed).
 */
public final class Cidrs {
  private Cidrs() {}

  /**
   * Parses an IPv4 or IPv6 network written in canonical form ({@code 10.244.0.0/16},
   * {@code fd00:10:244::/56}). Forms the IPAddress library accepts but a person would misread are
   * refused: host bits set, leading zeros (read as octal), abbreviated octets, uppercase or
   * uncompressed IPv6, IPv4-mapped IPv6, surrounding spaces.
   */
  public static IPAddress parseNetwork(String text) throws InvalidCidrException {
    IPAddress address = text == null ? null : lenientParse(text);
    if (address == null || address.getNetworkPrefixLength() == null || isIPv4Mapped(address)) {
      throw new InvalidCidrException("'" + text + "' is not an IPv4 or IPv6 network; write it like 10.244.0.0/16 or fd00:10:244::/56");
    }
    IPAddress block = address.toPrefixBlock();
    if (!block.toCanonicalString().equals(text)) {
      throw new InvalidCidrException(
          "'" + text + "' is not in canonical form; did you mean " + block.toCanonicalString() + "?");
    }
    return block;
  }

  /** {@link #parseNetwork} for code that skips what is not a network (the API server refused it already). */
  public static Optional<IPAddress> network(String text) {
    try {
      return Optional.of(parseNetwork(text));
    } catch (InvalidCidrException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a plain address such as a Node's InternalIP in canonical form; empty when it is none (the
   * library would also read "", "1.2.3" or "010.0.0.1" as addresses).
   */
  public static Optional<IPAddress> parseAddress(String text) {
    if (text == null) {
      return Optional.empty();
    }
    IPAddress address = lenientParse(text);
    if (address == null || address.getNetworkPrefixLength() != null || isIPv4Mapped(address)
        || !address.toCanonicalString().equals(text)) {
      return Optional.empty();
    }
    return Optional.of(address);
  }

  /** A plain address of the family, as {@link #parseAddress} reads it. */
  public static Optional<IPAddress> parseAddress(String text, Family family) {
    return parseAddress(text).filter(a -> Family.of(a) == family);
  }

  private static boolean isIPv4Mapped(IPAddress address) {
    return address.isIPv6() && address.toIPv6().isIPv4Mapped();
  }

  /**
   * The library's reading of the text, null when it is none. The library throws on some
   * malformed text instead of returning null (ArrayIndexOutOfBounds for a prefix length of a
   * dozen digits, found by PoolSpecFuzzTest): that is no address either.
   */
  private static final java.util.regex.Pattern ADDRESS_CHARACTERS = java.util.regex.Pattern.compile("[0-9A-Fa-f.:/\\s]+");

  private static IPAddress lenientParse(String text) {
    // The library also reads wildcards and ranges ("*.0.0.0/22", "1-2.0.0.0"), which stay as they
    // are in its canonical form: a network or address here is hex digits, dots, colons and a slash
    // (whitespace is let through to be refused as not canonical).
    if (!ADDRESS_CHARACTERS.matcher(text).matches()) {
      return null;
    }
    try {
      return new IPAddressString(text).getAddress();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A subnet as a Kubernetes object name (a DNS-1123 subdomain, unique per subnet):
   * {@code 10.244.3.0/24} becomes {@code 10.244.3.0-24}; IPv6 is written fully expanded with
   * {@code -} for {@code :}, so no two subnets share a name: {@code fd00:10:244:1::/64} becomes
   * {@code fd00-0010-0244-0001-0000-0000-0000-0000-64}.
   */
  public static String objectName(IPAddress subnet) {
    if (subnet.isIPv4()) {
      return subnet.toCanonicalString().replace('/', '-');
    }
    return subnet.getLower().withoutPrefixLength().toFullString().replace(':', '-') + "-" + subnet.getNetworkPrefixLength();
  }

  /** The first address after the subnet's own: the bridge's address and the pods' gateway. */
  public static IPAddress gateway(IPAddress subnet) {
    return subnet.getLower().increment(1).withoutPrefixLength();
  }

  /** Thrown for text that is not a canonical network; the message says what to write. */
  public static final class InvalidCidrException extends Exception {
    public InvalidCidrException(String message) {
      super(message);
    }
  }
}
