package io.troupe.router.internal.api;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.SyncReport;
import io.troupe.proto.v1.SyncService;
import io.troupe.router.ApiResult;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.presence.Synchronisation;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.util.List;
import java.util.function.Function;

/**
 * {@code SyncService} ({@code troupe sync ADDRESS}, R4): tells every server of a service its merged
 * descriptor and asks each to publish its own, and answers how far each is. Changes nothing the
 * gateway keeps; not thread-safe: called under the routing lock.
 */
public final class SyncOps {

  private final Registry registry;
  private final Topics topics;

  public SyncOps(final Registry registry, final Topics topics) {
    this.registry = registry;
    this.topics = topics;
  }

  /**
   * The report of the service at {@code op}'s address, and the sync directives to its servers. 404
   * for no such service; 403 for anyone but a server of it, its community's owner or an admin.
   */
  ApiResult sync(final Principal who, final SyncService op, final long nowMs) {
    final Service s = registry.serviceAt(op.getAddress());
    if (s == null) {
      return failed(Status.NOT_FOUND, "no service at address '" + op.getAddress() + "'");
    }
    final boolean owns = who.isAdmin() || s.community().owner().equals(who.identity());
    if (!owns && !s.servers().containsKey(who.identity())) {
      return failed(
          Status.FORBIDDEN,
          "only the servers of '"
              + s.address()
              + "', the owner of '"
              + s.community().name()
              + "' and admins may synchronise it");
    }
    final Function<String, String> shown =
        owns ? Function.identity() : device -> Disclosure.listed(s, device);
    final SyncReport report =
        SyncReports.of(s, shown)
            .orElseGet(() -> SyncReport.newBuilder().setAddress(s.address()).build());
    return new ApiResult(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setSync(report).build(),
        Synchronisation.toBehind(topics, s, device -> true, true, nowMs));
  }

  private static ApiResult failed(final Status status, final String reason) {
    return new ApiResult(
        GatewayResponse.newBuilder().setStatus(status.code()).setReason(reason).build(), List.of());
  }
}
