package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** The interface that carries the node's IP, as the agent found it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Uplink {
  private String name;
  private String mac;
  private Integer mtu;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getMac() {
    return mac;
  }

  public void setMac(String mac) {
    this.mac = mac;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Uplink other
        && Objects.equals(name, other.name)
        && Objects.equals(mac, other.mac)
        && Objects.equals(mtu, other.mtu);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, mac, mtu);
  }
}
