package io.troupe.router.internal.registry;

import io.troupe.proto.v1.ClientBinding;
import io.troupe.router.ClientIdClaim;
import io.troupe.router.ClientIdLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which identity each MQTT client id belongs to, so that no identity can take over another's
 * session or read its response namespace {@code {root}/r/{clientId}/}.
 *
 * <p>The rule: a client id equal to an identity's name belongs to that identity; otherwise a client
 * id {@code NAME-…} where {@code NAME} is an identity's name belongs to that identity (the longest
 * such name wins), so that {@code mosquitto_rr -i alice-rr} is alice's before she first uses it.
 * Any other client id belongs to the first identity that connected with it. A binding is recorded
 * for every id an identity connects with, its own name included, so that "this identity has used
 * this id before" is one question for every id: a session is only resumed under a binding that
 * already existed.
 *
 * <p>Bindings stored before the rule, or before the identity the rule names existed, give way to
 * that identity: its holder is refused the id from then on, and the binding moves to the rule's
 * identity when it first connects with it (starting clean, inheriting nothing). Those found in the
 * store at start, and stored ids longer than today's limit, are dropped then ({@link
 * #dropUnusable}).
 *
 * <p>Bounds ({@link ClientIdLimits}): a client id longer than the limit is refused. An identity at
 * its limit loses its least recently used binding whose session is not connected (clients such as
 * {@code mosquitto_rr} without {@code -i} make a random id per run); the binding of a connected
 * session, or of a login in the last {@link #CONNECTING_MS} ms not yet reported connected, is never
 * evicted: the new id is refused instead. When all identities together hold the total, a new id is
 * bound only in place of an idle one of the same identity, never of another's.
 *
 * <p>Part of {@link Registry}: mutable, not thread-safe, guarded by the router's lock. Only the
 * binding's first use is kept ({@code bound_at_ms}); recency lives in memory and in the order of
 * {@link #toRecords()} (least recently used first), so using a binding writes nothing.
 */
public final class ClientIds {

  /**
   * How long a binding just claimed counts as in use before its session is reported connected:
   * longer than the authenticator's timeout.
   */
  static final long CONNECTING_MS = 30_000;

  private final ClientIdLimits limits;
  private final Predicate<String> isIdentity;
  private final Map<String, Binding> byClientId = new HashMap<>();
  // Per identity, in access order: the first entry is the least recently used.
  private final Map<String, LinkedHashMap<String, Binding>> byIdentity = new HashMap<>();

  /** A stored binding and what only memory knows of it. */
  private static final class Binding {
    final ClientBinding record;
    long claimedAtMs;

    /** The connection using it now, or {@code null}. */
    Long connection;

    Binding(final ClientBinding record, final long claimedAtMs) {
      this.record = record;
      this.claimedAtMs = claimedAtMs;
    }

    String identity() {
      return record.getIdentity();
    }

    boolean inUse(final long nowMs) {
      return connection != null || nowMs - claimedAtMs < CONNECTING_MS;
    }
  }

  /**
   * @param isIdentity whether a name is an existing identity's name, asked at each claim
   */
  ClientIds(final ClientIdLimits limits, final Predicate<String> isIdentity) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.isIdentity = Objects.requireNonNull(isIdentity, "isIdentity");
  }

  /**
   * Binds {@code clientId} to {@code identity} if the rule and the limits allow it.
   *
   * @return {@link ClientIdClaim#HELD} or {@link ClientIdClaim#BOUND} when {@code identity} may use
   *     the id (the binding is then its most recently used); otherwise the refusal, which changes
   *     nothing
   */
  public ClientIdClaim claim(final String clientId, final String identity, final long nowMs) {
    if (clientId.length() > limits.maxLength()) {
      return ClientIdClaim.TOO_LONG;
    }
    final Optional<String> owner = ownerByName(clientId);
    if (owner.isPresent() && !owner.get().equals(identity)) {
      return ClientIdClaim.TAKEN;
    }
    final Binding existing = byClientId.get(clientId);
    if (existing != null && existing.identity().equals(identity)) {
      byIdentity.get(identity).get(clientId); // touch: now the most recently used
      existing.claimedAtMs = nowMs;
      return ClientIdClaim.HELD;
    }
    if (existing != null && owner.isEmpty()) {
      return ClientIdClaim.TAKEN;
    }
    final int held = countOf(identity);
    // A binding the rule takes from its earlier holder frees a place in all.
    final int total = byClientId.size() - (existing == null ? 0 : 1);
    if (held >= limits.maxPerIdentity() || total >= limits.maxTotal()) {
      if (!evictIdle(identity, nowMs)) {
        return held >= limits.maxPerIdentity()
            ? ClientIdClaim.OVER_IDENTITY_LIMIT
            : ClientIdClaim.OVER_TOTAL_LIMIT;
      }
    }
    if (existing != null) {
      unbind(existing);
    }
    put(
        new Binding(
            ClientBinding.newBuilder()
                .setClientId(clientId)
                .setIdentity(identity)
                .setBoundAtMs(nowMs)
                .build(),
            nowMs));
    return ClientIdClaim.BOUND;
  }

  /**
   * Whether {@code identity} has connected with {@code clientId} before and still may: only then
   * may a connection resume the session stored under that client id.
   */
  public boolean isHeldBy(final String clientId, final String identity) {
    final Binding b = byClientId.get(clientId);
    return b != null
        && b.identity().equals(identity)
        && ownerByName(clientId).map(identity::equals).orElse(true);
  }

  /**
   * Whether no identity holds {@code clientId} or owns it by name: what a session that is no
   * identity's (an invitee's) may connect with, so that it takes over nobody's session.
   */
  public boolean isFree(final String clientId) {
    return !byClientId.containsKey(clientId) && ownerByName(clientId).isEmpty();
  }

  /** The identity {@code clientId} is bound to, if any. */
  Optional<String> holder(final String clientId) {
    return Optional.ofNullable(byClientId.get(clientId)).map(Binding::identity);
  }

  /** A session with {@code clientId} started: its binding is not evicted while it lasts. */
  public void connected(final String clientId, final long connectionId) {
    final Binding b = byClientId.get(clientId);
    if (b != null) {
      b.connection = connectionId;
      b.claimedAtMs = Long.MIN_VALUE / 2; // no longer connecting: in use while connected only
    }
  }

  /** A session ended, unless a newer connection of the same client id replaced it. */
  public void disconnected(final String clientId, final long connectionId) {
    final Binding b = byClientId.get(clientId);
    if (b != null && Objects.equals(b.connection, connectionId)) {
      b.connection = null;
    }
  }

  /** Drops every binding of {@code identity}: called when the identity is removed. */
  public void forget(final String identity) {
    final Map<String, Binding> held = byIdentity.remove(identity);
    if (held != null) {
      held.keySet().forEach(byClientId::remove);
    }
  }

  /** How many client ids {@code identity} holds. */
  int countOf(final String identity) {
    final Map<String, Binding> held = byIdentity.get(identity);
    return held == null ? 0 : held.size();
  }

  /** How many client ids all identities hold. */
  int size() {
    return byClientId.size();
  }

  /** Every binding, per identity least recently used first. */
  List<ClientBinding> toRecords() {
    final List<ClientBinding> all = new ArrayList<>(byClientId.size());
    byIdentity.values().forEach(held -> held.values().forEach(b -> all.add(b.record)));
    return all;
  }

  /**
   * Replaces every binding with {@code records}, in their order (least recently used first), as
   * they are: an identity holding more than today's limit keeps them, and each id it binds from
   * then on replaces its least recently used idle one. Over-long ids, which no login can use any
   * more, are never used again and so fall to the front of that order.
   */
  void load(final List<ClientBinding> records) {
    byClientId.clear();
    byIdentity.clear();
    records.forEach(r -> put(new Binding(r, Long.MIN_VALUE / 2)));
  }

  /**
   * Drops the loaded bindings that no login could use under today's rule and limits: ids longer
   * than the limit (an earlier gateway stored them), and ids the rule gives to another identity
   * than their holder (bound before the rule, or before that identity existed). Done once, after
   * {@link #load}; later conflicts (an identity created meanwhile) are settled at {@link #claim}.
   *
   * @return how many were dropped
   */
  public int dropUnusable() {
    final List<Binding> unusable = new ArrayList<>();
    for (final Binding b : byClientId.values()) {
      final String id = b.record.getClientId();
      if (id.length() > limits.maxLength()
          || !ownerByName(id).map(b.identity()::equals).orElse(true)) {
        unusable.add(b);
      }
    }
    unusable.forEach(this::unbind);
    return unusable.size();
  }

  /** The identity the rule gives {@code clientId}: its name, or the longest name before a '-'. */
  private Optional<String> ownerByName(final String clientId) {
    if (isIdentity.test(clientId)) {
      return Optional.of(clientId);
    }
    for (int dash = clientId.lastIndexOf('-');
        dash > 0;
        dash = clientId.lastIndexOf('-', dash - 1)) {
      final String name = clientId.substring(0, dash);
      if (isIdentity.test(name)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** Drops {@code identity}'s least recently used binding not in use; false when all are. */
  private boolean evictIdle(final String identity, final long nowMs) {
    final Map<String, Binding> held = byIdentity.get(identity);
    if (held == null) {
      return false;
    }
    final Iterator<Binding> oldestFirst = held.values().iterator();
    while (oldestFirst.hasNext()) {
      final Binding b = oldestFirst.next();
      if (!b.inUse(nowMs)) {
        oldestFirst.remove();
        byClientId.remove(b.record.getClientId());
        return true;
      }
    }
    return false;
  }

  private void put(final Binding binding) {
    byIdentity
        .computeIfAbsent(binding.identity(), i -> new LinkedHashMap<>(16, 0.75f, true))
        .put(binding.record.getClientId(), binding);
    byClientId.put(binding.record.getClientId(), binding);
  }

  private void unbind(final Binding binding) {
    byClientId.remove(binding.record.getClientId());
    final Map<String, Binding> held = byIdentity.get(binding.identity());
    if (held != null) {
      held.remove(binding.record.getClientId());
      if (held.isEmpty()) {
        byIdentity.remove(binding.identity());
      }
    }
  }
}
