package io.troupe.router;

import com.google.common.base.Preconditions;
import io.troupe.proto.v1.ClientBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which identity each MQTT client id belongs to, so that no identity can take over another's
 * session or read its response namespace {@code {root}/r/{clientId}/}.
 *
 * <p>The rule: a client id equal to an identity's name belongs to that identity only; any other
 * client id belongs to the first identity that connected with it. Every identity holds at most
 * {@code perIdentity} bindings; the least recently used one goes when it binds one more (clients
 * such as {@code mosquitto_rr} without {@code -i} make a random id per run). A binding is also
 * recorded for an identity's own name, so that "this identity has used this id before" is one
 * question for every id: a session is only resumed under a binding that already existed.
 *
 * <p>Part of {@link Registry}: mutable, not thread-safe, guarded by the router's lock. Only the
 * binding's first use is kept ({@code bound_at_ms}); recency lives in memory and in the order of
 * {@link #toRecords()} (least recently used first), so using a binding writes nothing.
 */
final class ClientIds {

  /** The default of bindings per identity. */
  static final int DEFAULT_PER_IDENTITY = 1_000;

  /** The outcome of {@link #claim}. */
  enum Claim {
    /** The identity already held this client id. */
    HELD,
    /** The client id is now bound to the identity for the first time: resume no session. */
    BOUND,
    /** The client id belongs to another identity. */
    TAKEN
  }

  private final int perIdentity;
  private final Map<String, ClientBinding> byClientId = new HashMap<>();
  // Per identity, in access order: the first entry is the least recently used.
  private final Map<String, LinkedHashMap<String, ClientBinding>> byIdentity = new HashMap<>();

  ClientIds(final int perIdentity) {
    Preconditions.checkArgument(perIdentity > 0, "perIdentity must be positive: %s", perIdentity);
    this.perIdentity = perIdentity;
  }

  /**
   * Binds {@code clientId} to {@code identity} if the rule allows it.
   *
   * @param isIdentity whether a name is an existing identity's name
   * @return {@link Claim#HELD} or {@link Claim#BOUND} when {@code identity} may use the id (the
   *     binding is then its most recently used), {@link Claim#TAKEN} when it belongs to another
   */
  Claim claim(
      final String clientId,
      final String identity,
      final Predicate<String> isIdentity,
      final long nowMs) {
    if (isIdentity.test(clientId) && !clientId.equals(identity)) {
      return Claim.TAKEN;
    }
    final ClientBinding existing = byClientId.get(clientId);
    if (existing != null && existing.getIdentity().equals(identity)) {
      byIdentity.get(identity).get(clientId); // touch: now the most recently used
      return Claim.HELD;
    }
    if (existing != null && !clientId.equals(identity)) {
      return Claim.TAKEN;
    }
    // New, or a stale binding of an identity's name to someone else (the identity was created
    // after that client used its name as a client id): the name's identity wins.
    if (existing != null) {
      unbind(existing);
    }
    put(
        ClientBinding.newBuilder()
            .setClientId(clientId)
            .setIdentity(identity)
            .setBoundAtMs(nowMs)
            .build());
    return Claim.BOUND;
  }

  /**
   * Whether {@code identity} has connected with {@code clientId} before and still may: only then
   * may a connection resume the session stored under that client id.
   */
  boolean isHeldBy(final String clientId, final String identity) {
    final ClientBinding b = byClientId.get(clientId);
    return b != null && b.getIdentity().equals(identity);
  }

  /** The identity {@code clientId} is bound to, if any. */
  Optional<String> holder(final String clientId) {
    return Optional.ofNullable(byClientId.get(clientId)).map(ClientBinding::getIdentity);
  }

  /** Drops every binding of {@code identity}: called when the identity is removed. */
  void forget(final String identity) {
    final Map<String, ClientBinding> held = byIdentity.remove(identity);
    if (held != null) {
      held.keySet().forEach(byClientId::remove);
    }
  }

  /** How many client ids {@code identity} holds. */
  int countOf(final String identity) {
    final Map<String, ClientBinding> held = byIdentity.get(identity);
    return held == null ? 0 : held.size();
  }

  /** Every binding, per identity least recently used first. */
  List<ClientBinding> toRecords() {
    final List<ClientBinding> all = new ArrayList<>(byClientId.size());
    byIdentity.values().forEach(held -> all.addAll(held.values()));
    return all;
  }

  /** Replaces every binding with {@code records}, in their order (least recently used first). */
  void load(final List<ClientBinding> records) {
    byClientId.clear();
    byIdentity.clear();
    records.forEach(this::put);
  }

  private void put(final ClientBinding binding) {
    final LinkedHashMap<String, ClientBinding> held =
        byIdentity.computeIfAbsent(
            binding.getIdentity(), i -> new LinkedHashMap<>(16, 0.75f, true));
    held.put(binding.getClientId(), binding);
    byClientId.put(binding.getClientId(), binding);
    final Iterator<ClientBinding> oldest = held.values().iterator();
    while (held.size() > perIdentity) {
      byClientId.remove(oldest.next().getClientId());
      oldest.remove();
    }
  }

  private void unbind(final ClientBinding binding) {
    byClientId.remove(binding.getClientId());
    final Map<String, ClientBinding> held = byIdentity.get(binding.getIdentity());
    if (held != null) {
      held.remove(binding.getClientId());
      if (held.isEmpty()) {
        byIdentity.remove(binding.getIdentity());
      }
    }
  }
}
