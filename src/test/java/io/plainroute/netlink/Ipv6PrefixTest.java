package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** IPv6 prefixes typed once at the edge: parsed without DNS, printed in RFC 5952's short form. */
class Ipv6PrefixTest {

  @Test
  void printsTheShortFormWhateverTheInputsForm() {
    assertThat(Ipv6Prefix.parse("FD00:0010:0244:0001:0000:0000:0000:0001/64")).hasToString("fd00:10:244:1::1/64");
    assertThat(Ipv6Prefix.parse("::/0")).hasToString("::/0");
    assertThat(Ipv6Prefix.parse("2001:db8:0:0:1:0:0:1/128")).hasToString("2001:db8::1:0:0:1/128");
    assertThat(Ipv6Prefix.parse("fd00::/8")).hasToString("fd00::/8");
    assertThat(Ipv6Prefix.parse("1:0:2:0:3:0:4:0/128")).hasToString("1:0:2:0:3:0:4:0/128");
  }

  @Test
  void clearsHostBitsOnEitherHalf() {
    assertThat(Ipv6Prefix.parse("fd00:10:244:1::1/64").network()).isEqualTo(Ipv6Prefix.parse("fd00:10:244:1::/64"));
    assertThat(Ipv6Prefix.parse("fd00:10:244:1::1/48").network()).isEqualTo(Ipv6Prefix.parse("fd00:10:244::/48"));
    assertThat(Ipv6Prefix.parse("fd00::ff/120").network()).isEqualTo(Ipv6Prefix.parse("fd00::/120"));
    assertThat(Ipv6Prefix.parse("fd00:10:244:1::/64").isNetwork()).isTrue();
    assertThat(Ipv6Prefix.parse("fd00::1/128").isNetwork()).isTrue();
  }

  @Test
  void coversOnlyItsOwnFamilyAndLongerPrefixesInside() {
    IpPrefix range = IpPrefix.parse("fd00:10:244::/48");
    assertThat(range.covers(IpPrefix.parse("fd00:10:244:7::/64"))).isTrue();
    assertThat(range.covers(IpPrefix.parse("fd00:10:245::/64"))).isFalse();
    assertThat(range.covers(IpPrefix.parse("fd00::/16"))).isFalse();
    assertThat(IpPrefix.parse("0.0.0.0/0").covers(IpPrefix.parse("fd00::/64"))).isFalse();
  }

  @Test
  void theFamilyIsTheType() {
    assertThat(IpPrefix.parse("10.244.0.0/16")).isInstanceOf(Ipv4Prefix.class);
    assertThat(IpPrefix.parse("fd00:10:244::/48")).isInstanceOf(Ipv6Prefix.class);
    assertThat(IpPrefix.parse("fd00:10:244::/48").family()).isEqualTo(IpFamily.IPV6);
    assertThat(Ipv6Prefix.parse("fe80::1/64").isLinkLocal()).isTrue();
    assertThat(Ipv6Prefix.parse("fd00::1/64").isLinkLocal()).isFalse();
  }

  @Test
  void refusesWhatIsNotAnIpv6PrefixNamingTheInput() {
    for (String bad : new String[] {"fd00::", "fd00::/129", "fd00::/", "fd00::/-1", "localhost:80/64", "fd00::1%eth0/64",
        "::ffff:10.0.0.1/128", "fd00:::1/64", "1:2:3:4:5:6:7:8:9/64"}) {
      assertThatThrownBy(() -> Ipv6Prefix.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }
}
