package io.plainroute.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One family's cluster ranges cut into equal node subnets. Subnets are numbered across the ranges
 * in the order the ranges are declared, so appending a range never renumbers existing subnets, and
 * the lowest free number is handed out first (deterministic, like kube-controller-manager).
 *
 * <p>Never a bitmap: only the taken subnets are stored, and free ones are found by walking the gaps
 * between their numbers. Numbers are {@link BigInteger}s, so the index space is bounded only by the
 * address length: a /8 cut into /120s (2^112 subnets) works as well as a /16 cut into /24s, where
 * kube-controller-manager caps the difference between range and node prefix at 16 bits.
 */
public final class SubnetPool {
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final Family family;
  private final List<IPAddress> ranges;
  private final int subnetPrefixLength;
  private final BigInteger[] firstIndexOfRange;
  private final BigInteger capacity;

  /** Use {@link PoolSpec#validate} to build one from user input; this expects checked values of one family. */
  SubnetPool(Family family, List<IPAddress> ranges, int subnetPrefixLength) {
    this.family = family;
    this.ranges = List.copyOf(ranges);
    this.subnetPrefixLength = subnetPrefixLength;
    this.firstIndexOfRange = new BigInteger[ranges.size()];
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < ranges.size(); i++) {
      firstIndexOfRange[i] = total;
      total = total.add(BigInteger.ONE.shiftLeft(subnetPrefixLength - ranges.get(i).getNetworkPrefixLength()));
    }
    this.capacity = total;
  }

  public Family family() {
    return family;
  }

  public List<IPAddress> ranges() {
    return ranges;
  }

  public int subnetPrefixLength() {
    return subnetPrefixLength;
  }

  /** How many node subnets the ranges hold, exactly (2^112 for a /8 cut into /120s). */
  public BigInteger exactCapacity() {
    return capacity;
  }

  /** How many node subnets the ranges hold, clamped to {@link Long#MAX_VALUE} (what status and metrics show). */
  public long capacity() {
    return clamp(capacity);
  }

  /** A count clamped to {@link Long#MAX_VALUE}: IPv6 pools can hold more subnets than a long counts. */
  public static long clamp(BigInteger count) {
    return count.min(LONG_MAX).longValueExact();
  }

  /** Whether {@code subnet} is one of this pool's node subnets (right family and size, aligned, in a range). */
  public boolean holds(IPAddress subnet) {
    return indexOf(subnet) != null;
  }

  /** The range that contains {@code address}, if any. */
  public Optional<IPAddress> rangeContaining(IPAddress address) {
    return ranges.stream().filter(r -> r.getIPVersion() == address.getIPVersion() && r.contains(address)).findFirst();
  }

  /**
   * The node subnet that contains {@code address}, if the address lies in a range. Used to keep
   * subnets that would shadow a node's own address out of allocation.
   */
  public Optional<IPAddress> subnetContaining(IPAddress address) {
    return rangeContaining(address).map(r -> address.toPrefixBlock(subnetPrefixLength));
  }

  /**
   * The free subnets in ascending order, given those already {@code taken} (of any family: others
   * are ignored). Costs O(t log t) for t taken subnets to set up and amortized O(1) a subnet after
   * that, whatever the capacity: it walks the gaps between the sorted numbers of taken subnets
   * instead of walking the pool.
   */
  public FreeSubnets free(Collection<? extends IPAddress> taken) {
    BigInteger[] used = taken.stream().map(this::indexOf).filter(Objects::nonNull).sorted().distinct().toArray(BigInteger[]::new);
    return new FreeSubnets(used);
  }

  /** The lowest free subnet; empty when the pool is exhausted. */
  public Optional<IPAddress> firstFree(Collection<? extends IPAddress> taken) {
    return free(taken).next();
  }

  /** A cursor over free subnets that also skips subnets marked taken after it was made. */
  public final class FreeSubnets {
    private final BigInteger[] used;
    private final Set<BigInteger> takenSince = new HashSet<>();
    private int usedCursor;
    private BigInteger candidate = BigInteger.ZERO;

    private FreeSubnets(BigInteger[] used) {
      this.used = used;
    }

    /** The next free subnet, or empty when none is left. */
    public Optional<IPAddress> next() {
      while (candidate.compareTo(capacity) < 0) {
        while (usedCursor < used.length && used[usedCursor].compareTo(candidate) < 0) {
          usedCursor++;
        }
        BigInteger index = candidate;
        candidate = candidate.add(BigInteger.ONE);
        boolean isUsed = usedCursor < used.length && used[usedCursor].equals(index);
        if (!isUsed && !takenSince.contains(index)) {
          return Optional.of(subnetAt(index));
        }
      }
      return Optional.empty();
    }

    /** Excludes a subnet taken by other means (adopted, or found claimed by someone else). */
    public void markTaken(IPAddress subnet) {
      BigInteger index = indexOf(subnet);
      if (index != null) {
        takenSince.add(index);
      }
    }
  }

  /** How many of {@code subnets} belong to this pool, counting each subnet once. */
  public long countHeld(Collection<? extends IPAddress> subnets) {
    return subnets.stream().map(this::indexOf).filter(Objects::nonNull).distinct().count();
  }

  /** The subnet's number in the pool; null when the pool does not hold it. */
  private BigInteger indexOf(IPAddress subnet) {
    if (subnet.getNetworkPrefixLength() == null
        || subnet.getNetworkPrefixLength() != subnetPrefixLength
        || Family.of(subnet) != family
        || !subnet.isPrefixBlock()) {
      return null;
    }
    for (int i = 0; i < ranges.size(); i++) {
      IPAddress range = ranges.get(i);
      if (range.contains(subnet)) {
        BigInteger offset = subnet.getLower().getValue().subtract(range.getLower().getValue());
        return firstIndexOfRange[i].add(offset.shiftRight(family.bits() - subnetPrefixLength));
      }
    }
    return null;
  }

  private IPAddress subnetAt(BigInteger index) {
    int i = ranges.size() - 1;
    while (firstIndexOfRange[i].compareTo(index) > 0) {
      i--;
    }
    BigInteger offset = index.subtract(firstIndexOfRange[i]).shiftLeft(family.bits() - subnetPrefixLength);
    BigInteger address = ranges.get(i).getLower().getValue().add(offset);
    return family == Family.IPv4
        ? new IPv4Address(address.intValue(), subnetPrefixLength)
        : new IPv6Address(address, subnetPrefixLength);
  }
}
