package io.troupe.router.internal.requests;

import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionEntry;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.RoleAssignment;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.PendingRequest;
import java.time.Duration;
import java.util.Map;

/** Builds the messages the gateway sends: forwarded requests and distribution lists. */
public final class Tunnel {

  private static final java.util.Set<String> TUNNELLED_SEPARATELY =
      java.util.Set.of("method", "path", "session");

  private Tunnel() {}

  static TunnelRequest request(final PendingRequest p, final long nowMs) {
    final ConsumerRequest r = p.request;
    final TunnelRequest.Builder b =
        TunnelRequest.newBuilder()
            .setRequestId(p.id)
            .setAddress(r.address())
            .setService(p.service.name())
            .setCommunity(p.service.community().name())
            .setMethod(r.property("method"))
            .setPath(r.property("path"))
            .setSession(r.property("session"))
            .setBody(r.body())
            .setContentType(r.contentType())
            .setDeadlineMs(p.deadlineMs)
            .setAttempt(p.attempt);
    if (Disclosure.level(p.service) != Anonymity.ANONYMOUS_TO_ALL) {
      b.setConsumer(r.principal().identity());
    }
    if (p.sync != null) { // a sync fetch (R4): the source reads the content by its hash
      b.setMethod(SyncFetch.METHOD).setPath(p.sync.hex());
    }
    for (final Map.Entry<String, String> e : r.userProperties().entrySet()) {
      if (!TUNNELLED_SEPARATELY.contains(e.getKey())) {
        b.putProperties(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /** A control about {@code service}, issued now, for the caller to give its directive. */
  public static Control.Builder control(final Service service, final long nowMs) {
    return Control.newBuilder()
        .setCommunity(service.community().name())
        .setService(service.name())
        .setAddress(service.address())
        .setIssuedAtMs(nowMs);
  }

  /** The control that tells a server of {@code service} its new {@code role}. */
  public static Control roleControl(
      final Service service, final ServerRole role, final long issuedAtMs) {
    return control(service, issuedAtMs).setRole(RoleAssignment.newBuilder().setRole(role)).build();
  }

  /**
   * The distribution list of {@code s} as it is now, its version increased when it changed since
   * the last one built ({@link Service#listVersion}).
   */
  public static DistributionList distributionList(
      final Service s, final ServerStates servers, final long nowMs, final Duration statusTimeout) {
    final DistributionList.Builder list =
        DistributionList.newBuilder()
            .setAddress(s.address())
            .setCommunity(s.community().name())
            .setService(s.name())
            .setRule(Disclosure.ruleForMembers(s));
    for (final ServerEntry e : s.servers().values()) {
      final ServerState state = servers.get(e.device());
      list.addServers(
          DistributionEntry.newBuilder()
              .setServer(Disclosure.listed(s, e.device()))
              .setRole(e.role())
              .setEnabled(e.isEnabled())
              .setAvailability(
                  state == null
                      ? io.troupe.proto.v1.Availability.OFFLINE
                      : state.availability(nowMs, statusTimeout)));
    }
    return list.setVersion(s.listVersion(list.build(), nowMs)).build();
  }
}
