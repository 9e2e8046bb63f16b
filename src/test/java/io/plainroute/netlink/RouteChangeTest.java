package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How a change whose acknowledgement was lost is judged from a dump. */
class RouteChangeTest {
  private static final Route VIA_GATEWAY = Route.via(Ipv4Prefix.parse("10.9.0.0/24"),
      Ipv4Prefix.parseAddress("10.0.0.2"), 0, 200);
  /** VIA_GATEWAY as a dump shows it: with the link the kernel resolved for the gateway. */
  private static final Route INSTALLED = Route.via(Ipv4Prefix.parse("10.9.0.0/24"),
      Ipv4Prefix.parseAddress("10.0.0.2"), 2, 200);

  @Test
  void addIsDoneWhenTheDumpShowsTheRouteWithAResolvedLink() {
    assertThat(RouteChange.add(VIA_GATEWAY).isVisibleIn(List.of(INSTALLED))).isTrue();
    assertThat(RouteChange.replace(VIA_GATEWAY).isVisibleIn(List.of(INSTALLED))).isTrue();
    assertThat(RouteChange.add(VIA_GATEWAY).isVisibleIn(List.of())).isFalse();
  }

  @Test
  void addIsNotDoneWhenTheDumpShowsAnotherOwnerOrGateway() {
    Route otherProtocol = Route.via(INSTALLED.destination(), INSTALLED.gateway().orElseThrow(), 2, 201);
    Route otherGateway = Route.via(INSTALLED.destination(), Ipv4Prefix.parseAddress("10.0.0.3"), 2, 200);

    assertThat(RouteChange.add(VIA_GATEWAY).isVisibleIn(List.of(otherProtocol, otherGateway))).isFalse();
  }

  @Test
  void deleteIsDoneWhenTheDumpNoLongerShowsTheRoute() {
    assertThat(RouteChange.delete(VIA_GATEWAY).isVisibleIn(List.of())).isTrue();
    assertThat(RouteChange.delete(VIA_GATEWAY).isVisibleIn(List.of(INSTALLED))).isFalse();
  }
}
