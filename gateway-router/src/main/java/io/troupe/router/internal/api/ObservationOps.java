package io.troupe.router.internal.api;

import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServerPresence;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.SkippedServer;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Addressed;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.RoutingTally;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * "See why": a service's load-balancing table and its last routing decisions, for the members of
 * its community, its owner and admins. What names a server follows the service's anonymity (R15):
 * where the members see pseudonyms in the distribution list they see the same pseudonyms here, in
 * the rows, the decisions and the text of rules and reasons; the owner and admins, who assign roles
 * by device id, see device ids. Read-only; not thread-safe: {@link GatewayRouter} calls it under
 * its lock.
 */
public final class ObservationOps {

  private final Registry registry;
  private final ServerStates servers;
  private final RoutingTally tally;
  private final RouterConfig config;

  public ObservationOps(
      final Registry registry,
      final ServerStates servers,
      final RoutingTally tally,
      final RouterConfig config) {
    this.registry = registry;
    this.servers = servers;
    this.tally = tally;
    this.config = config;
  }

  /**
   * The table of the service {@code op} names. 404 for no such service, 403 for anyone but a member
   * of its community, its owner or an admin, 400 when it names neither an address nor a community
   * and a service.
   */
  GatewayResponse table(final Principal who, final ShowTable op, final long nowMs) {
    final Optional<Service> found;
    final String named;
    if (!op.getAddress().isEmpty()) {
      found = Optional.ofNullable(registry.serviceAt(op.getAddress()));
      named = "no service at address '" + op.getAddress() + "'";
    } else if (!op.getCommunity().isEmpty() && !op.getService().isEmpty()) {
      found = registry.service(op.getCommunity(), op.getService());
      named = "no service '" + op.getService() + "' in '" + op.getCommunity() + "'";
    } else {
      return fail(Status.BAD_REQUEST, "name the service: an address, or a community and service");
    }
    if (found.isEmpty()) {
      return fail(Status.NOT_FOUND, named);
    }
    final Service s = found.get();
    final Optional<GatewayResponse> refused = refused(who, s);
    if (refused.isPresent()) {
      return refused.get();
    }
    final Function<String, String> shown = shown(who, s);
    final LoadTable.Builder table =
        LoadTable.newBuilder()
            .setAddress(s.address())
            .setCommunity(s.community().name())
            .setService(s.name())
            .setRule(
                s.rule().getRedirectTo().isEmpty()
                    ? s.rule()
                    : s.rule().toBuilder()
                        .setRedirectTo(shown.apply(s.rule().getRedirectTo()))
                        .build())
            .setAtMs(nowMs);
    for (final ServerEntry e : s.servers().values()) {
      table.addServers(row(s, e, shown.apply(e.device()), nowMs));
    }
    SyncReports.of(s, shown).ifPresent(table::setSync);
    return GatewayResponse.newBuilder().setStatus(Status.OK.code()).setTable(table).build();
  }

  /**
   * The last decisions for {@code address} ({@code last}, oldest first). 404 when the address is
   * neither a service's nor a named server's of a service that names its servers; 403 as {@link
   * #table}.
   */
  GatewayResponse decisions(
      final Principal who, final String address, final List<Explanation> last) {
    final Optional<Service> found = Addressed.resolve(registry, address).map(Addressed::service);
    if (found.isEmpty()) {
      return fail(Status.NOT_FOUND, "no service at address '" + address + "'");
    }
    final Service s = found.get();
    final Optional<GatewayResponse> refused = refused(who, s);
    if (refused.isPresent()) {
      return refused.get();
    }
    final Function<String, String> shown = shown(who, s);
    final Decisions.Builder decisions = Decisions.newBuilder().setAddress(address);
    if (s.descriptor() != null) {
      decisions.addAllConflicts(s.descriptor().getConflictsList());
    }
    for (final Explanation e : last) {
      final Function<String, String> text = text(who, s, e);
      final DecisionRecord.Builder r =
          DecisionRecord.newBuilder()
              .setRequestId(e.requestId())
              .setAddress(e.address())
              .setAtMs(e.at().toEpochMilli())
              .setAttempt(e.attempt())
              .setServer(e.server().map(shown).orElse(""))
              .setRule(text.apply(e.rule()))
              .setArea(e.area());
      for (final Explanation.Skip skip : e.skipped()) {
        r.addSkipped(
            SkippedServer.newBuilder()
                .setServer(shown.apply(skip.server()))
                .setReason(text.apply(skip.reason())));
      }
      decisions.addDecisions(r);
    }
    return GatewayResponse.newBuilder().setStatus(Status.OK.code()).setDecisions(decisions).build();
  }

