package io.plainroute.netlink.nl;

/**
 * Bytes from the kernel that do not parse as netlink: a length that overruns its datagram, an
 * attribute of the wrong size. Unchecked, since it means a bug on one side or the other, not a
 * condition a caller handles; the transport turns it into an {@code EPROTO} failure.
 */
public final class MalformedMessageException extends RuntimeException {

  public MalformedMessageException(String message) {
    super(message);
  }
}
