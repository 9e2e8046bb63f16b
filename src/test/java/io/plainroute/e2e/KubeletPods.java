package io.plainroute.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.plainroute.testing.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test pods of a real-node lab ({@code lab.sh up --real-nodes}): Pods in the namespace "default"
 * pinned to a node, run by its kubelet from the lab's test-pod image (busybox and socat), attached
 * by its containerd with the conflist the agent wrote; commands run in them with
 * {@code kubectl exec}.
 */
final class KubeletPods {

  static final String IMAGE = "localhost/plainroute-lab/testpod:1";
  /** The port of the pods' UDP echo, and of the lab's (lab.sh echo-server). */
  static final int ECHO_PORT = 7777;

  private final Lab lab;

  KubeletPods(Lab lab) {
    this.lab = lab;
  }

  /** Creates pod {@code name} on {@code node} and waits until it runs; returns its address. */
  String start(String node, String name, Duration within) {
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("main").withImage(IMAGE).withImagePullPolicy("Never")
        // A UDP echo that answers each datagram with the address it came from.
        .withCommand("/bin/socat", "UDP4-RECVFROM:" + ECHO_PORT + ",fork,reuseaddr", "SYSTEM:echo $SOCAT_PEERADDR")
        // Not BestEffort (cpu.shares 2): its echo answers within seconds on a busy machine too.
        .withNewResources().addToRequests("cpu", new Quantity("10m")).endResources()
        .endContainer().endSpec().build();
    lab.client().pods().inNamespace("default").resource(pod).create();
    await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
      Pod now = lab.client().pods().inNamespace("default").withName(name).get();
      return now != null && "Running".equals(now.getStatus().getPhase()) && now.getStatus().getPodIP() != null;
    });
    return address(name);
  }

  String address(String name) {
    return lab.client().pods().inNamespace("default").withName(name).get().getStatus().getPodIP();
  }

  /** Runs {@code command} in pod {@code name}; the result of {@code kubectl exec}. */
  Lab.Result exec(String name, String... command) {
    List<String> args = new ArrayList<>(List.of("kubectl", "exec", name, "--"));
    args.addAll(Arrays.asList(command));
    return lab.tryLab(args.toArray(String[]::new));
  }

  /** True if {@code count} pings from pod {@code from} to {@code address} are all answered. */
  boolean ping(String from, String address, int count) {
    return exec(from, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", address).ok();
  }

  /**
   * The address the UDP echo at {@code address} saw a datagram from pod {@code from} come from.
   * UDP may lose a datagram or its answer (a pod with little CPU on a busy machine answers late):
   * asked again until an answer comes, within {@code within}.
   */
  String sourceSeenBy(String from, String address, int port, Duration within) {
    AtomicReference<String> seen = new AtomicReference<>("");
    await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
      Lab.Result result = exec(from, "sh", "-c", "echo hello | socat -t 3 -T 3 - UDP4:" + address + ":" + port);
      seen.set(result.ok() ? result.stdout().strip() : "");
      return !seen.get().isEmpty();
    });
    return seen.get();
  }

  void delete(String name) {
    lab.client().pods().inNamespace("default").withName(name).delete();
  }
}
