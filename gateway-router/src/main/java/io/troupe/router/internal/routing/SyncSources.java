package io.troupe.router.internal.routing;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The choice of a source for a sync fetch (R4): a server of the service whose last reported
 * descriptor holds the content, present, never the requester, never one it excluded or already
 * tried; of those the one with the fewest requests in progress. Server-to-server traffic: the
 * stages of {@link ServerChoice} (role, enabled, access policies, criteria) do not apply.
 */
public final class SyncSources {

  /**
   * What a sync fetch asks for.
   *
   * @param hex the content's SHA-256, 64 lower-case hex digits; for a bundle, the hashes of its
   *     contents separated by commas ({@link io.troupe.contract.content.SyncFetch#ITEM})
   * @param sha256 the same hashes, 32 bytes each, in order
   * @param requester the server that fetches
   * @param excluded servers not to fetch from, as the requester was shown them
   */
  public record Want(String hex, List<ByteString> sha256, String requester, Set<String> excluded) {
    public Want {
      Objects.requireNonNull(hex, "hex");
      Objects.requireNonNull(requester, "requester");
      sha256 = List.copyOf(sha256);
      excluded = Set.copyOf(excluded);
      if (sha256.isEmpty()) {
        throw new IllegalArgumentException("a sync fetch wants at least one content");
      }
    }

    /** How the fetch names what it wants in a decision: a hash's first digits, or the bundle's. */
    public String shown() {
      return sha256.size() == 1
          ? hex.substring(0, 8)
          : sha256.size() + " items, " + hex.substring(0, 8) + "…";
    }
  }

  private SyncSources() {}

  /**
   * Whether {@code device}'s last report of {@code service} holds every content of {@code wanted}.
   */
  public static boolean holds(
      final Service service, final String device, final List<ByteString> wanted) {
    final ServiceDescriptor last = service.reportedBy(device);
    if (last == null) {
      return false;
    }
    final Set<ByteString> missing = new HashSet<>(wanted);
    for (final Item i : last.getItemsList()) {
      if (!i.getDeleted() && missing.remove(i.getSha256()) && missing.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Chooses the source of the next attempt of {@code p}, a sync fetch, and says why. */
  public static ServerChoice.Choice choose(
      final PendingRequest p,
      final ServerStates servers,
      final Instant now,
      final Duration statusTimeout) {
    final Want want = p.sync;
    final Explanation.Builder why = new Explanation.Builder();
    why.decidedBy("SYNC (holds " + want.shown() + ")");
    final long nowMs = now.toEpochMilli();
    Candidate best = null;
    for (final ServerEntry e : p.service.servers().values()) {
      final Candidate c = Candidates.candidate(e, servers.get(e.device()), nowMs, statusTimeout);
      final Optional<String> skip = skipped(p, c);
      if (skip.isPresent()) {
        why.skip(e.device(), skip.get());
      } else if (best == null || LEAST_BUSY.compare(c, best) < 0) {
        best = c;
      }
    }
    final Optional<String> chosen = Optional.ofNullable(best).map(Candidate::device);
    return new ServerChoice.Choice(
        chosen, why.build(p.id, p.request.address(), now, p.attempt + 1, chosen));
  }

  private static final Comparator<Candidate> LEAST_BUSY =
      Comparator.comparingInt(Candidate::inProgress);

  private static Optional<String> skipped(final PendingRequest p, final Candidate c) {
    final String device = c.device();
    if (device.equals(p.sync.requester())) {
      return Optional.of("is the requester");
    }
    if (p.sync.excluded().contains(Disclosure.listed(p.service, device))) {
      return Optional.of("excluded by the requester");
    }
    if (p.tried.contains(device)) {
      return Optional.of("already tried");
    }
    if (!holds(p.service, device, p.sync.sha256())) {
      return Optional.of(
          p.sync.sha256().size() == 1
              ? "does not hold the content"
              : "does not hold all " + p.sync.sha256().size() + " contents");
    }
    if (c.presence() != Presence.ALIVE && c.presence() != Presence.SUSPECTED) {
      return Optional.of(c.presence().name().toLowerCase(java.util.Locale.ROOT));
    }
    return Optional.empty();
  }
}
