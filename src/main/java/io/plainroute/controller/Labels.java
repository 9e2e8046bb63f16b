package io.plainroute.controller;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels the controller puts on what it creates, so a person can select them. */
final class Labels {
  static final String CLUSTER_NETWORK = "plainroute.io/cluster-network";
  static final String NODE = "plainroute.io/node";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "plainroute";

  /** Longer names (node names may have 253 characters) cannot be label values and are left out. */
  private static final int MAX_VALUE_LENGTH = 63;

  private Labels() {}

  static Map<String, String> of(String clusterNetwork, String node) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGER);
    if (clusterNetwork.length() <= MAX_VALUE_LENGTH) {
      labels.put(CLUSTER_NETWORK, clusterNetwork);
    }
    if (node.length() <= MAX_VALUE_LENGTH) {
      labels.put(NODE, node);
    }
    return labels;
  }
}
