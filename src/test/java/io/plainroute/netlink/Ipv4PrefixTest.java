package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4PrefixTest {

  @Test
  void parsesAndPrints() {
    Ipv4Prefix prefix = Ipv4Prefix.parse("10.244.3.1/24");

    assertThat(prefix.address().getHostAddress()).isEqualTo("10.244.3.1");
    assertThat(prefix.length()).isEqualTo(24);
    assertThat(prefix).hasToString("10.244.3.1/24");
  }

  @Test
  void networkClearsTheHostBits() {
    assertThat(Ipv4Prefix.parse("10.200.3.7/24").network()).isEqualTo(Ipv4Prefix.parse("10.200.3.0/24"));
    assertThat(Ipv4Prefix.parse("255.255.255.255/0").network()).isEqualTo(Ipv4Prefix.parse("0.0.0.0/0"));
    assertThat(Ipv4Prefix.parse("192.168.7.9/32").isNetwork()).isTrue();
    assertThat(Ipv4Prefix.parse("10.200.3.7/24").isNetwork()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.256/8", "10.0.0.x/8", "a.b.c.d/8",
      "10..0.0/8", "10.0.0.0/", "/8", "0010.0.0.0/8"})
  void refusesWhatIsNotAPrefix(String text) {
    assertThatThrownBy(() -> Ipv4Prefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
