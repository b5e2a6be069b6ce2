package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.ShowUsage;
import io.troupe.proto.v1.UsageRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access policies on the routed path: quota, strictest wins, ratio, bandwidth, servers. */
class AccessPolicyRoutingTest {

  static final Principal ADMIN = new Principal("root", IdentityRole.ADMIN, "root");
  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void echoServedByDev1AndDev2() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  /** A request of exactly {@code bytes} (body only) from alice, with a deadline of 10 s. */
  static ConsumerRequest request(final int bytes) {
    return new ConsumerRequest(
        new Principal("alice", IdentityRole.CONSUMER, "c1"),
        "echo.demo",
        Optional.of("troupe/r/c1/resp"),
        ByteString.EMPTY,
        ByteString.copyFrom(new byte[bytes]),
        "",
        Map.of(),
        Optional.empty());
  }

  void policy(final AccessPolicy.Builder p) {
    assertThat(f.api(ADMIN, AccessPolicyOpsTest.set(p)).getStatus()).isEqualTo(200);
  }

  static AccessPolicy.Builder quota(
      final PolicyScope scope, final String target, final long bytes, final long seconds) {
    return AccessPolicy.newBuilder()
        .setScope(scope)
        .setTarget(target)
        .setQuotaBytes(bytes)
        .setQuotaWindowSeconds(seconds);
  }

  /** Sends a request of {@code bytes}; a forward is answered at once with {@code answer} bytes. */
  Decision call(final int bytes, final int answer) {
    final Decision d = f.router.onRequest(request(bytes));
    if (d instanceof Decision.Forward fw) {
      final List<Decision> done =
          f.router.onReply(
              device(fw.device()),
              fw.device(),
              fw.requestId(),
              reply(fw.requestId(), 200, "x".repeat(answer)));
      return done.get(0);
    }
    return d;
  }

