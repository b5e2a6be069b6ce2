package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
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
 * The patent's figure 14 (R18), with roles by hand (R1): a device browses the catalogue, starts a
 * service in a community of its own, two agents serve it, the owner makes the other one primary,
 * which learns it on its control topic, and the next session goes to it. Then the owner makes the
 * rule least-loaded and the load-balancing table spreads requests over both servers: by the
 * requests in progress at each, and by the load each reports in its status.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CatalogueIT {

  private static GatewayFixture gw;
  private static final List<TroupeAgent> agents = new CopyOnWriteArrayList<>();
  private static TroupeConsumer erin;
  private static String annPassword;
  private static String bobPassword;

  private static TroupeAgent agent(
      final String device,
      final String password,
      final String community,
      final ServiceDescriptor descriptor,
      final List<Control> controls) {
    final TroupeAgent agent =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(device)
            .password(password)
            .community(community)
            .statusInterval(Duration.ofMillis(500))
            .service(
                "shoppinglist",
                // Slow enough that concurrent requests are in progress together (figure 14).
                request ->
                    CompletableFuture.supplyAsync(
                        () ->
                            ServiceResponse.ok(
                                ("list of " + device).getBytes(StandardCharsets.UTF_8),
                                "text/plain"),
                        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)),
                descriptor)
            .onControl(controls::add)
            .build();
    agents.add(agent);
    return agent;
  }

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("catalogue");
    final ServiceDescriptor installable =
        ServiceDescriptor.newBuilder()
            .setService("shoppinglist")
            .setVersion(1)
            .setInstallable(true)
            .build();
    agent(
            "vendor",
            gw.addIdentity("vendor", IdentityRole.DEVICE),
            "market",
            installable,
            new CopyOnWriteArrayList<>())
        .startBlocking();
    annPassword = gw.addIdentity("ann", IdentityRole.DEVICE);
    bobPassword = gw.addIdentity("bob", IdentityRole.DEVICE);
    erin =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("erin")
            .password(gw.addIdentity("erin", IdentityRole.CONSUMER))
            .build();
    erin.connect().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (erin != null) {
      erin.close();
    }
    for (final TroupeAgent a : agents) {
      a.close();
    }
    gw.closeInBackground();
  }

  private static CallResult call(final String session) throws Exception {
    return erin.call("abc.shoppinglist", new byte[0], CallOptions.defaults().withSession(session))
        .get(15, TimeUnit.SECONDS);
  }

  @Test
  void figure14_browseStartServeAndReassignThePrimaryByHand() throws Exception {
    // given: ann finds the shopping list in the catalogue and starts it in her community abc
    final Map<String, String> asAnn = Map.of("TROUPE_USER", "ann", "TROUPE_PASSWORD", annPassword);
    final String port = Integer.toString(gw.port());
    final CommandLineIT.Run listed = CommandLineIT.troupe(asAnn, "catalogue", "--port", port);
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("shoppinglist.market shoppinglist");
    final CommandLineIT.Run started =
        CommandLineIT.troupe(
            asAnn,
            "start",
            "shoppinglist",
            "--community",
            "abc",
            "--member",
            "bob",
            "--port",
            port);
    assertThat(started.exit()).as(started.err()).isZero();
    assertThat(started.out().trim()).isEqualTo("abc.shoppinglist");

    // when: ann and bob serve it
    final List<Control> annControls = new CopyOnWriteArrayList<>();
    final List<Control> bobControls = new CopyOnWriteArrayList<>();
    final TroupeAgent ann = agent("ann", annPassword, "abc", started(), annControls);
    final TroupeAgent bob = agent("bob", bobPassword, "abc", started(), bobControls);
    assertThat(ann.startBlocking())
        .extracting(Registration::address, Registration::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("abc.shoppinglist", ServerRole.PRIMARY));
    assertThat(bob.startBlocking())
        .extracting(Registration::role)
        .containsExactly(ServerRole.SECONDARY);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(call("first").server()).contains("ann"));

    // then: ann makes bob primary by hand; both learn it on /ctl, the next session goes to bob
    final CommandLineIT.Run assigned =
        CommandLineIT.troupe(
            asAnn,
            "roles",
            "shoppinglist",
            "--community",
            "abc",
            "--primary",
            "bob",
            "--port",
            port);
    assertThat(assigned.exit()).as(assigned.err()).isZero();
    assertThat(assigned.out()).contains("bob PRIMARY");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(bobControls)
                  .anySatisfy(c -> assertThat(c.getRole().getRole()).isEqualTo(ServerRole.PRIMARY));
              assertThat(annControls)
                  .anySatisfy(
                      c -> assertThat(c.getRole().getRole()).isEqualTo(ServerRole.SECONDARY));
            });
    assertThat(bob.registrations().get("shoppinglist").role()).isEqualTo(ServerRole.PRIMARY);
    final CallResult next = call("second");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.server()).contains("bob");
    assertThat(next.text()).isEqualTo("list of bob");

    // when: ann makes the rule least-loaded and eight sessions call at once
    final CommandLineIT.Run ruled =
        CommandLineIT.troupe(
            asAnn, "rule", "abc.shoppinglist", "--order", "LEAST_LOADED", "--port", port);
    assertThat(ruled.exit()).as(ruled.err()).isZero();
    assertThat(ruled.out().trim()).isEqualTo("abc.shoppinglist LEAST_LOADED");
    // both servers learn the new rule on /ctl
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(ann.rule("shoppinglist"))
                  .hasValueSatisfying(
                      r -> assertThat(r.getOrder()).isEqualTo(RequestOrder.LEAST_LOADED));
              assertThat(bob.rule("shoppinglist"))
                  .hasValueSatisfying(
                      r -> assertThat(r.getOrder()).isEqualTo(RequestOrder.LEAST_LOADED));
            });
    assertThat(annControls).anySatisfy(c -> assertThat(c.hasRule()).isTrue());
    final List<CompletableFuture<CallResult>> together = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      together.add(
          erin.call(
              "abc.shoppinglist",
              new byte[0],
              CallOptions.defaults().withSession("together-" + i)));
    }
    final Map<String, Long> servedBy = new java.util.TreeMap<>();
    for (final CompletableFuture<CallResult> call : together) {
      final CallResult result = call.get(15, TimeUnit.SECONDS);
      assertThat(result.status()).isEqualTo(200);
      servedBy.merge(result.server().orElseThrow(), 1L, Long::sum);
    }
    // then: each server got its share, by the requests in progress the table counts
    assertThat(servedBy).containsOnlyKeys("ann", "bob");
    assertThat(servedBy.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));

    // then: a server that reports itself busier gets no new session while the other is idle
    bob.setMetrics(Metrics.newBuilder().setLoad(0.9).build()).get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(call("after-bob-busy").server()).contains("ann"));
    for (int i = 0; i < 3; i++) {
      assertThat(call("busy-" + i).server()).contains("ann");
    }
  }

  private static ServiceDescriptor started() {
    return ServiceDescriptor.newBuilder().setService("shoppinglist").setVersion(1).build();
  }
}
