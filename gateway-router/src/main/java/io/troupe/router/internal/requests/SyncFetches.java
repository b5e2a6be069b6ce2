package io.troupe.router.internal.requests;

import com.google.protobuf.ByteString;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.SyncLimits;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.routing.SyncSources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a sync fetch (R4, {@link SyncFetch}) may be routed, and its first forward: the requester
 * serves the service (403), the hash is well formed (400), a present server other than the
 * requester holds the content (404), the service has fewer fetches in flight than {@link
 * SyncLimits#fetchesPerService} (503). No consumer policy or grant applies: it is traffic between
 * the servers of one service. Not thread-safe: {@link RequestRouter} calls it under its lock.
 */
final class SyncFetches {

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final RequestAnswers answers;
  private final RoutingTally tally;
  private final Supplier<SyncLimits> limits;
  private final RequestsInFlight inFlight;
  private final Attempts attempts;

  /**
   * The fetches of each service admitted and perhaps not concluded yet; pruned at its next fetch.
   */
  private final Map<Service, Set<PendingRequest>> admitted = new IdentityHashMap<>();

  /**
   * Fetches answered or refused by {@code answers}, counted in {@code tally}, bounded by {@code
   * limits}; an admitted one waits in {@code inFlight} and is sent by {@code attempts}.
   */
  SyncFetches(
      final RequestAnswers answers,
      final RoutingTally tally,
      final Supplier<SyncLimits> limits,
      final RequestsInFlight inFlight,
      final Attempts attempts) {
    this.answers = answers;
    this.tally = tally;
    this.limits = limits;
    this.inFlight = inFlight;
    this.attempts = attempts;
  }

  /** Whether {@code request} is a sync fetch: it names the content it wants. */
  static boolean asks(final ConsumerRequest request) {
    return !request.property(SyncFetch.ITEM).isEmpty();
  }

  /**
   * Request {@code id}, a sync fetch of {@code service} that arrived at {@code nowMs} and must be
   * answered by {@code deadlineMs}: sent to a server that holds the content, whatever the grants,
   * policies, roles and criteria; or refused 403, 400, 404 or 503.
   */
  Decision route(
      final String id,
      final ConsumerRequest request,
      final Service service,
      final long nowMs,
      final long deadlineMs) {
    final Admission admission = admit(id, request, service, nowMs, deadlineMs);
    if (admission.refusal() != null) {
      return admission.refusal();
    }
    inFlight.add(admission.pending());
    return attempts.forward(admission.pending(), admission.source(), nowMs);
  }

  /**
   * Admits {@code request}: the request waiting for its source, with the first source chosen for it
   * at {@code nowMs}; or the refusal that answers it.
   */
  private Admission admit(
      final String id,
      final ConsumerRequest request,
      final Service service,
      final long nowMs,
      final long deadlineMs) {
    if (!request.principal().isDevice()
        || !service.servers().containsKey(request.principal().identity())) {
      return refused(
          id,
          request,
          RouterMetrics.SyncRefusal.NOT_MEMBER,
          Status.FORBIDDEN,
          "only servers of the service fetch its content");
    }
    final Optional<SyncSources.Want> want = want(request);
    if (want.isEmpty()) {
      return new Admission(
          answers.refuse(
              id,
              request,
              true,
              Status.BAD_REQUEST,
              "property "
                  + SyncFetch.ITEM
                  + " must be the content's SHA-256 as 64 lower-case hex digits, or up to "
                  + SyncFetch.MAX_BUNDLE
                  + " different ones separated by commas"),
          null,
          null);
    }
    final Set<PendingRequest> current =
        admitted.computeIfAbsent(service, s -> new LinkedHashSet<>());
    current.removeIf(p -> inFlight.get(p.id) != p);
    if (current.isEmpty()) { // a service deleted since leaves no entry behind
      admitted.remove(service);
    }
    final PendingRequest p = new PendingRequest(id, request, service, null, deadlineMs);
    p.sync = want.get();
    final Optional<String> first = attempts.choose(p, nowMs);
    if (first.isEmpty()) {
      return refused(
          id,
          request,
          RouterMetrics.SyncRefusal.NO_SOURCE,
          Status.NOT_FOUND,
          want.get().sha256().size() == 1
              ? "no member holds " + want.get().hex()
              : "no member holds all " + want.get().sha256().size() + " contents of the bundle");
    }
    if (current.size() >= limits.get().fetchesPerService()) {
      return refused(
          id,
          request,
          RouterMetrics.SyncRefusal.LIMIT,
          Status.UNAVAILABLE,
          "sync fetches of this service are at their limit; retry");
    }
    admitted.computeIfAbsent(service, s -> new LinkedHashSet<>()).add(p);
    tally.syncFetched();
    return new Admission(null, p, first.get());
  }

  /**
   * A sync fetch admitted ({@code pending}, to be sent to {@code source} first) or refused ({@code
   * refusal}).
   */
  private record Admission(Decision.Answer refusal, PendingRequest pending, String source) {}

  /**
   * What {@code request} asks for, or empty unless it names one to {@link SyncFetch#MAX_BUNDLE}
   * hashes of 64 lower-case hex digits, comma-separated, none twice.
   */
  static Optional<SyncSources.Want> want(final ConsumerRequest request) {
    final String hex = request.property(SyncFetch.ITEM);
    final String[] each = hex.split(",", -1);
    if (each.length > SyncFetch.MAX_BUNDLE) {
      return Optional.empty();
    }
    final List<ByteString> shas = new ArrayList<>(each.length);
    for (final String h : each) {
      if (!HEX_SHA256.matcher(h).matches()) {
        return Optional.empty();
      }
      shas.add(ContentNames.sha256(h));
    }
    if (new HashSet<>(shas).size() != shas.size()) {
      return Optional.empty();
    }
    final Set<String> excluded =
        Arrays.stream(request.property(SyncFetch.EXCLUDE).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    return Optional.of(new SyncSources.Want(hex, shas, request.principal().identity(), excluded));
  }

  private Admission refused(
      final String id,
      final ConsumerRequest request,
      final RouterMetrics.SyncRefusal kind,
      final Status status,
      final String reason) {
    tally.syncRefused(kind);
    return new Admission(answers.refuse(id, request, true, status, reason), null, null);
  }
}
