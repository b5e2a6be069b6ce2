package io.troupe.router.internal.registry;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.ServerRole;

/**
 * A device registered as a server of a {@link Service}: its role, whether it is enabled, the
 * anonymity it asked for. Not thread-safe: the router's lock guards it.
 */
public final class ServerEntry {
  private final String device;
  private ServerRole role;
  private boolean enabled;
  private final long registeredAtMs;

  /** The anonymity the server asked for itself (R15). */
  private Anonymity anonymity = Anonymity.NAMED;

  public ServerEntry(
      final String device,
      final ServerRole role,
      final boolean enabled,
      final long registeredAtMs) {
    this.device = device;
    this.role = role;
    this.enabled = enabled;
    this.registeredAtMs = registeredAtMs;
  }

  public String device() {
    return device;
  }

  public ServerRole role() {
    return role;
  }

  public void setRole(final ServerRole role) {
    this.role = role;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(final boolean enabled) {
    this.enabled = enabled;
  }

  long registeredAtMs() {
    return registeredAtMs;
  }

  public Anonymity anonymity() {
    return anonymity;
  }

  public void setAnonymity(final Anonymity anonymity) {
    this.anonymity = anonymity;
  }
}
