package io.troupe.router.internal.routing;

import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.registry.Registry;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One service's servers in the order its rule tries them, the ones that may be usable before the
 * ones that surely are not: what lets a decision look at a few servers rather than all. Kept up to
 * date one server at a time as its state changes ({@link #update}); rebuilt whole when the
 * service's registration changes (a server added or removed, a role, an enabled flag or the rule
 * changed), which the community's {@code epoch} tells.
 *
 * <p>A server is ranked "surely unusable" only for what an event must undo (disabled, passive,
 * offline or silent since it connected, busy or at its limit, outside an availability criterion
 * that does not depend on the time), so no server becomes usable while ranked so; the one change
 * that time alone makes, a status going stale, only makes a server unusable, and the routing stages
 * still judge every server the decision looks at.
 */
public final class ServerRanking implements Registry.RoutingMemo {

  /** Where one server stands: what the rule orders by, then the order of registration. */
  record Key(
      String device,
      boolean unusable,
      double utilisation,
      int inProgress,
      int reportedInProgress,
      long lastSent,
      int rank,
      int seq) {

    /** Where {@code c} stands under {@code order}; what that order ignores is left at zero. */
    static Key of(final Candidate c, final int seq, final boolean byLoad) {
      final boolean unusable =
          !c.enabled()
              || c.role() == io.troupe.proto.v1.ServerRole.PASSIVE
              || (c.presence() != Presence.ALIVE && c.presence() != Presence.SUSPECTED)
              || !c.hasCapacity()
              || c.reported().criteria().failsAtAnyTime();
      if (!byLoad) {
        return new Key(c.device(), unusable, 0, 0, 0, 0, rank(c), seq);
      }
      return new Key(
          c.device(),
          unusable,
          c.utilisation(),
          c.inProgress(),
          c.status().getMetrics().getRequestsInProgress(),
          c.lastSent(),
          rank(c),
          seq);
    }

    private static int rank(final Candidate c) {
      return c.role() == io.troupe.proto.v1.ServerRole.PRIMARY ? 0 : 1;
    }
  }

  final DistributionOrder order;
  private final boolean byLoad;
  final long epoch;
  private final TreeSet<Key> ranked;
  private final Map<String, Key> keys = new HashMap<>();
  private final Set<String> areaDependent = new HashSet<>();

  ServerRanking(final DistributionOrder order, final long epoch) {
    this.order = order;
    this.epoch = epoch;
    this.byLoad = order.routing().byLoad();
    this.ranked = new TreeSet<>(order.routing().ranking());
  }

  /**
   * The usable-looking servers first, then {@link RoleOrder}'s order ({@code secondaryFirst} or
   * not), then the order of registration. Written out rather than chained, since it runs a few
   * dozen times for each request sent.
   */
  static Comparator<Key> byRole(final boolean secondaryFirst) {
    return (a, b) -> {
      if (a.unusable() != b.unusable()) {
        return a.unusable() ? 1 : -1;
      }
      final int c =
          secondaryFirst
              ? Integer.compare(b.rank(), a.rank())
              : Integer.compare(a.rank(), b.rank());
      return c != 0 ? c : Integer.compare(a.seq(), b.seq());
    };
  }

  /**
   * The usable-looking servers first, then {@link LeastLoadedOrder}'s order, then the order of
   * registration: what LEAST_LOADED and WEIGHTED rank by.
   */
  static final Comparator<Key> BY_LOAD =
      (a, b) -> {
        if (a.unusable() != b.unusable()) {
          return a.unusable() ? 1 : -1;
        }
        int c = Double.compare(a.utilisation(), b.utilisation());
        if (c == 0) {
          c = Integer.compare(a.inProgress(), b.inProgress());
        }
        if (c == 0) {
          c = Integer.compare(a.reportedInProgress(), b.reportedInProgress());
        }
        if (c == 0) {
          c = Long.compare(a.lastSent(), b.lastSent());
        }
        if (c == 0) {
          c = Integer.compare(a.rank(), b.rank());
        }
        return c != 0 ? c : Integer.compare(a.seq(), b.seq());
      };

  /**
   * Places {@code c}, registered {@code seq}-th; {@code areaDependent} when criteria give it a role
   * by area, so that its rank depends on the request and every decision looks at it.
   */
  void put(final Candidate c, final int seq, final boolean dependsOnArea) {
    final Key key = Key.of(c, seq, byLoad);
    keys.put(c.device(), key);
    ranked.add(key);
    if (dependsOnArea) {
      areaDependent.add(c.device());
    }
  }

  /** {@code c}'s state changed: it moves to its new place. */
  void update(final Candidate c, final boolean dependsOnArea) {
    final Key old = keys.get(c.device());
    if (old == null) {
      return;
    }
    final Key key = Key.of(c, old.seq(), byLoad);
    if (!key.equals(old)) {
      ranked.remove(old);
      ranked.add(key);
      keys.put(c.device(), key);
    }
    if (dependsOnArea) {
      areaDependent.add(c.device());
    } else {
      areaDependent.remove(c.device());
    }
  }

  /** The order {@code device} registered in, for sorting a shortlist; -1 if it is not ranked. */
  int seq(final String device) {
    final Key key = keys.get(device);
    return key == null ? -1 : key.seq();
  }

  /** The servers in the rule's order, the ones that may be usable first. */
  Iterator<Key> inOrder() {
    return ranked.iterator();
  }

  /** The servers whose role depends on the consumer's area. */
  Set<String> areaDependent() {
    return areaDependent;
  }

  int size() {
    return keys.size();
  }
}
