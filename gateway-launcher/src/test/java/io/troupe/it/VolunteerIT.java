package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ServerRole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The patent's figure 9 (R7, R8): the primary is offline, the gateway forwards to the volunteer;
 * when the primary comes back the consumer's session stays with the volunteer that first served it
 * (the {@code session} user property, else the consumer itself), until the volunteer leaves. The
 * volunteer's role is assigned in advance, before it first registers (R1).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VolunteerIT {

  private static GatewayFixture gw;
  private static final List<TroupeAgent> agents = new CopyOnWriteArrayList<>();
  private static final List<TroupeConsumer> consumers = new CopyOnWriteArrayList<>();
  private static String providerPassword;
  private static String volunteerPassword;
  private static String erinPassword;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("volunteer");
    providerPassword = gw.addIdentity("provider", IdentityRole.DEVICE);
    volunteerPassword = gw.addIdentity("volunteer", IdentityRole.DEVICE);
    erinPassword = gw.addIdentity("erin", IdentityRole.CONSUMER);
  }

  @AfterAll
  static void stop() throws Exception {
    consumers.forEach(TroupeConsumer::close);
    agents.forEach(TroupeAgent::close);
    gw.closeInBackground();
  }

  private static TroupeAgent agent(final String device, final String password) {
    final TroupeAgent agent =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(device)
            .password(password)
            .community("family")
            .members("volunteer")
            .statusInterval(Duration.ofMillis(500))
            .service(
                "movies",
                request ->
                    CompletableFuture.completedFuture(
                        ServiceResponse.ok(
                            ("movies of " + device).getBytes(StandardCharsets.UTF_8),
                            "text/plain")))
            .build();
    agents.add(agent);
    return agent;
  }

  private static TroupeConsumer consumer(final String clientId) throws Exception {
    final TroupeConsumer consumer =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("erin")
            .password(erinPassword)
            .clientId(clientId)
            .build();
    consumer.connect().get(10, TimeUnit.SECONDS);
    consumers.add(consumer);
    return consumer;
  }

  private static CallResult call(final TroupeConsumer consumer, final CallOptions options)
      throws Exception {
    return consumer.call("movies.family", new byte[0], options).get(15, TimeUnit.SECONDS);
  }

  @Test
  void figure9_primaryOffline_volunteerServes_andKeepsTheSessionAfterThePrimaryReturns()
      throws Exception {
    // given: the provider shares movies; the owner names the volunteer in advance, before it
    // has ever registered, and it registers in that role
    final TroupeAgent provider = agent("provider", providerPassword);
    assertThat(provider.startBlocking())
        .extracting(Registration::role)
        .containsExactly(ServerRole.PRIMARY);
    final CommandLineIT.Run assigned =
        CommandLineIT.troupe(
            Map.of("TROUPE_USER", "provider", "TROUPE_PASSWORD", providerPassword),
            "roles",
            "movies",
            "--community",
            "family",
            "--volunteer",
            "volunteer",
            "--port",
            Integer.toString(gw.port()));
    assertThat(assigned.exit()).as(assigned.err()).isZero();
    final TroupeAgent volunteer = agent("volunteer", volunteerPassword);
    assertThat(volunteer.startBlocking())
        .extracting(Registration::role)
        .containsExactly(ServerRole.VOLUNTEER);
    final TroupeConsumer erin = consumer("erin-phone");
    final CallOptions evening = CallOptions.defaults().withSession("evening");

    // when: the provider is offline, the volunteer serves erin (her client, and her named session)
    provider.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(call(erin, CallOptions.defaults()).server()).contains("volunteer"));
    assertThat(call(erin, evening).server()).contains("volunteer");

    // when: the provider comes back online and registers again, new consumers get it
    final TroupeAgent back = agent("provider", providerPassword);
    assertThat(back.startBlocking())
        .extracting(Registration::role)
        .containsOnly(ServerRole.PRIMARY);
    final TroupeConsumer tablet = consumer("erin-tablet");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(call(tablet, CallOptions.defaults()).server()).contains("provider"));

    // then: erin's sessions stay with the volunteer that first served them
    for (int i = 0; i < 3; i++) {
      final CallResult same = call(erin, CallOptions.defaults());
      assertThat(same.status()).isEqualTo(200);
      assertThat(same.server()).as("the consumer's own session").contains("volunteer");
      assertThat(same.text()).isEqualTo("movies of volunteer");
      assertThat(call(erin, evening).server()).as("the named session").contains("volunteer");
    }

    // then: until the volunteer becomes unusable; the primary takes the sessions over
    volunteer.close();
    final CallResult after = call(erin, evening);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.server()).contains("provider");
    assertThat(call(erin, CallOptions.defaults()).server()).contains("provider");
  }
}
