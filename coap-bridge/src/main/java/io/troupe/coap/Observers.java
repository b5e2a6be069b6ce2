package io.troupe.coap;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The table of observations the bridge holds, counted per identity, per peer address and in all, so
 * that one identity (or one host) opening many cannot keep others from observing. An observation is
 * admitted before it is established and released when it ends; each is keyed by its own object
 * (Californium's relation), so releasing twice, or one never admitted, is harmless.
 */
final class Observers {

  /** Which bound refused an observation. */
  enum Limit {
    IDENTITY("this identity"),
    PEER("this address"),
    GATEWAY("the gateway");

    private final String whose;

    Limit(final String whose) {
      this.whose = whose;
    }
  }

  /** Why an observation was refused: the bound and its value. */
  record Refusal(Limit limit, int max) {
    String reason() {
      return "too many observations for " + limit.whose + " (at most " + max + "); retry later";
    }
  }

  private record Holder(String identity, InetAddress peer) {}

  private final ObserveLimits limits;
  private final Consumer<Limit> refused;
  private final Map<Object, Holder> held = new IdentityHashMap<>();
  private final Map<String, Integer> byIdentity = new HashMap<>();
  private final Map<InetAddress, Integer> byPeer = new HashMap<>();

  /**
   * @param refused told of each refusal (a metric)
   */
  Observers(final ObserveLimits limits, final Consumer<Limit> refused) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.refused = Objects.requireNonNull(refused, "refused");
  }

  /**
   * Counts {@code observation} for {@code identity} at {@code peer} unless a bound is reached.
   *
   * @return empty when admitted (or already held); the bound that refused it otherwise, having
   *     counted nothing
   */
  Optional<Refusal> admit(final Object observation, final String identity, final InetAddress peer) {
    final Optional<Refusal> refusal = count(observation, identity, peer);
    refusal.ifPresent(r -> refused.accept(r.limit()));
    return refusal;
  }

  private synchronized Optional<Refusal> count(
      final Object observation, final String identity, final InetAddress peer) {
    if (held.containsKey(observation)) {
      return Optional.empty();
    }
    if (held.size() >= limits.total()) {
      return Optional.of(new Refusal(Limit.GATEWAY, limits.total()));
    }
    if (byIdentity.getOrDefault(identity, 0) >= limits.perIdentity()) {
      return Optional.of(new Refusal(Limit.IDENTITY, limits.perIdentity()));
    }
    if (byPeer.getOrDefault(peer, 0) >= limits.perPeer()) {
      return Optional.of(new Refusal(Limit.PEER, limits.perPeer()));
    }
    held.put(observation, new Holder(identity, peer));
    byIdentity.merge(identity, 1, Integer::sum);
    byPeer.merge(peer, 1, Integer::sum);
    return Optional.empty();
  }

  /** Stops counting {@code observation}: it ended, or was never established. */
  synchronized void release(final Object observation) {
    final Holder h = held.remove(observation);
    if (h != null) {
      byIdentity.computeIfPresent(h.identity(), (k, n) -> n == 1 ? null : n - 1);
      byPeer.computeIfPresent(h.peer(), (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** How many observations are counted now. */
  synchronized int size() {
    return held.size();
  }

  /** How many observations {@code identity} holds now. */
  synchronized int of(final String identity) {
    return byIdentity.getOrDefault(identity, 0);
  }
}
