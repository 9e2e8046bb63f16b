package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

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
}
