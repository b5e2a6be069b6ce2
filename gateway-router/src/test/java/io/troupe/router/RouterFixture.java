package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ExplainDecisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.proto.v1.UpdateCommunity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A router with a moved-by-hand clock, and shorthands for the events devices and consumers cause.
 */
public final class RouterFixture {

  public final MutableClock clock = new MutableClock();
  public final MemoryStateStore store = new MemoryStateStore();
  public RouterConfig config =
      RouterConfig.defaults()
          .withForwardTimeout(Duration.ofSeconds(2))
          .withDefaultDeadline(Duration.ofSeconds(10))
          .withStatusTimeout(Duration.ofSeconds(15));

  /** Fast hashes: the cost is not what these tests are about. */
  public static final LoginConfig LOGINS = LoginConfig.defaults().withHashIterations(1_000);

  /** The gateway's signing secret for keys and invitations (R14): fixed, for tests. */
  public static final io.troupe.contract.Invitations INVITATIONS =
      io.troupe.contract.Invitations.of(new byte[32]);

  public GatewayRouter router = newRouter();
  private long connections;
  private final Map<String, String> owners = new java.util.HashMap<>();

  public static Principal device(final String name) {
    return new Principal(name, IdentityRole.DEVICE, name);
  }

  public static Principal consumer(final String clientId) {
    return new Principal("alice", IdentityRole.CONSUMER, clientId);
  }

  public GatewayResponse api(final Principal who, final GatewayRequest request) {
    return router.onApi(who, request.toByteString()).response();
  }

  /**
   * The device joins {@code community}: it creates it (closed) if it does not exist; otherwise the
   * community's owner first lists it as a member.
   */
  public void join(final String device, final String community) {
    final Principal p = device(device);
    final GatewayRequest join =
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
            .build();
    GatewayResponse joined = api(p, join);
    if (joined.getStatus() == 403) {
      final String owner = owners.get(community);
      assertThat(
              api(
                      device(owner),
                      GatewayRequest.newBuilder()
                          .setUpdateCommunity(
                              UpdateCommunity.newBuilder()
                                  .setCommunity(community)
                                  .addAddMembers(device))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      joined = api(p, join);
    }
    assertThat(joined.getStatus()).as(joined.getReason()).isIn(200, 201);
    owners.putIfAbsent(community, device);
  }

  /** The device joins {@code community} (see {@link #join}) and registers {@code service}. */
  public GatewayResponse register(
      final String device, final String community, final String service) {
    final Principal p = device(device);
    join(device, community);
    return api(
        p,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder().setCommunity(community).setService(service))
            .build());
  }

  /** The device joins {@code community} (see {@link #join}) and registers with {@code op}. */
  public GatewayResponse register(final String device, final RegisterService.Builder op) {
    join(device, op.getCommunity());
    return api(device(device), GatewayRequest.newBuilder().setRegisterService(op).build());
  }

  /** The device connects and reports itself available. */
  public void online(final String device, final String community) {
    router.onConnected(device(device), ++connections);
    status(device, community, Availability.AVAILABLE, 0);
  }

  public void status(
      final String device,
      final String community,
      final Availability availability,
      final int maxInProgress) {
    final StatusMessage status =
        StatusMessage.newBuilder()
            .setDeviceId(device)
            .setAvailability(availability)
            .setMetrics(Metrics.newBuilder().setMaxRequestsInProgress(maxInProgress))
            .build();
    assertThat(
            router.onStatus(device(device), community, device, status.toByteString()).isAllowed())
        .isTrue();
  }

  /** The device reports {@code status} in {@code community}. */
  public void status(final String device, final String community, final StatusMessage status) {
    assertThat(
            router.onStatus(device(device), community, device, status.toByteString()).isAllowed())
        .isTrue();
  }

  public long connectionOf(final String device) {
    return connections;
  }

  public static ConsumerRequest request(final String address) {
    return request(address, Map.of());
  }

  public static ConsumerRequest request(
      final String address, final Map<String, String> properties) {
    return new ConsumerRequest(
        consumer("c1"),
        address,
        Optional.of("troupe/r/c1/resp"),
        ByteString.copyFromUtf8("corr"),
        ByteString.copyFromUtf8("hello"),
        "text/plain",
        properties,
        Optional.empty());
  }

  public static ByteString reply(final String requestId, final int status, final String body) {
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(status)
        .setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8))
        .build()
        .toByteString();
  }

  /** The load-balancing table of {@code address}, as {@code who} may see it. */
  public GatewayResponse table(final Principal who, final String address) {
    return api(
        who,
        GatewayRequest.newBuilder()
            .setShowTable(ShowTable.newBuilder().setAddress(address))
            .build());
  }

  /** The last decisions for {@code address}, as {@code who} may see them. */
  public GatewayResponse why(final Principal who, final String address) {
    return api(
        who,
        GatewayRequest.newBuilder()
            .setExplainDecisions(ExplainDecisions.newBuilder().setAddress(address))
            .build());
  }

  /** {@code owner} gives servers of {@code service} in {@code community} their roles. */
  public void assignRoles(
      final String owner,
      final String community,
      final String service,
      final Map<String, ServerRole> roles) {
    final GatewayResponse r =
        api(
            device(owner),
            GatewayRequest.newBuilder()
                .setAssignRoles(
                    AssignRoles.newBuilder()
                        .setCommunity(community)
                        .setService(service)
                        .putAllRoles(roles))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
  }

  /** {@code owner} sets the order of {@code address} and leaves the rest of its rule. */
  public void order(final String owner, final String address, final RequestOrder order) {
    final GatewayResponse r =
        api(
            device(owner),
            GatewayRequest.newBuilder()
                .setSetDistributionRule(
                    SetDistributionRule.newBuilder()
                        .setAddress(address)
                        .setPatch(true)
                        .setRule(DistributionRule.newBuilder().setOrder(order)))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
  }

  /** A router over the same store, as after a restart. */
  public void restart() {
    router = newRouter();
  }

  private GatewayRouter newRouter() {
    return new GatewayRouter(
        config, LOGINS, clock, store, Optional.empty(), Optional.of(INVITATIONS));
  }

  /** A router over the same store with other settings. */
  void restartWith(final RouterConfig changed) {
    config = changed;
    restart();
  }
}
