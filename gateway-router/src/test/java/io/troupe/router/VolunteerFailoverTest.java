package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.registry.Community;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Volunteers on failover (R16): a request of a service in a community formed from a directory group
 * that finds no usable server is held while a present group member that volunteers for the service
 * is asked to serve it, and is forwarded to it once it serves and reports itself available. dev1
 * owns "demo" and registered "echo" but is not connected; vol1 and vol2 are members of "demo".
 */
class VolunteerFailoverTest {

  private final RouterFixture f = new RouterFixture();
  private final List<String> counted = new ArrayList<>();
  private final Map<String, Long> connections = new java.util.HashMap<>();

  @BeforeEach
  void echoWithNoServerUp() {
    f.register("dev1", "demo", "echo");
    f.join("vol1", "demo");
    f.join("vol2", "demo");
    countMetrics();
  }

  private void countMetrics() {
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void volunteerAsked() {
            counted.add("asked");
          }

          @Override
          public void volunteerServed() {
            counted.add("served");
          }

          @Override
          public void holdRefused(final HoldCap cap) {
            counted.add("refused " + cap);
          }
        },
        Ticker.systemTicker());
  }

  /** "demo" is formed from a group whose members include {@code members}. */
  private void grouped(final String... members) {
    f.router.inRegistry(
        r -> {
          final Community demo = r.communities().get("demo");
          demo.setGroup("cn=crew,ou=groups,dc=example,dc=org");
          demo.groupMembers().addAll(List.of(members));
          return true;
        },
        changed -> changed);
  }

  /** {@code device} connects and reports itself available, volunteering for {@code services}. */
  private StatusReport volunteering(final String device, final String... services) {
    final long connection = 100 + connections.size();
    connections.put(device, connection);
    f.router.onConnected(RouterFixture.device(device), connection);
    return status(device, Availability.AVAILABLE, services);
  }

  private StatusReport status(
      final String device, final Availability availability, final String... services) {
    final StatusMessage status =
        StatusMessage.newBuilder()
            .setDeviceId(device)
            .setAvailability(availability)
            .addAllVolunteerServices(List.of(services))
            .build();
    final StatusReport report =
        f.router.report(RouterFixture.device(device), "demo", device, status.toByteString());
    assertThat(report.verdict().isAllowed()).isTrue();
    return report;
  }

  private Decision request() {
    return f.router.onRequest(RouterFixture.request("echo.demo"));
  }

  /** {@code volunteers}, in the group, volunteer for echo; a request of echo is held. */
  private Decision.Delay heldWith(final String... volunteers) {
    grouped(volunteers);
    for (final String v : volunteers) {
      volunteering(v, "echo");
    }
    return held(request());
  }

  /** Five seconds after {@code delay}, its timer fires: the request is held on. */
  private Decision.Delay fiveSecondsLater(final Decision.Delay delay) {
    f.clock.advance(Duration.ofSeconds(5));
    return held(f.router.onForwardTimeout(delay.requestId(), delay.attempt()).get(0));
  }

  private static Decision.Delay held(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Delay.class);
    return (Decision.Delay) d;
  }

  /** The member {@code delay} asks to volunteer, with the control it is sent. */
  private Optional<Control> askOf(final Decision.Delay delay, final String device) {
    return delay.directives().stream()
        .filter(Directive.SendControl.class::isInstance)
        .map(Directive.SendControl.class::cast)
        .filter(c -> c.device().equals(device))
        .peek(c -> assertThat(c.topic()).isEqualTo(f.config.topics().deviceControl(device)))
        .map(Directive.SendControl::control)
        .findFirst();
  }

  private static void refusedNoServer(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) d).code()).isEqualTo(503);
    assertThat(((Decision.Answer) d).directives()).isEmpty();
  }

  @Test
  void groupedCommunity_presentVolunteer_askedAndTheHeldRequestForwardedOnceItServes() {
    // given
    grouped("vol1");
    volunteering("vol1", "echo");

    // when: no server of echo is up
    final Decision.Delay delay = held(request());

    // then: vol1 is asked to volunteer, with the service's sources
    final Control ask = askOf(delay, "vol1").orElseThrow();
    assertThat(ask.hasVolunteer()).isTrue();
    assertThat(ask.getService()).isEqualTo("echo");
    assertThat(ask.getCommunity()).isEqualTo("demo");
    assertThat(ask.getVolunteer().getSourcesList()).containsExactly("dev1");
    assertThat(delay.delay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(f.router.pendingCount()).isEqualTo(1);

    // when: vol1 registers the service and reports itself available
    f.register("vol1", "demo", "echo");
    final StatusReport available = status("vol1", Availability.AVAILABLE, "echo");

    // then: the held request goes to it, and its answer to the consumer
    assertThat(available.decisions()).hasSize(1);
    final Decision.Forward forward = (Decision.Forward) available.decisions().get(0);
    assertThat(forward.device()).isEqualTo("vol1");
    assertThat(forward.requestId()).isEqualTo(delay.requestId());
    final List<Decision> answered =
        f.router.onReply(
            RouterFixture.device("vol1"),
            "vol1",
            forward.requestId(),
            RouterFixture.reply(forward.requestId(), 200, "pong"));
    assertThat(((Decision.Answer) answered.get(0)).code()).isEqualTo(200);
    assertThat(f.router.pendingCount()).isZero();
    assertThat(counted).containsExactly("asked", "served");
  }

  @Test
  void heldRequest_whyTellsOfTheAskAndTheForward() {
    grouped("vol1");
    volunteering("vol1", "echo");
    held(request());
    f.register("vol1", "demo", "echo");
    status("vol1", Availability.AVAILABLE, "echo");

    final List<DecisionRecord> why =
        f.why(RouterFixture.device("dev1"), "echo.demo").getDecisions().getDecisionsList();

    assertThat(why.get(why.size() - 2).getRule()).startsWith("asked vol1 to volunteer");
    assertThat(why.get(why.size() - 1).getServer()).isEqualTo("vol1");
    assertThat(why.get(why.size() - 1).getRule()).contains("held for a volunteer; vol1 was asked");
  }

  @Test
  void communityAnonymousToAll_whyNamesTheAskedMemberByPseudonym() {
    grouped("vol1");
    f.router.inRegistry(
        r -> {
          r.communities().get("demo").setAnonymity(io.troupe.proto.v1.Anonymity.ANONYMOUS_TO_ALL);
          return true;
        },
        changed -> changed);
    volunteering("vol1", "echo");
    held(request());

    final List<DecisionRecord> why =
        f.why(RouterFixture.device("vol2"), "echo.demo").getDecisions().getDecisionsList();

    assertThat(why.get(why.size() - 1).getRule())
        .startsWith("asked server-")
        .doesNotContain("vol1");
  }

  @Test
  void volunteerNotYetServing_availableStatusForwardsNothing() {
    grouped("vol1");
    volunteering("vol1", "echo");
    held(request());

    assertThat(status("vol1", Availability.AVAILABLE, "echo").decisions()).isEmpty();
    assertThat(f.router.pendingCount()).isEqualTo(1);
  }

  @Test
  void volunteerOffline_notAsked_503() {
    grouped("vol1");
    volunteering("vol1", "echo");
    f.router.onDisconnected(RouterFixture.device("vol1"), connections.get("vol1"));

    refusedNoServer(request());
    assertThat(counted).isEmpty();
  }

  @Test
  void volunteerNotInTheGroup_notAsked_503() {
    grouped("vol2");
    volunteering("vol1", "echo");

    refusedNoServer(request());
  }

  @Test
  void memberThatDoesNotVolunteerForTheService_notAsked_503() {
    grouped("vol1");
    volunteering("vol1", "other");

    refusedNoServer(request());
  }

  @Test
  void communityWithoutGroup_volunteerNotAsked_503() {
    volunteering("vol1", "echo");

    refusedNoServer(request());
  }

  @Test
  void consumerNamingAServer_noVolunteerAsked() {
    grouped("vol1");
    volunteering("vol1", "echo");

    final Decision d = f.router.onRequest(RouterFixture.request("dev1.echo.demo"));

    assertThat(d).isInstanceOf(Decision.Answer.class);
    assertThat(counted).isEmpty();
  }

  @Test
  void secondRequest_waitsOnTheOutstandingAsk() {
    grouped("vol1", "vol2");
    volunteering("vol1", "echo");
    volunteering("vol2", "echo");

    final Decision.Delay first = held(request());
    final Decision.Delay second = held(request());

    assertThat(askOf(first, "vol1")).isPresent();
    assertThat(second.directives()).isEmpty();
    assertThat(counted).containsExactly("asked");
  }

  @Test
  void askedVolunteerDoesNotCome_theNextIsAskedAfterFiveSeconds() {
    final Decision.Delay delay = heldWith("vol1", "vol2");
    assertThat(askOf(delay, "vol1")).isPresent();

    final Decision.Delay again = fiveSecondsLater(delay);

    assertThat(askOf(again, "vol2")).isPresent();
    assertThat(again.delay()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void onlyVolunteerDoesNotCome_askedAgainAfterFiveSeconds() {
    final Decision.Delay again = fiveSecondsLater(heldWith("vol1"));

    assertThat(askOf(again, "vol1")).isPresent();
    assertThat(counted).containsExactly("asked", "asked");
  }

  @Test
  void heldRequest_deadlinePasses_answered504() {
    final Decision.Delay again = fiveSecondsLater(heldWith("vol1"));

    f.clock.advance(again.delay());
    final Decision end = f.router.onForwardTimeout(again.requestId(), again.attempt()).get(0);

    assertThat(end).isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) end).code()).isEqualTo(504);
    assertThat(((Decision.Answer) end).reason()).contains("waited for a volunteer");
    assertThat(f.router.pendingCount()).isZero();
  }

  @Test
  void serverBackBeforeTheVolunteer_heldRequestGoesToIt() {
    grouped("vol1");
    volunteering("vol1", "echo");
    final Decision.Delay delay = held(request());

    f.router.onConnected(RouterFixture.device("dev1"), 1);
    final StatusReport back = status("dev1", Availability.AVAILABLE);

    assertThat(back.decisions()).hasSize(1);
    assertThat(((Decision.Forward) back.decisions().get(0)).device()).isEqualTo("dev1");
    assertThat(f.router.onForwardTimeout(delay.requestId(), delay.attempt())).isEmpty();
  }

  @Test
  void serverAnswers503_volunteerAskedInsteadOfRefusing() {
    grouped("vol1");
    volunteering("vol1", "echo");
    f.online("dev1", "demo");
    final Decision.Forward forward = (Decision.Forward) request();

    final List<Decision> after =
        f.router.onReply(
            RouterFixture.device("dev1"),
            "dev1",
            forward.requestId(),
            RouterFixture.reply(forward.requestId(), 503, "busy"));

    assertThat(askOf(held(after.get(0)), "vol1")).isPresent();
  }

  @Test
  void fifthHeldRequestOfOneConsumer_refused503() {
    grouped("vol1");
    volunteering("vol1", "echo");
    for (int i = 0; i < 4; i++) {
      held(request());
    }

    final Decision fifth = request();

    refusedNoServer(fifth);
    assertThat(((Decision.Answer) fifth).reason()).contains("max-held-requests-per-identity");
    assertThat(counted).endsWith("refused IDENTITY");
    assertThat(f.router.pendingCount()).isEqualTo(4);
  }

  @Test
  void heldPerServiceBound_refused503() {
    f.restartWith(f.config.withVolunteers(VolunteerLimits.defaults().withMaxHeldPerService(2)));
    countMetrics();
    grouped("vol1");
    volunteering("vol1", "echo");
    held(request());
    held(request());

    final Decision third = request();

    refusedNoServer(third);
    assertThat(((Decision.Answer) third).reason()).contains("max-held-requests-per-service");
    assertThat(counted).endsWith("refused SERVICE");
  }

  @Test
  void heldRequestAnswered_freesItsPlaceInTheBounds() {
    grouped("vol1");
    volunteering("vol1", "echo");
    final List<Decision.Delay> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(held(request()));
    }
    f.clock.advance(Duration.ofSeconds(10));
    for (final Decision.Delay d : four) {
      f.router.onForwardTimeout(d.requestId(), d.attempt());
    }

    assertThat(f.router.pendingCount()).isZero();
    assertThat(held(request()).directives()).hasSize(1);
  }
}
