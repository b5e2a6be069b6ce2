package io.troupe.router.internal.policy;

import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.StateChange.PolicyKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every consumer's meters, by identity and policy, bounded per identity and in all: past either
 * bound an idle meter (nothing counted in its window, nothing in flight) is forgotten to make room,
 * the least recently used identity's first, and when none is idle the new meter is refused. The
 * meters whose windows changed are remembered until {@link #changed} hands them out to be saved.
 * Not thread-safe: the router's lock guards it.
 */
final class UsageMeters {

  /** A consumer's meter of one policy. */
  record Key(String identity, PolicyKey policy) {}

  private final int maxIdentities;
  private final int maxPerIdentity;

  /** By identity, the least recently used first. */
  private final LinkedHashMap<String, Map<PolicyKey, Meter>> byIdentity =
      new LinkedHashMap<>(16, 0.75f, true);

  /** Meters whose window changed, or that were forgotten, since the last {@link #changed}. */
  private final Set<Key> dirty = new LinkedHashSet<>();

  UsageMeters(final int maxIdentities, final int maxPerIdentity) {
    this.maxIdentities = maxIdentities;
    this.maxPerIdentity = maxPerIdentity;
  }

  /** The meter of {@code identity} for {@code policy}, if it has one. */
  Optional<Meter> find(final String identity, final PolicyKey policy) {
    final Map<PolicyKey, Meter> meters = byIdentity.get(identity);
    return meters == null ? Optional.empty() : Optional.ofNullable(meters.get(policy));
  }

  /**
   * The meter of {@code identity} for {@code policy}, made if it has none; empty when the bounds
   * leave no room for it even after forgetting idle meters.
   */
  Optional<Meter> meter(final String identity, final PolicyKey policy, final long nowMs) {
    Map<PolicyKey, Meter> meters = byIdentity.get(identity);
    if (meters == null) {
      if (byIdentity.size() >= maxIdentities && !forgetIdleIdentity(nowMs)) {
        return Optional.empty();
      }
      meters = new HashMap<>(4);
      byIdentity.put(identity, meters);
    }
    Meter m = meters.get(policy);
    if (m == null) {
      if (meters.size() >= maxPerIdentity && !forgetIdleMeter(identity, meters, nowMs)) {
        return Optional.empty();
      }
      m = new Meter();
      meters.put(policy, m);
    }
    return Optional.of(m);
  }

  /** The meters of {@code identity}, by policy. */
  Map<PolicyKey, Meter> of(final String identity) {
    final Map<PolicyKey, Meter> meters = byIdentity.get(identity);
    return meters == null ? Map.of() : Map.copyOf(meters);
  }

  /** {@code identity}'s meter of {@code policy} counted bytes: it is saved at the next call. */
  void touched(final String identity, final PolicyKey policy) {
    dirty.add(new Key(identity, policy));
  }

  int identities() {
    return byIdentity.size();
  }

  private boolean forgetIdleIdentity(final long nowMs) {
    for (final Iterator<Map.Entry<String, Map<PolicyKey, Meter>>> it =
            byIdentity.entrySet().iterator();
        it.hasNext(); ) {
      final Map.Entry<String, Map<PolicyKey, Meter>> e = it.next();
      if (e.getValue().values().stream().allMatch(m -> m.isIdle(nowMs))) {
        e.getValue().keySet().forEach(p -> dirty.add(new Key(e.getKey(), p)));
        it.remove();
        return true;
      }
    }
    return false;
  }

  private boolean forgetIdleMeter(
      final String identity, final Map<PolicyKey, Meter> meters, final long nowMs) {
    for (final Iterator<Map.Entry<PolicyKey, Meter>> it = meters.entrySet().iterator();
        it.hasNext(); ) {
      final Map.Entry<PolicyKey, Meter> e = it.next();
      if (e.getValue().isIdle(nowMs)) {
        dirty.add(new Key(identity, e.getKey()));
        it.remove();
        return true;
      }
    }
    return false;
  }

  /**
   * The saved form of every meter that changed since the last call, as of {@code nowMs}: a
   * forgotten meter's record has no buckets, which removes it from the store.
   */
  List<UsageRecord> changed(final long nowMs) {
    final List<UsageRecord> out = new ArrayList<>(dirty.size());
    for (final Key k : dirty) {
      final Meter m = find(k.identity(), k.policy()).orElse(null);
      final UsageRecord.Builder r =
          m == null || m.windowOrNull() == null
              ? UsageRecord.newBuilder()
              : m.windowOrNull().toRecord(nowMs);
      out.add(
          r.setIdentity(k.identity())
              .setScope(k.policy().scope())
              .setTarget(k.policy().target())
              .build());
    }
    dirty.clear();
    return out;
  }

  /** {@code records} could not be saved: they are handed out again at the next call. */
  void unsaved(final List<UsageRecord> records) {
    for (final UsageRecord r : records) {
      dirty.add(new Key(r.getIdentity(), new PolicyKey(r.getScope(), r.getTarget())));
    }
  }
}
