package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.SetServiceEnabled;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.requests.ProbesTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTest {

  private RouterFixture f;

  @BeforeEach
  void twoServers() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private Decision.Forward forwarded(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Forward.class);
    return (Decision.Forward) d;
  }

  private Decision.Answer answered(final List<Decision> ds) {
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0)).isInstanceOf(Decision.Answer.class);
    return (Decision.Answer) ds.get(0);
  }

  @Test
  void route_bothAlive_goesToPrimaryAndAnswersOnce() {
    final Decision.Forward fw = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(fw.device()).isEqualTo("dev1");
    assertThat(fw.topic()).isEqualTo("troupe/d/dev1/req");
    assertThat(fw.replyTopic()).isEqualTo("troupe/gw/reply/dev1");
    assertThat(fw.request().getBody().toStringUtf8()).isEqualTo("hello");
    assertThat(fw.request().getConsumer()).isEqualTo("alice");

    final Decision.Answer a =
        answered(
            f.router.onReply(
                device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 0, "hi")));
    assertThat(a.code()).isEqualTo(200);
    assertThat(a.body().toStringUtf8()).isEqualTo("hi");
    assertThat(a.server()).contains("dev1");
    assertThat(a.responseTopic()).contains("troupe/r/c1/resp");
    assertThat(a.correlationData().toStringUtf8()).isEqualTo("corr");
    assertThat(a.refusal()).isEmpty();

    assertThat(
            f.router.onReply(
                device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 0, "again")))
        .isEmpty();
    assertThat(f.router.onForwardTimeout(fw.requestId(), fw.attempt())).isEmpty();
    assertThat(f.router.pendingCount()).isZero();
  }

  @Test
  void route_serverOwnCode_passesThrough() {
    final Decision.Forward fw = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(
            answered(
                    f.router.onReply(
                        device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 404, "")))
                .code())
        .isEqualTo(404);
  }

  @Test
  void route_serverCodeOutsideHttpRange_becomes502() {
    final Decision.Forward fw = forwarded(f.router.onRequest(request("echo.demo")));
    final Decision.Answer answer =
        answered(
            f.router.onReply(
                device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 3144, "")));
    assertThat(answer.code()).isEqualTo(502);
    assertThat(answer.reason()).contains("invalid status 3144");
  }

  @Test
  void tick_statusTimedOutSilently_republishesTheListWithTheServerOffline() {
    assertThat(listsOnTick()).as("the first look only learns").isEmpty();
    f.clock.advance(Duration.ofSeconds(10));
    f.online("dev2", "demo");
    assertThat(listsOnTick()).isEmpty();
    f.clock.advance(Duration.ofSeconds(6));
    final List<Directive> lists = listsOnTick();
    assertThat(lists)
        .singleElement()
        .isInstanceOfSatisfying(
            Directive.PublishServers.class,
            d ->
                assertThat(d.list().getServersList())
                    .filteredOn(e -> e.getServer().equals("dev1"))
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getAvailability())
                                .isEqualTo(io.troupe.proto.v1.Availability.OFFLINE)));
    assertThat(listsOnTick()).as("said once").isEmpty();
  }

  /** What a tick publishes but the pings to idle servers ({@link ProbesTest}). */
  private List<Directive> listsOnTick() {
    return f.router.onTick().stream()
        .filter(d -> !(d instanceof Directive.SendControl c && c.control().hasPing()))
        .toList();
  }

  @Test
  void route_primaryStatusStale_goesToSecondary() {
    f.clock.advance(Duration.ofSeconds(10));
    f.online("dev2", "demo");
    f.clock.advance(Duration.ofSeconds(6));
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.DEAD);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void route_primarySaidOffline_goesToSecondary() {
    f.status("dev1", "demo", Availability.OFFLINE, 0);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void route_primaryDisabled_goesToSecondary() {
    f.api(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setSetServiceEnabled(
                SetServiceEnabled.newBuilder().setAddress("echo.demo").setEnabled(false))
            .build());
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void route_primaryAtItsInProgressLimit_goesToSecondary() {
    f.status("dev1", "demo", Availability.AVAILABLE, 1);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev1");
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void failover_onTimeout_forwardsToSecondaryWithSameRequestId() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(2));
    f.clock.advance(first.timeout());
    final List<Decision> next = f.router.onForwardTimeout(first.requestId(), first.attempt());
    final Decision.Forward second = forwarded(next.get(0));
    assertThat(second.device()).isEqualTo("dev2");
    assertThat(second.requestId()).isEqualTo(first.requestId());
    assertThat(second.request().getRequestId()).isEqualTo(first.requestId());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.request().getAttempt()).isEqualTo(2);
    assertThat(
            answered(
                    f.router.onReply(
                        device("dev2"),
                        "dev2",
                        second.requestId(),
                        reply(second.requestId(), 200, "ok")))
                .server())
        .contains("dev2");
  }

  @Test
  void failover_timedOutPrimaryIsSuspected_nextRequestGoesToSecondaryFirst() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    f.clock.advance(first.timeout());
    f.router.onForwardTimeout(first.requestId(), first.attempt());
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.SUSPECTED);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void failover_latePrimaryAnswerAfterFailover_isTakenOnce() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    f.clock.advance(first.timeout());
    forwarded(f.router.onForwardTimeout(first.requestId(), first.attempt()).get(0));
    assertThat(
            answered(
                    f.router.onReply(
                        device("dev1"),
                        "dev1",
                        first.requestId(),
                        reply(first.requestId(), 200, "late")))
                .server())
        .contains("dev1");
    assertThat(
            f.router.onReply(
                device("dev2"), "dev2", first.requestId(), reply(first.requestId(), 200, "second")))
        .isEmpty();
  }

  @Test
  void failover_onDisconnect_forwardsAtOnceWithoutWaitingForTimeout() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    final List<Decision> next =
        f.router.onDisconnected(device("dev1"), f.connectionOf("dev1") - 1).decisions();
    assertThat(forwarded(next.get(0)).device()).isEqualTo("dev2");
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.DEAD);
    assertThat(f.router.onForwardTimeout(first.requestId(), first.attempt())).isEmpty();
  }

  @Test
  void failover_on503_forwardsToNext() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    final List<Decision> next =
        f.router.onReply(
            device("dev1"), "dev1", first.requestId(), reply(first.requestId(), 503, ""));
    assertThat(forwarded(next.get(0)).device()).isEqualTo("dev2");
  }

  @Test
  void failover_everyServerAnswers503_gives503() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    final Decision.Forward second =
        forwarded(
            f.router
                .onReply(
                    device("dev1"), "dev1", first.requestId(), reply(first.requestId(), 503, ""))
                .get(0));
    final Decision.Answer a =
        answered(
            f.router.onReply(
                device("dev2"), "dev2", second.requestId(), reply(second.requestId(), 503, "")));
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.reason()).contains("dev2 answered 503");
  }

  @Test
  void failover_everyServerTimesOut_gives504() {
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    f.clock.advance(first.timeout());
    final Decision.Forward second =
        forwarded(f.router.onForwardTimeout(first.requestId(), 1).get(0));
    f.clock.advance(second.timeout());
    // nowhere else to go: the request waits on the last server until the deadline
    assertThat(f.router.onForwardTimeout(second.requestId(), 2))
        .singleElement()
        .isInstanceOf(Decision.Wait.class);
    f.clock.advance(f.config.defaultDeadline());
    final Decision.Answer a = answered(f.router.onForwardTimeout(second.requestId(), 2));
    assertThat(a.code()).isEqualTo(504);
    assertThat(a.reason()).contains("dev1").contains("dev2");
    assertThat(f.router.pendingCount()).isZero();
  }

  @Test
  void deadline_consumerExpiryShorterThanForwardTimeout_boundsTheAttemptAndGives504() {
    final ConsumerRequest r = request("echo.demo");
    final ConsumerRequest shortDeadline =
        new ConsumerRequest(
            r.principal(),
            r.address(),
            r.responseTopic(),
            r.correlationData(),
            r.body(),
            r.contentType(),
            r.userProperties(),
            Optional.of(Duration.ofSeconds(1)));
    final Decision.Forward first = forwarded(f.router.onRequest(shortDeadline));
    assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(1));
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(answered(f.router.onForwardTimeout(first.requestId(), 1)).code()).isEqualTo(504);
  }

  @Test
  void refuse_unknownAddress_gives404() {
    final Decision.Answer a = (Decision.Answer) f.router.onRequest(request("nope.demo"));
    assertThat(a.refusal()).contains(Status.NOT_FOUND);
    assertThat(a.code()).isEqualTo(404);
    assertThat(a.responseTopic()).isPresent();
  }

  @Test
  void refuse_noServerOnline_gives503() {
    f.router.onDisconnected(device("dev1"), -1);
    f.router.onDisconnected(device("dev2"), -1);
    final Decision.Answer a = (Decision.Answer) f.router.onRequest(request("echo.demo"));
    assertThat(a.refusal()).contains(Status.UNAVAILABLE);
    assertThat(a.reason()).contains("echo.demo");
  }

  @Test
  void refuse_noResponseTopic_gives400AndNoAnswerTopic() {
    final ConsumerRequest r = request("echo.demo");
    final ConsumerRequest bad =
        new ConsumerRequest(
            r.principal(),
            r.address(),
            Optional.empty(),
            r.correlationData(),
            r.body(),
            r.contentType(),
            r.userProperties(),
            r.expiry());
    final Decision.Answer a = (Decision.Answer) f.router.onRequest(bad);
    assertThat(a.refusal()).contains(Status.BAD_REQUEST);
    assertThat(a.responseTopic()).isEmpty();
  }

  @Test
  void refuse_responseTopicOutsideNamespace_gives403AndNeverAnswersThere() {
    final ConsumerRequest r = request("echo.demo");
    for (final String topic :
        List.of("troupe/r/c2/resp", "troupe/d/dev1/req", "other/topic", "troupe/r/c1/#")) {
      final ConsumerRequest bad =
          new ConsumerRequest(
              r.principal(),
              r.address(),
              Optional.of(topic),
              r.correlationData(),
              r.body(),
              r.contentType(),
              r.userProperties(),
              r.expiry());
      final Decision.Answer a = (Decision.Answer) f.router.onRequest(bad);
      assertThat(a.refusal()).as(topic).contains(Status.FORBIDDEN);
      assertThat(a.responseTopic()).as(topic).isEmpty();
    }
  }

  @Test
  void refuse_bodyOverLimit_gives413() {
    final ConsumerRequest r = request("echo.demo");
    final ConsumerRequest big =
        new ConsumerRequest(
            r.principal(),
            r.address(),
            r.responseTopic(),
            r.correlationData(),
            ByteString.copyFrom(new byte[f.config.maxPayloadBytes() + 1]),
            r.contentType(),
            r.userProperties(),
            r.expiry());
    assertThat(((Decision.Answer) f.router.onRequest(big)).refusal())
        .contains(Status.PAYLOAD_TOO_LARGE);
  }

  @Test
  void refuse_malformedAddress_gives400OnTheResponseTopic() {
    final Decision.Answer answer = (Decision.Answer) f.router.onRequest(request("Not..An/Address"));
    assertThat(answer.refusal()).contains(Status.BAD_REQUEST);
    assertThat(answer.responseTopic()).contains("troupe/r/c1/resp");
    assertThat(answer.reason()).contains("dotted name");
  }

  @Test
  void refuse_userPropertiesOverLimit_gives413() {
    final String big = "x".repeat(f.config.maxPayloadBytes());
    final Decision.Answer answer =
        (Decision.Answer) f.router.onRequest(request("echo.demo", Map.of("note", big)));
    assertThat(answer.refusal()).contains(Status.PAYLOAD_TOO_LARGE);
    assertThat(answer.reason()).contains("user properties");
  }

  @Test
  void session_servedBySecondary_staysThereAfterPrimaryReturns() {
    final Map<String, String> session = Map.of("session", "s-42");
    f.status("dev1", "demo", Availability.OFFLINE, 0);
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo", session)));
    assertThat(first.device()).isEqualTo("dev2");
    f.router.onReply(device("dev2"), "dev2", first.requestId(), reply(first.requestId(), 200, ""));
    f.online("dev1", "demo");
    assertThat(forwarded(f.router.onRequest(request("echo.demo", session))).device())
        .isEqualTo("dev2");
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev1");
  }

  @Test
  void noSessionProperty_theConsumerItselfIsTheSession_andStaysAfterPrimaryReturns() {
    f.status("dev1", "demo", Availability.OFFLINE, 0);
    final Decision.Forward first = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(first.device()).isEqualTo("dev2");
    f.router.onReply(device("dev2"), "dev2", first.requestId(), reply(first.requestId(), 200, ""));
    f.online("dev1", "demo");
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device())
        .as("the consumer stays with the server that served it")
        .isEqualTo("dev2");
    assertThat(
            forwarded(f.router.onRequest(request("echo.demo", Map.of("session", "new")))).device())
        .as("a named session of its own starts with the primary")
        .isEqualTo("dev1");
  }

  @Test
  void namedServerAddress_doesNotBindTheConsumersSession() {
    final Decision.Forward named = forwarded(f.router.onRequest(request("dev2.echo.demo")));
    f.router.onReply(device("dev2"), "dev2", named.requestId(), reply(named.requestId(), 200, ""));
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev1");
  }

  @Test
  void namedServerAddress_goesOnlyToThatServer() {
    assertThat(forwarded(f.router.onRequest(request("dev2.echo.demo"))).device()).isEqualTo("dev2");
  }

  @Test
  void reply_fromAServerNotTried_isIgnored() {
    final Decision.Forward fw = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(
            f.router.onReply(
                device("dev2"), "dev2", fw.requestId(), reply(fw.requestId(), 200, "forged")))
        .isEmpty();
    assertThat(
            f.router.onReply(
                RouterFixture.consumer("dev1"),
                "dev1",
                fw.requestId(),
                reply(fw.requestId(), 200, "forged")))
        .isEmpty();
    assertThat(f.router.pendingCount()).isEqualTo(1);
  }

  @Test
  void reply_malformed_isDroppedAndRequestStillPending() {
    final Decision.Forward fw = forwarded(f.router.onRequest(request("echo.demo")));
    assertThat(
            f.router.onReply(
                device("dev1"),
                "dev1",
                fw.requestId(),
                ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})))
        .isEmpty();
    assertThat(f.router.pendingCount()).isEqualTo(1);
  }

  @Test
  void status_malformed_isRefusedAndChangesNothing() {
    f.router.onDisconnected(device("dev1"), -1);
    final Verdict v =
        f.router.onStatus(
            device("dev1"), "demo", "dev1", ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}));
    assertThat(v.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.DEAD);
  }

  @Test
  void status_forAnotherDevice_isRefused() {
    assertThat(f.router.onStatus(device("dev2"), "demo", "dev1", ByteString.EMPTY).status())
        .isEqualTo(Status.FORBIDDEN);
    assertThat(
            f.router
                .onStatus(RouterFixture.consumer("c1"), "demo", "dev1", ByteString.EMPTY)
                .status())
        .isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void status_inACommunityNotJoined_isRefused() {
    assertThat(f.router.onStatus(device("dev1"), "other", "dev1", ByteString.EMPTY).status())
        .isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void status_changingAvailability_republishesTheServersDistributionList() {
    final StatusMessage busy =
        StatusMessage.newBuilder().setDeviceId("dev1").setAvailability(Availability.BUSY).build();
    final StatusReport changed =
        f.router.report(device("dev1"), "demo", "dev1", busy.toByteString());
    assertThat(changed.directives())
        .singleElement()
        .isInstanceOfSatisfying(
            Directive.PublishServers.class,
            d ->
                assertThat(d.list().getServersList())
                    .extracting(e -> e.getServer() + ":" + e.getAvailability())
                    .containsExactly("dev1:BUSY", "dev2:AVAILABLE"));
    assertThat(f.router.report(device("dev1"), "demo", "dev1", busy.toByteString()).directives())
        .as("same availability again")
        .isEmpty();
  }

  @Test
  void reconnect_serverIsNotAliveUntilItReportsOnTheNewConnection() {
    f.router.onConnected(device("dev1"), 99);
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.UNKNOWN);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev2");
    f.status("dev1", "demo", Availability.AVAILABLE, 0);
    assertThat(forwarded(f.router.onRequest(request("echo.demo"))).device()).isEqualTo("dev1");
    assertThat(f.router.onDisconnected(device("dev1"), 98))
        .as("an older connection's end")
        .isEqualTo(Departure.NONE);
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.ALIVE);
  }
}
