package io.plainroute.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * A failed netlink or socket call: the kernel's errno, its name, and the kernel's own
 * explanation (its extended acknowledgement) when it gave one.
 *
 * <p>The message reads like {@code ip}'s: {@code "RTM_NEWROUTE 10.200.3.0/24 dev 2: EINVAL
 * (Invalid argument): Invalid prefix for given prefix length"}.
 */
public final class NetlinkException extends IOException {
  private final int errno;
  private final String extendedAck;

  /**
   * @param errno positive errno number
   * @param operation what was attempted, for the message
   * @param extendedAck the kernel's message, or {@code null}
   */
  public NetlinkException(int errno, String operation, String extendedAck) {
    super(operation + ": " + describe(errno) + (extendedAck == null ? "" : ": " + extendedAck));
    this.errno = errno;
    this.extendedAck = extendedAck;
  }

  public NetlinkException(Errno errno, String operation) {
    this(errno.number(), operation, null);
  }

  /** The positive errno number, e.g. 17. */
  public int errno() {
    return errno;
  }

  /** The errno's name, e.g. {@code EEXIST}, or {@code errno 133} for an unlisted one. */
  public String errnoName() {
    return Errno.of(errno).map(Errno::name).orElse("errno " + errno);
  }

  /** Whether this is the given errno. */
  public boolean is(Errno expected) {
    return errno == expected.number();
  }

  /** The kernel's extended-ack message, e.g. "Invalid prefix for given prefix length". */
  public Optional<String> extendedAck() {
    return Optional.ofNullable(extendedAck);
  }

  private static String describe(int errno) {
    return Errno.of(errno).map(e -> e.name() + " (" + e.description() + ")").orElse("errno " + errno);
  }
}
