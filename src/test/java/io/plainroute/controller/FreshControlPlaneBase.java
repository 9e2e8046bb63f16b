package io.plainroute.controller;

import io.plainroute.testing.ControlPlane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The shared fixture of the controller ITs that need a clean slate per test: a fresh real control
 * plane (named after the test method) with the CRDs installed, a {@link Cluster} on it, and the
 * test's {@link #controller} (when it started one), all stopped after the test, also when it failed.
 * A subclass's own {@code @AfterEach} runs first, so it may stop replicas of its own before.
 */
abstract class FreshControlPlaneBase {
  ControlPlane plane;
  Cluster cluster;
  /** The test's controller process, if it started one; closed after the test. */
  ControllerHarness.Controller controller;

  @BeforeEach
  void freshControlPlane(TestInfo test) {
    plane = ControlPlane.builder().name(test.getTestMethod().orElseThrow().getName()).start();
    plane.installCrds(ControllerHarness.crds());
    cluster = new Cluster(plane.client());
  }

  @AfterEach
  void stopControllerAndControlPlane() {
    try {
      if (controller != null) {
        controller.close();
      }
    } finally {
      if (plane != null) {
        plane.close();
      }
    }
  }

  /** The usual controller replica (lease plainroute-controller), as {@link #controller}. */
  void startController() {
    controller = ControllerHarness.start(plane, "controller", "plainroute-controller");
  }
}
