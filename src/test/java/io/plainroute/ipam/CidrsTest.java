package io.plainroute.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrsTest {

  @Test
  void parsesCanonicalNetworks() throws Exception {
    assertThat(Cidrs.parseNetwork("10.244.0.0/16").toCanonicalString()).isEqualTo("10.244.0.0/16");
    assertThat(Cidrs.parseNetwork("0.0.0.0/0").getNetworkPrefixLength()).isZero();
    assertThat(Cidrs.parseNetwork("192.168.7.4/30").getCount().longValue()).isEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource({
      "10.244.0.1/16, did you mean 10.244.0.0/16",
      "010.244.0.0/16, did you mean 8.244.0.0/16",
      "10.244/16, not in canonical form",
      "' 10.0.0.0/8', not in canonical form",
      "10.244.0.0, not an IPv4 network",
      "fd00::/64, not an IPv4 network",
      "10.244.0.0/33, not an IPv4 network",
      "banana, not an IPv4 network",
      // the IP address library throws ArrayIndexOutOfBounds on a prefix length this long (PoolSpecFuzzTest)
      "222222222/222222222221, not an IPv4 network",
      "10.0.0.0/222222222221, not an IPv4 network"
  })
  void refusesWhatAPersonWouldMisread(String text, String expected) {
    assertThatThrownBy(() -> Cidrs.parseNetwork(text))
        .isInstanceOf(Cidrs.InvalidCidrException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.244.0.0/16", "fd00::1", "", "1.2.3", "010.0.0.1", "10.0.0.1/32", "10.0.0.1/222222222221"})
  void addressesAreOnlyPlainIPv4(String text) {
    assertThat(Cidrs.parseAddress(text)).isEmpty();
  }

  @Test
  void nameAndGatewayOfASubnet() throws Exception {
    var subnet = Cidrs.parseNetwork("10.244.3.0/24");
    assertThat(Cidrs.objectName(subnet)).isEqualTo("10.244.3.0-24");
    assertThat(Cidrs.gateway(subnet).toCanonicalString()).isEqualTo("10.244.3.1");
    assertThat(Cidrs.gateway(Cidrs.parseNetwork("10.9.0.252/30")).toCanonicalString()).isEqualTo("10.9.0.253");
  }
}
