package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the agent on the node did and found. The Conflict condition (duplicate node IP or uplink MAC
 * across nodes) is the controller's, written with a field manager of its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkStatus {
  private String bridge;
  private Integer routes;
  private Uplink uplink;
  private List<UnreachablePeer> unreachablePeers = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();
  private Long observedGeneration;

  public String getBridge() {
    return bridge;
  }

  public void setBridge(String bridge) {
    this.bridge = bridge;
  }

  public Integer getRoutes() {
    return routes;
  }

  public void setRoutes(Integer routes) {
    this.routes = routes;
  }

  public Uplink getUplink() {
    return uplink;
  }

  public void setUplink(Uplink uplink) {
    this.uplink = uplink;
  }

  public List<UnreachablePeer> getUnreachablePeers() {
    return unreachablePeers;
  }

  public void setUnreachablePeers(List<UnreachablePeer> unreachablePeers) {
    this.unreachablePeers = unreachablePeers;
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
    return o instanceof NodeNetworkStatus other
        && Objects.equals(bridge, other.bridge)
        && Objects.equals(routes, other.routes)
        && Objects.equals(uplink, other.uplink)
        && Objects.equals(unreachablePeers, other.unreachablePeers)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bridge, routes, uplink, unreachablePeers, conditions, observedGeneration);
  }
}
