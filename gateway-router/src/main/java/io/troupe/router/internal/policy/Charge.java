package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.router.StateChange.PolicyKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one admitted request owes the meters of the policies it met: its answer's bytes when it is
 * delivered, and the end of its place among the consumer's requests in flight when it concludes.
 * Not thread-safe: the router's lock guards it.
 */
public final class Charge {

  /** A request no policy meters: server-to-server traffic, or no policy applies. */
  public static final Charge NONE = new Charge("", List.of(), List.of(), 0);

  /** A policy met and the consumer's meter of it. */
  record Metered(PolicyKey key, AccessPolicy policy, Meter meter) {}

  final String identity;
  private final List<Metered> metered;

  /** Policies of servers the request was sent to, with a place in flight there. */
  private final List<Metered> servers;

  /** How long the bandwidth holds the request before it may be forwarded. */
  private final long delayMs;

  private boolean concluded;

  Charge(
      final String identity,
      final List<Metered> metered,
      final List<Metered> servers,
      final long delayMs) {
    this.identity = identity;
    this.metered = metered;
    this.servers = servers;
    this.delayMs = delayMs;
  }

  /** How long the consumer's bandwidth threshold holds the request: 0 to forward it now. */
  public long delayMs() {
    return delayMs;
  }

  List<Metered> metered() {
    return metered;
  }

  List<Metered> servers() {
    return servers;
  }

  boolean meters() {
    return this != NONE;
  }

  /** Marks the request concluded; whether it was not already. */
  boolean conclude() {
    if (concluded || this == NONE) {
      return false;
    }
    concluded = true;
    return true;
  }

  static Charge of(final String identity, final List<Metered> metered, final long delayMs) {
    return new Charge(identity, metered, new ArrayList<>(1), delayMs);
  }
}