  private LoadRow row(final Service s, final ServerEntry e, final String server, final long nowMs) {
    final LoadRow.Builder row =
        LoadRow.newBuilder()
            .setServer(server)
            .setRole(e.role())
            .setEnabled(e.isEnabled())
            .setServed(tally.served(s.community().name(), s.name(), e.device()))
            .setFailed(tally.failed(s.community().name(), s.name(), e.device()));
    final ServerState state = servers.get(e.device());
    if (state == null) {
      return row.setAvailability(io.troupe.proto.v1.Availability.OFFLINE)
          .setPresence(ServerPresence.PRESENCE_DEAD)
          .setStatusAgeMs(-1)
          .build();
    }
    final Metrics m = state.status().getMetrics();
    return row.setAvailability(state.availability(nowMs, config.statusTimeout()))
        .setPresence(presence(state.presence(nowMs, config.statusTimeout())))
        .setInProgress(state.inProgress())
        .setMaxInProgress(m.getMaxRequestsInProgress())
        .setLoad(m.getLoad())
        .setReportedInProgress(m.getRequestsInProgress())
        .setBatteryPercent(m.getBatteryPercent())
        .setCharging(m.getCharging())
        .setNetworkType(m.getNetworkType())
        .setStatusAgeMs(state.lastStatusMs() < 0 ? -1 : nowMs - state.lastStatusMs())
        .setCriteriaUnmet(
            state.reported().criteria().violation(Instant.ofEpochMilli(nowMs)).orElse(""))
        .build();
  }

  private static ServerPresence presence(final Presence p) {
    return switch (p) {
      case ALIVE -> ServerPresence.PRESENCE_ALIVE;
      case SUSPECTED -> ServerPresence.PRESENCE_SUSPECTED;
      case DEAD -> ServerPresence.PRESENCE_DEAD;
      case UNKNOWN -> ServerPresence.PRESENCE_UNKNOWN;
    };
  }

  /** 403 unless {@code who} is an admin, the community's owner or one of its members. */
  private static Optional<GatewayResponse> refused(final Principal who, final Service s) {
    if (owns(who, s) || s.community().members().contains(who.identity())) {
      return Optional.empty();
    }
    return Optional.of(
        fail(
            Status.FORBIDDEN,
            "only the members of '" + s.community().name() + "', its owner and admins may look"));
  }

  /** Whether any server of {@code s} appears to the members under a pseudonym. */
  private static boolean hidesAny(final Service s) {
    return s.servers().keySet().stream()
        .anyMatch(d -> Disclosure.level(s, d) == io.troupe.proto.v1.Anonymity.ANONYMOUS_TO_ALL);
  }

  private static boolean owns(final Principal who, final Service s) {
    return who.isAdmin() || s.community().owner().equals(who.identity());
  }

  /** How a server of {@code s} is named to {@code who}: its id, or its pseudonym. */
  private static Function<String, String> shown(final Principal who, final Service s) {
    if (owns(who, s)) {
      return Function.identity();
    }
    return device -> Disclosure.listed(s, device);
  }

  /**
   * Rules and reasons of {@code e} as {@code who} may read them: where servers are hidden, every
   * device id in the text (a redirect's target, a sticky session's server) of a server of the
   * service, now or when {@code e} was taken, becomes its pseudonym.
   */
  private static Function<String, String> text(
      final Principal who, final Service s, final Explanation e) {
    if (owns(who, s) || !hidesAny(s)) {
      return Function.identity();
    }
    final java.util.Set<String> devices = new java.util.HashSet<>(s.servers().keySet());
    e.server().ifPresent(devices::add);
    e.skipped().forEach(skip -> devices.add(skip.server()));
    return line -> {
      String hidden = line;
      for (final String device : devices) {
        hidden =
            hidden.replaceAll(
                "(?<![a-z0-9-])" + java.util.regex.Pattern.quote(device) + "(?![a-z0-9-])",
                java.util.regex.Matcher.quoteReplacement(Disclosure.listed(s, device)));
      }
      return hidden;
    };
  }

  private static GatewayResponse fail(final Status status, final String reason) {
    return GatewayResponse.newBuilder().setStatus(status.code()).setReason(reason).build();
  }
}
