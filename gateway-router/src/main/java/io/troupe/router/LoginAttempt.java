package io.troupe.router;

import java.util.Objects;
import java.util.Optional;

/**
 * A client's CONNECT as the login check sees it.
 *
 * @param clientId the MQTT client id (the one the broker assigned when the client sent none)
 * @param userName the MQTT user name: the identity it claims
 * @param password the MQTT password, UTF-8
 * @param address where the connection comes from (an IP address), for backoff
 */
public record LoginAttempt(
    String clientId, Optional<String> userName, Optional<byte[]> password, String address) {

  public LoginAttempt {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(address, "address");
  }
}