  static int code(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Answer.class);
    return ((Decision.Answer) d).code();
  }

  static String reason(final Decision d) {
    return ((Decision.Answer) d).reason();
  }

  @Test
  void quota_usedUp_refusesWith429NamingTheLimit_andFreesAsTheWindowRolls() {
    policy(quota(PolicyScope.SERVICE, "echo.demo", 1_000, 3));
    assertThat(code(call(300, 200))).isEqualTo(200); // 500 of 1,000 at t = 0
    f.clock.advance(Duration.ofMillis(1_500));
    assertThat(code(call(300, 200))).isEqualTo(200); // 1,000 of 1,000 at t = 1.5 s

    final Decision refused = f.router.onRequest(request(1));
    assertThat(code(refused)).isEqualTo(429);
    assertThat(((Decision.Answer) refused).refusal()).contains(Status.TOO_MANY_REQUESTS);
    assertThat(reason(refused))
        .isEqualTo("quota of 1000 bytes per 3 s for service echo.demo used up; frees in 2 s");

    // the first 500 bytes leave the window when the bucket 3 s after theirs begins
    f.clock.advance(Duration.ofMillis(1_499)); // t = 2.999 s: still inside
    assertThat(code(f.router.onRequest(request(1)))).isEqualTo(429);
    f.clock.advance(Duration.ofMillis(1)); // t = 3 s
    assertThat(code(call(500, 0))).isEqualTo(200);
    assertThat(code(f.router.onRequest(request(1)))).isEqualTo(429);
  }

  @Test
  void quota_aRequestLargerThanTheQuota_isRefusedSayingSo() {
    policy(quota(PolicyScope.GATEWAY, "", 100, 10));
    assertThat(reason(f.router.onRequest(request(101))))
        .isEqualTo("request of 101 bytes exceeds the quota of 100 bytes per 10 s for the gateway");
  }

  @Test
  void strictestWins_theSmallestQuotaOfGatewayCommunityAndServiceRefuses() {
    policy(quota(PolicyScope.GATEWAY, "", 10_000, 60));
    policy(quota(PolicyScope.COMMUNITY, "demo", 400, 60));
    policy(quota(PolicyScope.SERVICE, "echo.demo", 5_000, 60));

    assertThat(code(call(200, 100))).isEqualTo(200);
    final Decision refused = f.router.onRequest(request(200));
    assertThat(code(refused)).isEqualTo(429);
    assertThat(reason(refused)).contains("community demo");
  }

  @Test
  void transferRatio_consumerSendingMoreThanItGets_isRefusedUntilAnswersCatchUp() {
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.SERVICE)
            .setTarget("echo.demo")
            .setMaxTransferRatio(2.0)
            .setQuotaWindowSeconds(10));
    assertThat(code(call(300, 100))).isEqualTo(200); // received 300, sent 100: 3 > 2
    final Decision refused = f.router.onRequest(request(10));
    assertThat(code(refused)).isEqualTo(429);
    assertThat(reason(refused)).startsWith("transfer ratio of 2.0 for service echo.demo exceeded");

    f.clock.advance(Duration.ofSeconds(10)); // the window rolled past both
    assertThat(code(call(100, 50))).isEqualTo(200); // received 100, sent 50: 2, not above
    assertThat(code(call(10, 0))).isEqualTo(200);
  }

  @Test
  void bandwidth_holdsTheNextRequestToTheRate_andRefusesWhenThatPassesItsDeadline() {
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.COMMUNITY)
            .setTarget("demo")
            .setBandwidthBytesPerSecond(1_000));
    assertThat(f.router.onRequest(request(2_000))).isInstanceOf(Decision.Forward.class);

    // 2,000 bytes at 1,000 bytes/s: the next may go 2 s later
    final Decision held = f.router.onRequest(request(8_000));
    assertThat(held).isInstanceOf(Decision.Delay.class);
    assertThat(((Decision.Delay) held).delay()).isEqualTo(Duration.ofSeconds(2));
    f.clock.advance(Duration.ofSeconds(2));
    final List<Decision> released = f.router.onForwardTimeout(held.requestId(), 0);
    assertThat(released).singleElement().isInstanceOf(Decision.Forward.class);

    // 8,000 more: the next would wait 8 s, inside a 10 s deadline; then 16 s, past it
    assertThat(f.router.onRequest(request(8_000))).isInstanceOf(Decision.Delay.class);
    final Decision refused = f.router.onRequest(request(1));
    assertThat(code(refused)).isEqualTo(429);
    assertThat(reason(refused))
        .startsWith("bandwidth of 1000 bytes/s for community demo would hold this request");
  }

  @Test
  void concurrentRequests_ofAServicePolicy_areBoundedPerConsumer() {
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.SERVICE)
            .setTarget("echo.demo")
            .setMaxConnections(2));
    final Decision first = f.router.onRequest(request(1));
    assertThat(f.router.onRequest(request(1))).isInstanceOf(Decision.Forward.class);
    assertThat(reason(f.router.onRequest(request(1))))
        .startsWith("at most 2 concurrent requests per consumer for service echo.demo");
    final Decision.Forward fw = (Decision.Forward) first;
    f.router.onReply(
        device(fw.device()), fw.device(), fw.requestId(), reply(fw.requestId(), 0, ""));
    assertThat(f.router.onRequest(request(1))).isInstanceOf(Decision.Forward.class);
  }

  @Test
  void serverPolicy_usedUp_skipsThatServer_theNextServes_andWhySaysSo() {
    f.api(
        ADMIN,
        GatewayRequest.newBuilder()
            .setAddIdentity(
                io.troupe.proto.v1.AddIdentity.newBuilder()
                    .setName("dev1")
                    .setRole(IdentityRole.DEVICE))
            .build());
    policy(quota(PolicyScope.SERVER, "dev1", 100, 60));
    final Decision.Forward first = (Decision.Forward) f.router.onRequest(request(60));
    assertThat(first.device()).isEqualTo("dev1");
    f.router.onReply(
        device("dev1"), "dev1", first.requestId(), reply(first.requestId(), 0, "x".repeat(40)));

    final Decision next = f.router.onRequest(request(60));
    assertThat(next).isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) next).device()).isEqualTo("dev2");
    assertThat(f.router.lastDecisions("echo.demo").get(1).summary())
        .contains("dev1")
        .contains("quota of 100 bytes per 60 s for server dev1 used up");
  }

  @Test
  void serverToServer_aServerCallingItsOwnService_countsAgainstNothing() {
    policy(quota(PolicyScope.GATEWAY, "", 100, 60));
    for (int i = 0; i < 5; i++) {
      final ConsumerRequest sync =
          new ConsumerRequest(
              device("dev2"),
              "echo.demo",
              Optional.of("troupe/r/dev2/resp"),
              ByteString.EMPTY,
              ByteString.copyFrom(new byte[90]),
              "",
              Map.of(),
              Optional.empty());
      assertThat(f.router.onRequest(sync)).isInstanceOf(Decision.Forward.class);
    }
    assertThat(code(call(90, 0))).isEqualTo(200);
  }

  @Test
  void aPolicyChange_appliesToTheNextRequest() {
    assertThat(code(call(500, 0))).isEqualTo(200);
    policy(quota(PolicyScope.SERVICE, "echo.demo", 400, 60));
    assertThat(code(call(300, 0))).isEqualTo(200);
    assertThat(code(f.router.onRequest(request(300)))).isEqualTo(429);
    policy(quota(PolicyScope.SERVICE, "echo.demo", 4_000, 60));
    assertThat(code(call(300, 0))).isEqualTo(200);
  }

  @Test
  void usage_isSavedAsChangedRecords_andLoadedByARestartedRouter() {
    policy(quota(PolicyScope.SERVICE, "echo.demo", 1_000, 60));
    assertThat(code(call(600, 300))).isEqualTo(200);

    final List<UsageRecord> changed = f.router.changedUsage();
    assertThat(changed).hasSize(1);
    assertThat(changed.get(0).getIdentity()).isEqualTo("alice");
    assertThat(f.router.changedUsage()).isEmpty(); // nothing new since
    f.store.saveUsage(changed);

    final GatewayRouter restarted =
        new GatewayRouter(f.config, RouterFixture.LOGINS, f.clock, f.store);
    restarted.onConnected(device("dev1"), 99);
    f.router = restarted;
    f.online("dev1", "demo");
    assertThat(code(f.router.onRequest(request(200)))).isEqualTo(429);
    assertThat(code(call(100, 0))).isEqualTo(200);
  }

  @Test
  void showUsage_tellsAConsumerWhatItUsedAndWhenItFrees() {
    policy(quota(PolicyScope.SERVICE, "echo.demo", 1_000, 60));
    f.api(
        ADMIN,
        GatewayRequest.newBuilder()
            .setAddIdentity(
                io.troupe.proto.v1.AddIdentity.newBuilder()
                    .setName("alice")
                    .setRole(IdentityRole.CONSUMER))
            .build());
    assertThat(code(call(600, 400))).isEqualTo(200);
    final io.troupe.proto.v1.UsageReport usage =
        f.api(
                new Principal("alice", IdentityRole.CONSUMER, "c1"),
                GatewayRequest.newBuilder().setShowUsage(ShowUsage.getDefaultInstance()).build())
            .getUsage();
    assertThat(usage.getRowsList()).singleElement();
    assertThat(usage.getRows(0).getBytesReceived()).isEqualTo(600);
    assertThat(usage.getRows(0).getBytesSent()).isEqualTo(400);
    assertThat(usage.getRows(0).getFreesAtMs()).isGreaterThan(f.clock.millis());
  }
}
