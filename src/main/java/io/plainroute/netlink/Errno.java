package io.plainroute.netlink;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Linux errno values that netlink and socket calls report, with the names of
 * {@code asm-generic/errno.h} (the numbering of x86-64 and arm64).
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  ESRCH(3, "No such process"),
  EINTR(4, "Interrupted system call"),
  EIO(5, "Input/output error"),
  EBADF(9, "Bad file descriptor"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EFAULT(14, "Bad address"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  EINVAL(22, "Invalid argument"),
  EMFILE(24, "Too many open files"),
  ENOSPC(28, "No space left on device"),
  ERANGE(34, "Numerical result out of range"),
  ENAMETOOLONG(36, "File name too long"),
  EPROTO(71, "Protocol error"),
  EMSGSIZE(90, "Message too long"),
  ENOPROTOOPT(92, "Protocol not available"),
  EPROTONOSUPPORT(93, "Protocol not supported"),
  EOPNOTSUPP(95, "Operation not supported"),
  EAFNOSUPPORT(97, "Address family not supported by protocol"),
  EADDRINUSE(98, "Address already in use"),
  EADDRNOTAVAIL(99, "Cannot assign requested address"),
  ENETDOWN(100, "Network is down"),
  ENETUNREACH(101, "Network is unreachable"),
  ENOBUFS(105, "No buffer space available"),
  ETIMEDOUT(110, "Connection timed out"),
  EHOSTUNREACH(113, "No route to host");

  private static final Map<Integer, Errno> BY_NUMBER = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(Errno::number, Function.identity()));

  private final int number;
  private final String description;

  Errno(int number, String description) {
    this.number = number;
    this.description = description;
  }

  /** The positive errno number. */
  public int number() {
    return number;
  }

  /** The text that {@code strerror} gives. */
  public String description() {
    return description;
  }

  /** The constant for a positive errno number, when it is one of the listed ones. */
  public static Optional<Errno> of(int number) {
    return Optional.ofNullable(BY_NUMBER.get(number));
  }
}
