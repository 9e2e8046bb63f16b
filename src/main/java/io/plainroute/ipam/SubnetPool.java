package io.plainroute.ipam;

import inet.ipaddr.ipv4.IPv4Address;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster ranges cut into equal node subnets. Subnets are numbered across the ranges in the
 * order the ranges are declared, so appending a range never renumbers existing subnets, and the
 * lowest free number is handed out first (deterministic, like kube-controller-manager).
 */
public final class SubnetPool {
  private final List<IPv4Address> ranges;
  private final int subnetPrefixLength;
  private final long[] firstIndexOfRange;
  private final long capacity;

  /** Use {@link PoolSpec#validate} to build one from user input; this expects checked values. */
  SubnetPool(List<IPv4Address> ranges, int subnetPrefixLength) {
    this.ranges = List.copyOf(ranges);
    this.subnetPrefixLength = subnetPrefixLength;
    this.firstIndexOfRange = new long[ranges.size()];
    long total = 0;
    for (int i = 0; i < ranges.size(); i++) {
      firstIndexOfRange[i] = total;
      total += subnetsIn(ranges.get(i));
    }
    this.capacity = total;
  }

  public List<IPv4Address> ranges() {
    return ranges;
  }

  public int subnetPrefixLength() {
    return subnetPrefixLength;
  }

  /** How many node subnets the ranges hold. */
  public long capacity() {
    return capacity;
  }

  /** Whether {@code subnet} is one of this pool's node subnets (right size, aligned, in a range). */
  public boolean holds(IPv4Address subnet) {
    return indexOf(subnet) >= 0;
  }

  /** The range that contains {@code address}, if any. */
  public Optional<IPv4Address> rangeContaining(IPv4Address address) {
    return ranges.stream().filter(r -> r.contains(address)).findFirst();
  }

  /**
   * The node subnet that contains {@code address}, if the address lies in a range. Used to keep
   * subnets that would shadow a node's own address out of allocation.
   */
  public Optional<IPv4Address> subnetContaining(IPv4Address address) {
    return rangeContaining(address).map(r -> address.toPrefixBlock(subnetPrefixLength));
  }

  /**
   * The free subnets in ascending order, given those already {@code taken}. Costs O(t log t) for t
   * taken subnets to set up and amortized O(1) a subnet after that, whatever the capacity: it walks
   * the gaps between the sorted numbers of taken subnets instead of walking the pool.
   */
  public FreeSubnets free(Collection<IPv4Address> taken) {
    long[] used = taken.stream().mapToLong(this::indexOf).filter(i -> i >= 0).sorted().distinct().toArray();
    return new FreeSubnets(used);
  }

  /** The lowest free subnet; empty when the pool is exhausted. */
  public Optional<IPv4Address> firstFree(Collection<IPv4Address> taken) {
    return free(taken).next();
  }

  /** A cursor over free subnets that also skips subnets marked taken after it was made. */
  public final class FreeSubnets {
    private final long[] used;
    private final Set<Long> takenSince = new HashSet<>();
    private int usedCursor;
    private long candidate;

    private FreeSubnets(long[] used) {
      this.used = used;
    }

    /** The next free subnet, or empty when none is left. */
    public Optional<IPv4Address> next() {
      while (candidate < capacity) {
        while (usedCursor < used.length && used[usedCursor] < candidate) {
          usedCursor++;
        }
        long index = candidate++;
        boolean isUsed = usedCursor < used.length && used[usedCursor] == index;
        if (!isUsed && !takenSince.contains(index)) {
          return Optional.of(subnetAt(index));
        }
      }
      return Optional.empty();
    }

    /** Excludes a subnet taken by other means (adopted, or found claimed by someone else). */
    public void markTaken(IPv4Address subnet) {
      long index = indexOf(subnet);
      if (index >= 0) {
        takenSince.add(index);
      }
    }
  }

  /** How many of {@code subnets} belong to this pool, counting each subnet once. */
  public long countHeld(Collection<IPv4Address> subnets) {
    return subnets.stream().mapToLong(this::indexOf).filter(i -> i >= 0).distinct().count();
  }

  private long subnetsIn(IPv4Address range) {
    return 1L << (subnetPrefixLength - range.getNetworkPrefixLength());
  }

  private long indexOf(IPv4Address subnet) {
    if (subnet.getNetworkPrefixLength() == null
        || subnet.getNetworkPrefixLength() != subnetPrefixLength
        || !subnet.isPrefixBlock()) {
      return -1;
    }
    for (int i = 0; i < ranges.size(); i++) {
      IPv4Address range = ranges.get(i);
      if (range.contains(subnet)) {
        long offset = subnet.getLower().longValue() - range.getLower().longValue();
        return firstIndexOfRange[i] + (offset >>> (32 - subnetPrefixLength));
      }
    }
    return -1;
  }

  private IPv4Address subnetAt(long index) {
    int i = ranges.size() - 1;
    while (firstIndexOfRange[i] > index) {
      i--;
    }
    long offset = (index - firstIndexOfRange[i]) << (32 - subnetPrefixLength);
    long address = ranges.get(i).getLower().longValue() + offset;
    return new IPv4Address((int) address, subnetPrefixLength);
  }
}
