package io.plainroute.ipam;

/**
 * One thing wrong with a ClusterNetwork, with the field it concerns ({@code spec.clusterCIDRs[1]})
 * and a message that says what to do.
 */
public record SpecProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
