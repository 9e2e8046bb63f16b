package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the controller observed: pool usage (capacity/allocated/free: the primary family; families:
 * each family) and the Ready, PoolExhausted and InvalidSpec conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterNetworkStatus {
  private Long capacity;
  private Long allocated;
  private Long free;
  private List<FamilyStatus> families;
  private List<Condition> conditions = new ArrayList<>();
  private Long observedGeneration;

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

  public List<FamilyStatus> getFamilies() {
    return families;
  }

  public void setFamilies(List<FamilyStatus> families) {
    this.families = families;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterNetworkStatus s
        && Objects.equals(capacity, s.capacity)
        && Objects.equals(allocated, s.allocated)
        && Objects.equals(free, s.free)
        && Objects.equals(families, s.families)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(observedGeneration, s.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, allocated, free, families, conditions, observedGeneration);
  }
}
