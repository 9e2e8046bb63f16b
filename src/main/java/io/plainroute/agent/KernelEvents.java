package io.plainroute.agent;

import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * The agent's reading of rtnetlink notifications (invariant 7). What someone else did to a route,
 * the bridge or its gateway address is put back at once, on the notification's own thread, from
 * the last desired state ({@link NodeDataplane#onEvent}), and a pass follows later
 * ({@link FollowUpPass}); a pass comes at once only when something plainroute owns changed in a
 * way only a pass can handle — never for the links and addresses of every pod's veth.
 */
final class KernelEvents implements Consumer<NetlinkEvent> {
  private static final Logger LOG = Logger.getLogger(KernelEvents.class);

  private final NodeDataplane dataplane;
  private final Runnable pass;
  private final Runnable followUp;
  private final LongConsumer repairedInNanos;

  /**
   * @param pass asks for a full pass now
   * @param followUp asks for the pass that follows a repair, which need not come at once
   * @param repairedInNanos told, for each repair, the time from reading the notification to the
   *     kernel's acknowledgement of the repair
   */
  KernelEvents(NodeDataplane dataplane, Runnable pass, Runnable followUp, LongConsumer repairedInNanos) {
    this.dataplane = dataplane;
    this.pass = pass;
    this.followUp = followUp;
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
      followUp.run();
    } else if (reaction == Reaction.PASS) {
      pass.run();
    }
  }
}
