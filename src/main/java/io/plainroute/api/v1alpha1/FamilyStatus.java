package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * One address family's pool usage. Counts are node subnets, clamped to 9223372036854775807 (2^63-1):
 * an IPv6 range can hold more subnets than that (a /8 cut into /120s holds 2^112).
 */
public class FamilyStatus {
  @JsonPropertyDescription("IPv4 or IPv6.")
  private String family;

  @JsonPropertyDescription("Node subnets this family's ranges hold (clamped to 2^63-1).")
  private Long capacity;

  @JsonPropertyDescription("Node subnets of this family held by NodeNetworks.")
  private Long allocated;

  @JsonPropertyDescription("Node subnets of this family free to allocate (clamped to 2^63-1).")
  private Long free;

  @JsonPropertyDescription("Nodes waiting for a subnet of this family because none is free.")
  private Long pending;

  public FamilyStatus() {}

  public FamilyStatus(String family, long capacity, long allocated, long free, long pending) {
    this.family = family;
    this.capacity = capacity;
    this.allocated = allocated;
    this.free = free;
    this.pending = pending;
  }

  public String getFamily() {
    return family;
  }

  public void setFamily(String family) {
    this.family = family;
  }

  public Long getCapacity() {
    return capacity;
  }

  public void setCapacity(Long capacity) {
    this.capacity = capacity;
  }

  public Long getAllocated() {
    return allocated;
  }

  public void setAllocated(Long allocated) {
    this.allocated = allocated;
  }

  public Long getFree() {
    return free;
  }

  public void setFree(Long free) {
    this.free = free;
  }

  public Long getPending() {
    return pending;
  }

  public void setPending(Long pending) {
    this.pending = pending;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FamilyStatus s
        && Objects.equals(family, s.family)
        && Objects.equals(capacity, s.capacity)
        && Objects.equals(allocated, s.allocated)
        && Objects.equals(free, s.free)
        && Objects.equals(pending, s.pending);
  }

  @Override
  public int hashCode() {
    return Objects.hash(family, capacity, allocated, free, pending);
  }
}
