package io.plainroute.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerAddressTest {

  @Test
  void readsHostAndPortOfEitherFamily() {
    assertThat(ApiServerAddress.parse("192.168.1.10:6443", "f")).isEqualTo(new ApiServerAddress("192.168.1.10", 6443));
    assertThat(ApiServerAddress.parse("[fd00::10]:443", "f")).isEqualTo(new ApiServerAddress("fd00::10", 443));
    assertThat(ApiServerAddress.parse("api.example:6443", "f")).isEqualTo(new ApiServerAddress("api.example", 6443));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "192.168.1.10", "https://192.168.1.10:6443", "192.168.1.10:6443/x", "fd00::10:6443",
      "192.168.1.10:0", "192.168.1.10:70000", "user@host:6443"})
  void refusesWhatIsNoHostAndPortNamingTheSetting(String value) {
    assertThatThrownBy(() -> ApiServerAddress.parse(value, "plainroute.agent-install.api-server"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("plainroute.agent-install.api-server: '" + value + "' is no HOST:PORT");
  }
}
