package io.troupe.router.internal.presence;

import io.troupe.contract.Topics;
import io.troupe.contract.content.DescriptorMerge;
import io.troupe.router.Directive;
import io.troupe.router.RouterConfig;
import io.troupe.router.SyncLimits;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Synchronisation on a schedule (R4): every {@link SyncLimits#interval}, each present server of a
 * synchronised service whose last report is behind the merged descriptor (or that reported none) is
 * told it again, so that a server that missed a directive or failed to reach it tries again. Driven
 * by the gateway's tick; starts no thread.
 */
public final class SyncRounds {

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final Registry registry;
  private final ServerStates servers;
  private final RouterLocks locks;
  private volatile SyncLimits limits = SyncLimits.defaults();

  /** When the next round is due; guarded by the routing lock. */
  private long nextMs = Long.MIN_VALUE;

  public SyncRounds(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final ServerStates servers,
      final RouterLocks locks) {
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
    this.registry = registry;
    this.servers = servers;
    this.locks = locks;
  }

  /** Keeps servers in step under {@code limits} from now on. */
  public void configure(final SyncLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public SyncLimits limits() {
    return limits;
  }

  /** The sync directives of the round, when one is due; none otherwise. */
  public List<Directive> due() {
    return locks.routing(
        () -> {
          final long now = clock.millis();
          if (nextMs != Long.MIN_VALUE && now < nextMs) {
            return List.of();
          }
          final boolean first = nextMs == Long.MIN_VALUE;
          nextMs = now + limits.interval().toMillis();
          return first ? List.<Directive>of() : round(now);
        });
  }

  private List<Directive> round(final long now) {
    final List<Directive> out = new ArrayList<>();
    for (final Community c : registry.communities().values()) {
      for (final Service s : c.services().values()) {
        if (s.descriptor() != null && DescriptorMerge.synchronised(s.descriptor())) {
          out.addAll(Synchronisation.toBehind(topics, s, d -> present(d, now), false, now));
        }
      }
    }
    return out;
  }

  private boolean present(final String device, final long now) {
    final ServerState state = servers.get(device);
    if (state == null) {
      return false;
    }
    final Presence p = state.presence(now, config.statusTimeout());
    return p == Presence.ALIVE || p == Presence.SUSPECTED;
  }
}
