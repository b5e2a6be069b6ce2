package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeAgentBuilder;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.IdentityRole;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An anonymous service (R15) called by {@code mosquitto_rr} and by the agent library: the answer
 * names no server, and the server's own address does not resolve. Skipped where the binary is
 * missing, except under CI.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnonymousServiceInteropIT {

  private static GatewayFixture gw;
  private static TroupeAgent agent;
  private static TroupeAgent shy;
  private static TroupeAgent plain;
  private static TroupeAgent veiled;
  private static TroupeConsumer consumer;
  private static String password;

  @BeforeAll
  static void start() throws Exception {
    final boolean present = MosquittoRrInteropIT.onPath("mosquitto_rr");
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          present, "mosquitto_rr is not installed (apt-get install mosquitto-clients)");
    }
    assertThat(present).as("CI must have mosquitto_rr").isTrue();
    gw = GatewayFixture.start("anonymous");
    // A service anonymous to consumers by its rule.
    agent = echo("anon-dev", "hidden", b -> b.anonymity(Anonymity.ANONYMOUS_TO_CONSUMERS));
    // A named service in which the primary asks to be anonymous to consumers itself (R15).
    shy =
        echo(
            "shy",
            "mixed",
            b -> b.members("plain").serverAnonymity(Anonymity.ANONYMOUS_TO_CONSUMERS));
    plain = echo("plain", "mixed", b -> b);
    // A community whose owner makes every service in it anonymous to consumers.
    veiled =
        echo("veiled-dev", "veiled", b -> b.communityAnonymity(Anonymity.ANONYMOUS_TO_CONSUMERS));
    password = gw.addIdentity("anon-user", IdentityRole.CONSUMER);
    consumer =
        TroupeConsumer.builder().port(gw.port()).user("anon-user").password(password).build();
    consumer.connect().get(10, TimeUnit.SECONDS);
  }

  /** A started echo agent of {@code device} in {@code community}, as {@code settings} make it. */
  private static TroupeAgent echo(
      final String device,
      final String community,
      final java.util.function.UnaryOperator<TroupeAgentBuilder> settings)
      throws Exception {
    final TroupeAgent started =
        settings
            .apply(
                TroupeAgent.builder()
                    .port(gw.port())
                    .deviceId(device)
                    .password(gw.addIdentity(device, IdentityRole.DEVICE))
                    .community(community)
                    .service("echo", ServiceHandler.echo()))
            .build();
    started.startBlocking();
    return started;
  }

  @AfterAll
  static void stop() throws Exception {
    if (consumer != null) {
      consumer.close();
    }
    for (final TroupeAgent a : new TroupeAgent[] {agent, shy, plain, veiled}) {
      if (a != null) {
        a.close();
      }
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  private static String rr(final String clientId, final String address, final String body)
      throws Exception {
    return MosquittoRr.call(
        gw.port(),
        "anon-user",
        password,
        clientId,
        "troupe/s/" + address,
        "troupe/r/" + clientId + "/resp",
        body);
  }

  @Test
  void mosquittoRr_anonymousService_answerHasNoServerProperty() throws Exception {
    final String out = rr("anon-rr1", "echo.hidden", "who answers?");
    assertThat(out).startsWith("who answers?|").contains("status:200");
    assertThat(out).doesNotContain("server:").doesNotContain("anon-dev");
  }

  @Test
  void mosquittoRr_serverAddressOfAnAnonymousService_gets404() throws Exception {
    assertThat(rr("anon-rr2", "anon-dev.echo.hidden", "x")).contains("status:404");
  }

  @Test
  void mosquittoRr_serverAnonymousInANamedService_isNeverNamed_theNamedOneKeepsItsAddress()
      throws Exception {
    final String byShy = rr("anon-rr3", "echo.mixed", "who answers?");
    assertThat(byShy).startsWith("who answers?|").contains("status:200");
    assertThat(byShy).doesNotContain("server:").doesNotContain("shy");
    assertThat(rr("anon-rr4", "shy.echo.mixed", "x")).contains("status:404");
    final String byPlain = rr("anon-rr5", "plain.echo.mixed", "and you?");
    assertThat(byPlain).startsWith("and you?|").contains("status:200").contains("server:plain");
  }

  @Test
  void mosquittoRr_communityAnonymousToConsumers_namedServiceNamesNoServer() throws Exception {
    final String out = rr("anon-rr6", "echo.veiled", "anyone?");
    assertThat(out).startsWith("anyone?|").contains("status:200");
    assertThat(out).doesNotContain("server:").doesNotContain("veiled-dev");
    assertThat(rr("anon-rr7", "veiled-dev.echo.veiled", "x")).contains("status:404");
  }

  @Test
  void agentLibrary_anonymousService_answerNamesNoServer() throws Exception {
    final CallResult r =
        consumer
            .call("echo.hidden", "hi".getBytes(), CallOptions.defaults())
            .get(15, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.server()).isEmpty();
  }
}
