package io.plainroute.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.api.v1alpha1.Uplink;
import io.plainroute.status.ConditionList;
import io.plainroute.status.ReconcileError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The agent's part of its NodeNetwork's status. Conditions it does not own (the controller's
 * Conflict) are carried over untouched.
 */
final class NodeNetworkStatusFactory {
  static final String BRIDGE_READY = "BridgeReady";
  static final String ROUTES_READY = "RoutesReady";
  static final String CNI_CONFIG_READY = "CNIConfigReady";
  static final String MASQUERADE_READY = "MasqueradeReady";
  private static final Set<String> OWN = Set.of(BRIDGE_READY, ROUTES_READY, CNI_CONFIG_READY, MASQUERADE_READY, Conditions.READY);

  private final Clock clock;

  NodeNetworkStatusFactory(Clock clock) {
    this.clock = clock;
  }

  NodeNetworkStatus from(NodeNetwork nn, String bridgeName, DataplaneReport report) {
    List<Condition> previous = nn.getStatus() == null ? List.of() : nn.getStatus().getConditions();
    ConditionList own = new ConditionList(clock, previous, nn.getMetadata().getGeneration());
    set(own, BRIDGE_READY, report.bridge());
    set(own, ROUTES_READY, report.routes());
    set(own, CNI_CONFIG_READY, report.cniConfig());
    set(own, MASQUERADE_READY, report.masquerade());
    List<Part> parts = List.of(report.bridge(), report.routes(), report.cniConfig(), report.masquerade());
    Part firstProblem = parts.stream().filter(p -> !p.ok()).findFirst().orElse(null);
    // The controller's Conflict (a duplicate node IP or uplink MAC): the kernel may look right,
    // but peers' packets for this node's pods go to another machine.
    Condition conflict = previous.stream()
        .filter(c -> Conditions.CONFLICT.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus())).findFirst().orElse(null);
    if (conflict != null) {
      own.set(Conditions.READY, false, conflict.getReason(), conflict.getMessage() + " See the Conflict condition.");
    } else if (firstProblem == null) {
      own.set(Conditions.READY, true, "DataplaneReady", "Pods on this node reach pods on every peer.");
    } else {
      own.set(Conditions.READY, false, firstProblem.reason(), firstProblem.message());
    }
    List<Condition> conditions = new ArrayList<>(own.build());
    previous.stream().filter(c -> !OWN.contains(c.getType())).forEach(conditions::add);

    NodeNetworkStatus status = new NodeNetworkStatus();
    status.setBridge(bridgeName);
    status.setRoutes(report.installedRoutes());
    status.setUplink(report.uplink().map(NodeNetworkStatusFactory::uplink).orElse(null));
    status.setUnreachablePeers(report.unreachable());
    status.setConditions(conditions);
    status.setObservedGeneration(nn.getMetadata().getGeneration());
    return status;
  }

  /**
   * The status after an exception stopped a pass: what the last pass found in the kernel (or, before
   * any pass, what the status said), with Ready False for the error.
   *
   * @param report the last pass's report, null when no pass got that far
   */
  NodeNetworkStatus failed(NodeNetwork nn, String bridgeName, DataplaneReport report, ReconcileError error) {
    NodeNetworkStatus status = report != null ? from(nn, bridgeName, report)
        : nn.getStatus() != null ? nn.getStatus() : new NodeNetworkStatus();
    List<Condition> previous = nn.getStatus() == null ? List.of() : nn.getStatus().getConditions();
    List<Condition> conditions = new ArrayList<>(status.getConditions().stream().filter(c -> !Conditions.READY.equals(c.getType())).toList());
    conditions.addAll(new ConditionList(clock, previous, nn.getMetadata().getGeneration())
        .set(Conditions.READY, false, error.reason(), error.message()).build());
    NodeNetworkStatus failed = new NodeNetworkStatus();
    failed.setBridge(status.getBridge());
    failed.setRoutes(status.getRoutes());
    failed.setUplink(status.getUplink());
    failed.setUnreachablePeers(status.getUnreachablePeers());
    failed.setConditions(conditions);
    failed.setObservedGeneration(status.getObservedGeneration());
    return failed;
  }

  private static void set(ConditionList conditions, String type, Part part) {
    conditions.set(type, part.ok(), part.reason(), part.message());
  }

  private static Uplink uplink(NodeUplink found) {
    Uplink uplink = new Uplink();
    uplink.setName(found.name());
    uplink.setMac(found.mac());
    uplink.setMtu(found.mtu());
    return uplink;
  }
}
