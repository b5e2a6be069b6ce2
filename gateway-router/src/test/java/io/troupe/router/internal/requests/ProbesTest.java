package io.troupe.router.internal.requests;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.RouterFixture;
import io.troupe.router.internal.devices.Presence;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway pings idle and suspected servers on their /ctl topic, and believes the answers. */
public class ProbesTest {

  private RouterFixture f;

  @BeforeEach
  void twoServers() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private List<Directive.SendControl> pings() {
    return f.router.onTick().stream()
        .filter(d -> d instanceof Directive.SendControl c && c.control().hasPing())
        .map(d -> (Directive.SendControl) d)
        .toList();
  }

  private Directive.SendControl pingTo(final String device) {
    return pings().stream().filter(p -> p.device().equals(device)).findFirst().orElseThrow();
  }

  private void answer(final Directive.SendControl ping) {
    final String id = ping.control().getPing().getId();
    assertThat(
            f.router.onReply(
                device(ping.device()),
                ping.device(),
                id,
                TunnelResponse.newBuilder().setRequestId(id).setStatus(200).build().toByteString()))
        .isEmpty();
  }

  @Test
  void tick_serversNeverHeardFrom_arePingedOnTheirControlTopic() {
    final List<Directive.SendControl> pings = pings();
    assertThat(pings)
        .extracting(Directive.SendControl::device)
        .containsExactlyInAnyOrder("dev1", "dev2");
    assertThat(pings.get(0).topic()).isEqualTo("troupe/d/" + pings.get(0).device() + "/ctl");
    final Control c = pings.get(0).control();
    assertThat(c.getPing().getId()).startsWith(Probes.PREFIX);
  }

  @Test
  void tick_onePingInFlightPerServer_andNoneForAServerHeardFromRecently() {
    answer(pingTo("dev1"));
    f.clock.advance(Duration.ofMillis(500));
    assertThat(pings()).isEmpty(); // dev1 answered, dev2's ping is still in flight
    f.clock.advance(Probes.IDLE);
    assertThat(pings()).extracting(Directive.SendControl::device).contains("dev1");
  }

  @Test
  void tick_pingUnansweredWithinTheForwardTimeout_marksTheServerSuspected() {
    pings();
    f.clock.advance(f.config.forwardTimeout());
    f.router.onTick();
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.SUSPECTED);
    // a suspected server is pinged again soon, not after the idle period
    f.clock.advance(Probes.SUSPECTED_INTERVAL);
    assertThat(pings()).extracting(Directive.SendControl::device).contains("dev1", "dev2");
  }

  @Test
  void reply_toAPing_clearsSuspicion_andTheServerIsRoutedToAgain() {
    pings();
    f.clock.advance(f.config.forwardTimeout());
    f.router.onTick();
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.SUSPECTED);
    assertThat(((Decision.Forward) f.router.onRequest(RouterFixture.request("echo.demo"))).device())
        .isEqualTo("dev1"); // both suspected: the primary still first
    f.clock.advance(Probes.SUSPECTED_INTERVAL);
    answer(pingTo("dev2"));
    assertThat(f.router.presence("dev2")).isEqualTo(Presence.ALIVE);
    assertThat(((Decision.Forward) f.router.onRequest(RouterFixture.request("echo.demo"))).device())
        .isEqualTo("dev2");
  }

  @Test
  void tick_offlineServer_isNotPinged() {
    f.router.onDisconnected(device("dev2"), f.connectionOf("dev2"));
    assertThat(pings()).extracting(Directive.SendControl::device).containsExactly("dev1");
  }

  @Test
  void tick_manyIdleServers_pingsAtMostABoundedNumberPerTick() {
    for (int i = 0; i < Probes.MAX_PER_TICK + 20; i++) {
      f.register("d" + i, "demo", "echo");
      f.online("d" + i, "demo");
    }
    assertThat(pings()).hasSize(Probes.MAX_PER_TICK);
    assertThat(pings()).hasSize(22);
  }

  @Test
  void reply_aPingIdOnSomeoneElsesReplyTopic_isDropped() {
    final Directive.SendControl ping = pingTo("dev1");
    final String id = ping.control().getPing().getId();
    assertThat(
            f.router.onReply(
                device("dev2"),
                "dev1",
                id,
                TunnelResponse.newBuilder().setRequestId(id).build().toByteString()))
        .isEmpty();
    f.clock.advance(f.config.forwardTimeout());
    f.router.onTick();
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.SUSPECTED);
  }
}
