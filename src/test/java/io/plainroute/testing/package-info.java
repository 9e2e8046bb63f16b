/**
 * The test harness; docs/testing.md is its guide (what each piece does, why kernel tests use
 * {@link io.plainroute.testing.TestNamespaces} while e2e tests drive the bash lab, and how to
 * write a kernel test, an IT and an e2e).
 *
 * <ul>
 *   <li>Commands: {@link io.plainroute.testing.Command} runs every short-lived tool, with a
 *       timeout that fires (output to files, never read before the wait).
 *   <li>Namespaces: {@link io.plainroute.testing.TestNamespaces} is the one notion of a network
 *       namespace for a test; {@link io.plainroute.testing.KernelTestBase} binds it to JUnit,
 *       {@link io.plainroute.testing.NetnsLab} builds a LAN of nodes from it,
 *       {@link io.plainroute.testing.CniRuntime} attaches pods with CNI plugins.
 *   <li>Control plane: {@link io.plainroute.testing.ControlPlane} (lifecycle) over
 *       {@link io.plainroute.testing.Kubectl}, {@link io.plainroute.testing.CrdInstaller},
 *       {@code LoopbackPorts}, {@code Kubeconfig}, {@code HealthProbe}, {@code ManagedProcess};
 *       {@link io.plainroute.testing.WithControlPlane} gives a class one.
 *   <li>Operator: {@link io.plainroute.testing.OperatorProcess} (the packaged jar as a process);
 *       {@link io.plainroute.testing.AgentCluster} (nodes, control plane, controller and agents:
 *       the agent ITs' fixture).
 *   <li>Lab: {@link io.plainroute.testing.Lab} drives {@code hack/lab/lab.sh} for the e2e tests.
 * </ul>
 */
package io.plainroute.testing;
