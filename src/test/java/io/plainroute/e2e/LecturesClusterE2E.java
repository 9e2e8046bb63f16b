package io.plainroute.e2e;

import io.plainroute.testing.Lab;

/** The lectures' cluster, as {@code make demo} shows it: node01-03 at 192.168.1.11-13, 10.244.0.0/16, a /24 each. */
class LecturesClusterE2E extends LabClusterE2E {

  @Override
  Lab.Topology topology() {
    return Lab.Topology.lectures();
  }
}
