package io.plainroute.agent;

import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * The agent's reading of rtnetlink notifications (invariant 7). What someone else did to a route,
 * the bridge or its gateway address is put back at once, on the notification's own thread, from
 * the last desired state ({@link NodeDataplane#onEvent}); a full pass follows only when something
 * plainroute owns changed — not for the links and addresses of every pod's veth.
 */
final class KernelEvents implements Consumer<NetlinkEvent> {
  private static final Logger LOG = Logger.getLogger(KernelEvents.class);

  private final NodeDataplane dataplane;
  private final Runnable pass;
  private final LongConsumer repairedInNanos;

  /**
   * @param pass asks for a full pass
   * @param repairedInNanos told, for each repair, the time from reading the notification to the
   *     kernel's acknowledgement of the repair
   */
  KernelEvents(NodeDataplane dataplane, Runnable pass, LongConsumer repairedInNanos) {
    this.dataplane = dataplane;
    this.pass = pass;
    this.repairedInNanos = repairedInNanos;
  }

  @Override
  public void accept(NetlinkEvent event) {
    long seen = System.nanoTime();
    Reaction reaction;
    try {
      reaction = dataplane.onEvent(event);
    } catch (NetlinkException e) {
      LOG.debugf("could not repair at once after %s (%s): a pass will", event, e.getMessage());
      reaction = Reaction.PASS;
    }
    if (reaction == Reaction.REPAIRED) {
      repairedInNanos.accept(System.nanoTime() - seen);
    }
    if (reaction != Reaction.IGNORE) {
      pass.run();
    }
  }
}
