package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.StateChange.PolicyKey;
import io.troupe.router.UsageLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The access policies (R12) applied to consumers' requests. Before a request is forwarded, every
 * policy it meets (the gateway's, its community's, its service's) must let it through: each limit
 * is checked on its own meter, so the strictest wins. A request over a quota, a transfer ratio or a
 * count of concurrent requests is refused with 429; a bandwidth threshold holds it for as long as
 * the consumer's earlier bytes need at that rate, and refuses it only when that would pass its
 * deadline. A server's own policy does not refuse: it makes that server unusable for the consumer
 * ({@link #serverBar}), and the next server serves. The request's bytes count when it is admitted
 * (and, for a server's policy, when it is sent there); its answer's when it is delivered. So a
 * quota is overshot by at most the answers already in flight when it was crossed.
 *
 * <p>Not thread-safe: the router calls it under its routing lock. The book of policies is an
 * immutable snapshot, replaced as a whole.
 */
public final class AccessPolicies {

  private volatile PolicyBook book;
  private final UsageMeters meters;

  /** The outcome of {@link #admit}: a charge to carry, or a refusal. */
  public record Admission(Charge charge, Optional<PolicyRefusal> refusal) {
    static Admission of(final Charge charge) {
      return new Admission(charge, Optional.empty());
    }

    static Admission refused(final PolicyRefusal refusal) {
      return new Admission(Charge.NONE, Optional.of(refusal));
    }
  }

  public AccessPolicies(final PolicyBook book, final UsageLimits limits) {
    this.book = book;
    this.meters = new UsageMeters(limits.maxMeteredIdentities(), limits.maxMetersPerIdentity());
  }

  public PolicyBook book() {
    return book;
  }

  /** Puts {@code next} in force: the next request meets it. */
  public void replace(final PolicyBook next) {
    this.book = next;
  }

  /**
   * Whether {@code identity}'s request of {@code size} bytes to the service at {@code address} of
   * {@code community} may go on at {@code nowMs}, its deadline being {@code deadlineMs}; when it
   * may, it is charged its bytes, and the charge says how long the bandwidth holds it.
   */
  public Admission admit(
      final String identity,
      final String community,
      final String address,
      final long size,
      final long nowMs,
      final long deadlineMs) {
    final PolicyBook b = book;
    final List<AccessPolicy> apply = b.forRequest(community, address);
    if (apply.isEmpty()) {
      return Admission.of(b.anyServer() ? Charge.of(identity, List.of(), 0) : Charge.NONE);
    }
    final List<Charge.Metered> metered = new ArrayList<>(apply.size());
    for (final AccessPolicy p : apply) {
      final PolicyKey key = PolicyKey.of(p);
      final Optional<Meter> m = meters.meter(identity, key, nowMs);
      if (m.isEmpty()) {
        return Admission.refused(LimitChecks.noRoom());
      }
      metered.add(new Charge.Metered(key, p, m.get()));
    }
    long delay = 0;
    for (final Charge.Metered x : metered) {
      final Optional<PolicyRefusal> over = LimitChecks.reached(x, size, nowMs);
      if (over.isPresent()) {
        return Admission.refused(over.get());
      }
      if (x.policy().getBandwidthBytesPerSecond() > 0) {
        delay = Math.max(delay, x.meter().bandwidthWait(nowMs));
      }
    }
    if (delay > 0 && nowMs + delay >= deadlineMs) {
      return Admission.refused(LimitChecks.tooSlow(metered, nowMs, delay));
    }
    for (final Charge.Metered x : metered) {
      sent(identity, x, size, 0, nowMs + delay, nowMs);
      if (LimitChecks.countsRequests(x.policy())) {
        x.meter().started();
      }
    }
    return Admission.of(Charge.of(identity, metered, delay));
  }

  /**
   * Why {@code charge}'s consumer may not use server {@code device} for a request of {@code size}
   * bytes at {@code nowMs}, under the server's own policy; empty when it may.
   */
  public Optional<String> serverBar(
      final Charge charge, final String device, final long size, final long nowMs) {
    if (!charge.meters()) {
      return Optional.empty();
    }
    final Optional<AccessPolicy> p = book.ofServer(device);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    final PolicyKey key = PolicyKey.of(p.get());
    final Optional<Meter> m = meters.meter(charge.identity, key, nowMs);
    if (m.isEmpty()) {
      return Optional.of("policy: " + LimitChecks.noRoom().reason());
    }
    final Charge.Metered x = new Charge.Metered(key, p.get(), m.get());
    final Optional<PolicyRefusal> over = LimitChecks.reached(x, size, nowMs);
    if (over.isPresent()) {
      return Optional.of("policy: " + over.get().reason());
    }
    final long wait = m.get().bandwidthWait(nowMs);
    if (p.get().getBandwidthBytesPerSecond() > 0 && wait > 0) {
      return Optional.of(
          "policy: bandwidth of "
              + p.get().getBandwidthBytesPerSecond()
              + " bytes/s for server "
              + device
              + " holds this consumer for "
              + wait
              + " ms");
    }
    return Optional.empty();
  }

  /** {@code charge}'s request of {@code size} bytes was sent to server {@code device}. */
  public void forwarded(
      final Charge charge, final String device, final long size, final long nowMs) {
    if (!charge.meters()) {
      return;
    }
    final Optional<AccessPolicy> p = book.ofServer(device);
    if (p.isEmpty()) {
      return;
    }
    final PolicyKey key = PolicyKey.of(p.get());
    meters
        .meter(charge.identity, key, nowMs)
        .ifPresent(
            m -> {
              final Charge.Metered x = new Charge.Metered(key, p.get(), m);
              sent(charge.identity, x, size, 0, nowMs, nowMs);
              if (LimitChecks.countsRequests(p.get())) {
                m.started();
              }
              charge.servers().add(x);
            });
  }

  /**
   * {@code charge}'s request concluded at {@code nowMs}, with an answer of {@code bytes} delivered
   * to the consumer from {@code server} (empty: the gateway's own). Once per request; later calls
   * do nothing.
   */
  public void concluded(
      final Charge charge, final Optional<String> server, final long bytes, final long nowMs) {
    if (!charge.conclude()) {
      return;
    }
    for (final Charge.Metered x : charge.metered()) {
      sent(charge.identity, x, 0, bytes, nowMs, nowMs);
      if (LimitChecks.countsRequests(x.policy())) {
        x.meter().finished();
      }
    }
    for (final Charge.Metered x : charge.servers()) {
      if (server.isPresent() && server.get().equals(x.key().target())) {
        sent(charge.identity, x, 0, bytes, nowMs, nowMs);
      }
      if (LimitChecks.countsRequests(x.policy())) {
        x.meter().finished();
      }
    }
  }

  /** Counts {@code in} and {@code out} bytes on {@code x}'s meter. */
  private void sent(
      final String identity,
      final Charge.Metered x,
      final long in,
      final long out,
      final long startMs,
      final long nowMs) {
    if (Meter.windowed(x.policy())) {
      x.meter().window(x.policy(), nowMs).add(nowMs, in, out);
      meters.touched(identity, x.key());
    }
    final long rate = x.policy().getBandwidthBytesPerSecond();
    if (rate > 0 && in + out > 0) {
      x.meter().spend(startMs, in + out, rate);
    }
  }

  /**
   * Why a new session of {@code identity} is refused, holding {@code sessions} already: the
   * strictest {@code max_connections} of the gateway's policy and of the policies of {@code
   * communities} (those it is a member of); empty when it may connect.
   */
  public Optional<String> sessionRefusal(final Collection<String> communities, final int sessions) {
    final PolicyBook b = book;
    if (b.isEmpty()) {
      return Optional.empty();
    }
    final List<AccessPolicy> apply = new ArrayList<>();
    b.get(PolicyScope.GATEWAY, "").ifPresent(apply::add);
    communities.forEach(c -> b.get(PolicyScope.COMMUNITY, c).ifPresent(apply::add));
    for (final AccessPolicy p : apply) {
      if (p.getMaxConnections() > 0 && sessions >= p.getMaxConnections()) {
        return Optional.of(
            "at most "
                + p.getMaxConnections()
                + " sessions per consumer for "
                + PolicyBook.describe(PolicyKey.of(p))
                + "; one must end first");
      }
    }
    return Optional.empty();
  }

  /** What {@code identity} has used of each policy it has a meter of, and the gateway's. */
  public List<io.troupe.proto.v1.UsageRow> usage(
      final String identity, final int sessions, final long nowMs) {
    return UsageRows.of(book, meters.of(identity), sessions, nowMs);
  }

  /** Takes in counters saved before a restart; those of policies no longer set are dropped. */
  public void restore(final List<UsageRecord> records, final long nowMs) {
    for (final UsageRecord r : records) {
      final PolicyKey key = new PolicyKey(r.getScope(), r.getTarget());
      final Optional<AccessPolicy> p = book.get(key);
      if (p.isPresent() && Meter.windowed(p.get())) {
        meters
            .meter(r.getIdentity(), key, nowMs)
            .ifPresent(m -> m.window(p.get(), nowMs).restore(r));
      }
    }
  }

  /** The counters that changed since the last call, to be saved: see {@link UsageMeters}. */
  public List<UsageRecord> changed(final long nowMs) {
    return meters.changed(nowMs);
  }

  /** {@code records} could not be saved: they come out of {@link #changed} again. */
  public void unsaved(final List<UsageRecord> records) {
    meters.unsaved(records);
  }

  /** How many consumers are metered now. */
  public int meteredIdentities() {
    return meters.identities();
  }
}
