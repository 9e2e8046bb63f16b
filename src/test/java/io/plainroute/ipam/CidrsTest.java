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
      "10.244.0.0, not an IPv4 or IPv6 network",
      "FD00::/64, did you mean fd00::/64",
      "fd00:0:0:0::/64, did you mean fd00::/64",
      "fd00::1/64, did you mean fd00::/64",
      "::ffff:10.0.0.0/104, not an IPv4 or IPv6 network",
      "fd00::/129, not an IPv4 or IPv6 network",
      "10.244.0.0/33, not an IPv4 or IPv6 network",
      "banana, not an IPv4 or IPv6 network",
      // the IP address library throws ArrayIndexOutOfBounds on a prefix length this long (PoolSpecFuzzTest)
      "222222222/222222222221, not an IPv4 or IPv6 network",
      "10.0.0.0/222222222221, not an IPv4 or IPv6 network",
      // the library reads wildcards and ranges, and its canonical form keeps them (PoolSpecFuzzTest)
      "*.0.0.0/22, not an IPv4 or IPv6 network",
      "10-11.0.0.0/16, not an IPv4 or IPv6 network",
      "fd00::*/64, not an IPv4 or IPv6 network"
  })
  void refusesWhatAPersonWouldMisread(String text, String expected) {
    assertThatThrownBy(() -> Cidrs.parseNetwork(text))
        .isInstanceOf(Cidrs.InvalidCidrException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.244.0.0/16", "FD00::1", "fd00:0::1", "::ffff:10.0.0.1", "fd00::/64", "", "1.2.3", "010.0.0.1", "10.0.0.1/32", "10.0.0.1/222222222221"})
  void addressesArePlainAndCanonical(String text) {
    assertThat(Cidrs.parseAddress(text)).isEmpty();
  }

  @Test
  void nameAndGatewayOfASubnet() throws Exception {
    var subnet = Cidrs.parseNetwork("10.244.3.0/24");
    assertThat(Cidrs.objectName(subnet)).isEqualTo("10.244.3.0-24");
    assertThat(Cidrs.gateway(subnet).toCanonicalString()).isEqualTo("10.244.3.1");
    assertThat(Cidrs.gateway(Cidrs.parseNetwork("10.9.0.252/30")).toCanonicalString()).isEqualTo("10.9.0.253");
  }

  @Test
  void parsesCanonicalIPv6NetworksAndAddresses() throws Exception {
    assertThat(Cidrs.parseNetwork("fd00:10:244::/56").toCanonicalString()).isEqualTo("fd00:10:244::/56");
    assertThat(Cidrs.parseAddress("fd00:10::11").map(a -> a.toCanonicalString())).contains("fd00:10::11");
    assertThat(Cidrs.parseAddress("fd00:10::11", Family.IPv4)).isEmpty();
    assertThat(Cidrs.parseAddress("10.0.0.1", Family.IPv4)).isPresent();
  }

  @Test
  void anIPv6SubnetsNameIsAValidUniqueObjectName() throws Exception {
    var subnet = Cidrs.parseNetwork("fd00:10:244:1::/64");
    assertThat(Cidrs.objectName(subnet)).isEqualTo("fd00-0010-0244-0001-0000-0000-0000-0000-64")
        .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").hasSizeLessThanOrEqualTo(253);
    // The same address with another prefix length is another subnet, so another name.
    assertThat(Cidrs.objectName(Cidrs.parseNetwork("fd00::/64"))).isNotEqualTo(Cidrs.objectName(Cidrs.parseNetwork("fd00::/63")));
    assertThat(Cidrs.gateway(subnet).toCanonicalString()).isEqualTo("fd00:10:244:1::1");
  }
}
