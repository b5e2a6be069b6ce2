package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A volunteer serves while the primary is away, under every order (issue 13, bug 6): dev1 the
 * primary, dev2 a volunteer registered before dev3, a secondary.
 */
class VolunteerRoleTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void primaryVolunteerSecondary() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.register("dev3", "demo", "echo");
    f.assignRoles("dev1", "demo", "echo", Map.of("dev2", ServerRole.VOLUNTEER));
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    f.online("dev3", "demo");
  }

  private String servedBy() {
    return served(Map.of());
  }

  /** Ten requests while the primary is up: never the volunteer. */
  private void neverTheVolunteerWhileThePrimaryServes(final RequestOrder order) {
    f.order("dev1", "echo.demo", order);
    for (int i = 0; i < 10; i++) {
      assertThat(servedBy()).as("request %d under %s", i, order).isNotEqualTo("dev2");
    }
  }

  @Test
  void primaryFirst_primaryUp_neverTheVolunteer() {
    neverTheVolunteerWhileThePrimaryServes(RequestOrder.PRIMARY_FIRST);
  }

  @Test
  void secondaryFirst_primaryUp_theSecondary_neverTheVolunteer() {
    neverTheVolunteerWhileThePrimaryServes(RequestOrder.SECONDARY_FIRST);
    assertThat(servedBy()).isEqualTo("dev3");
  }

  @Test
  void leastLoaded_primaryUp_neverTheVolunteer() {
    neverTheVolunteerWhileThePrimaryServes(RequestOrder.LEAST_LOADED);
  }

  @Test
  void weighted_primaryUp_neverTheVolunteer() {
    neverTheVolunteerWhileThePrimaryServes(RequestOrder.WEIGHTED);
  }

  @Test
  void secondaryFirst_primaryAway_theVolunteerMayServe() {
    f.order("dev1", "echo.demo", RequestOrder.SECONDARY_FIRST);
    f.router.onDisconnected(RouterFixture.device("dev1"), 1);

    // dev2 registered before dev3: with the primary away it is a secondary like dev3
    assertThat(servedBy()).isEqualTo("dev2");
  }

  @Test
  void primaryFirst_primaryAwayAndNoSecondary_theVolunteerServes() {
    f.router.onDisconnected(RouterFixture.device("dev3"), 3);
    f.router.onDisconnected(RouterFixture.device("dev1"), 1);

    assertThat(servedBy()).isEqualTo("dev2");
  }

  @Test
  void why_theVolunteerSkippedWhileThePrimaryServes_saysSo() {
    f.order("dev1", "echo.demo", RequestOrder.SECONDARY_FIRST);
    servedBy();

    assertThat(
            f.why(RouterFixture.device("dev1"), "echo.demo")
                .getDecisions()
                .getDecisions(0)
                .getSkippedList())
        .anySatisfy(
            s -> {
              assertThat(s.getServer()).isEqualTo("dev2");
              assertThat(s.getReason()).contains("volunteer");
            });
  }

  @Test
  void primaryBack_aSessionTheVolunteerTook_staysWithIt() {
    // given: the primary and the secondary away, the volunteer serves session "evening"
    f.router.onDisconnected(RouterFixture.device("dev3"), 3);
    f.router.onDisconnected(RouterFixture.device("dev1"), 1);
    assertThat(served(Map.of("session", "evening"))).isEqualTo("dev2");

    // when
    f.online("dev1", "demo");

    // then: the session stays (R8); a new one goes to the primary
    assertThat(served(Map.of("session", "evening"))).isEqualTo("dev2");
    assertThat(served(Map.of("session", "morning"))).isEqualTo("dev1");
  }

  private String served(final Map<String, String> properties) {
    final Decision.Forward fw =
        (Decision.Forward) f.router.onRequest(RouterFixture.request("echo.demo", properties));
    f.router.onReply(
        RouterFixture.device(fw.device()),
        fw.device(),
        fw.requestId(),
        RouterFixture.reply(fw.requestId(), 200, "ok"));
    return fw.device();
  }
}
