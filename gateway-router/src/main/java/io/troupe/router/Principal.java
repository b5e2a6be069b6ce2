package io.troupe.router;

import io.troupe.proto.v1.IdentityRole;
import java.util.Objects;

/**
 * An authenticated MQTT session: who it is and what it may do.
 *
 * @param identity the authenticated identity (MQTT user name)
 * @param role the identity's role
 * @param clientId the session's MQTT client id
 */
public record Principal(String identity, IdentityRole role, String clientId) {

  public Principal {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(clientId, "clientId");
  }

  /**
   * Whether this session speaks for the device named by its identity: a device identity whose
   * client id equals its name. Only such a session may publish the device's status and descriptors
   * and receive what the gateway sends the device.
   */
  public boolean isDevice() {
    return role == IdentityRole.DEVICE && identity.equals(clientId);
  }

  public boolean isAdmin() {
    return role == IdentityRole.ADMIN;
  }
}
