package io.troupe.router.internal.routing;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import io.troupe.router.Decision;
import io.troupe.router.RouterFixture;
import io.troupe.router.RouterMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the router tells {@link RouterMetrics}: requests, answers, refusals and failovers. */
class RoutingTallyTest {

  /** Every event as one line, in order. */
  private static final class Recorded implements RouterMetrics {
    final List<String> events = new ArrayList<>();

    @Override
    public void requestRouted(final long nanos) {
      events.add("request " + nanos + "ns");
    }

    @Override
    public void refused(final int status) {
      events.add("refused " + status);
    }

    @Override
    public void answered(final int status) {
      events.add("answered " + status);
    }

    @Override
    public void failedOver(final FailoverCause cause) {
      events.add("failover " + cause);
    }
  }

  /** Moves 7 ns per read: a decision between two reads takes 7 ns. */
  private static final Ticker TICKER =
      new Ticker() {
        private long now;

        @Override
        public long read() {
          now += 7;
          return now;
        }
      };

  private RouterFixture f;
  private Recorded metrics;

  @BeforeEach
  void echoWithTwoServers() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    metrics = new Recorded();
    f.router.reportTo(metrics, TICKER);
  }

  private Decision.Forward forward(final String address) {
    return (Decision.Forward) f.router.onRequest(request(address));
  }

  private List<Decision> reply(final Decision.Forward fw, final int status) {
    return f.router.onReply(
        device(fw.device()),
        fw.device(),
        fw.requestId(),
        RouterFixture.reply(fw.requestId(), status, "x"));
  }

  @Test
  void served_isARequestAndAnAnswer() {
    reply(forward("echo.demo"), 201);
    assertThat(metrics.events).containsExactly("request 7ns", "answered 201");
  }

  @Test
  void refusedOnArrival_countsItsStatus() {
    f.router.onRequest(request("nothing.demo"));
    assertThat(metrics.events).containsExactly("request 7ns", "refused 404");
  }

  @Test
  void timeout_thenServedBySecondary() {
    final Decision.Forward fw = forward("echo.demo");
    f.clock.advance(Duration.ofSeconds(2));
    final Decision.Forward next =
        (Decision.Forward) f.router.onForwardTimeout(fw.requestId(), fw.attempt()).get(0);
    reply(next, 200);
    assertThat(metrics.events).containsExactly("request 7ns", "failover TIMEOUT", "answered 200");
  }

  @Test
  void disconnect_failsOverAndCountsAFailureOfTheServer() {
    forward("echo.demo");
    f.router.onDisconnected(device("dev1"), f.connectionOf("dev1") - 1);
    assertThat(metrics.events).containsExactly("request 7ns", "failover DISCONNECT");
  }

  @Test
  void serverAnswering503_failsOver_andTheLastOneIsTheGatewaysRefusal() {
    final Decision.Forward fw = forward("echo.demo");
    final Decision.Forward next = (Decision.Forward) reply(fw, 503).get(0);
    final Decision.Answer last = (Decision.Answer) reply(next, 503).get(0);
    assertThat(last.code()).isEqualTo(503);
    assertThat(metrics.events)
        .containsExactly("request 7ns", "failover UNAVAILABLE", "refused 503");
  }

  @Test
  void invalidStatusFromAServer_isTheGatewaysRefusalNotAnAnswer() {
    reply(forward("echo.demo"), 42);
    assertThat(metrics.events).containsExactly("request 7ns", "refused 502");
  }

  @Test
  void droppedReply_reportsNothing() {
    final Decision.Forward fw = forward("echo.demo");
    f.router.onReply(
        device("dev2"), "dev2", fw.requestId(), RouterFixture.reply(fw.requestId(), 200, "x"));
    assertThat(metrics.events).containsExactly("request 7ns");
  }

  @Test
  void aFailingListener_doesNotStopRouting() {
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void requestRouted(final long nanos) {
            throw new IllegalStateException("broken registry");
          }
        },
        TICKER);
    assertThat(f.router.onRequest(request("echo.demo"))).isInstanceOf(Decision.Forward.class);
  }
}
