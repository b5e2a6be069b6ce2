package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.RegisterService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Community and service names are case-insensitive: lower-cased where they enter the router, stored
 * and shown in lower case (issue 13, bug 10).
 */
class NameCaseTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void registeredInUpperCase() {
    final GatewayResponse r =
        f.register("dev1", RegisterService.newBuilder().setCommunity("ABC").setService("Echo"));
    assertThat(r.getStatus()).as(r.getReason()).isIn(200, 201);
    f.online("dev1", "ABC");
  }

  @Test
  void register_inUpperCase_isStoredAndShownInLowerCase() {
    assertThat(f.router.snapshot().toString()).doesNotContain("ABC").contains("abc");
    assertThat(f.table(device("dev1"), "ECHO.abc").getTable().getAddress()).isEqualTo("echo.abc");
  }

  @Test
  void request_toAnAddressInAnyCase_isRoutedToTheService() {
    final Decision d = f.router.onRequest(RouterFixture.request("Echo.ABC"));

    assertThat(d).isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) d).request().getAddress()).isEqualTo("echo.abc");
    assertThat(f.why(device("dev1"), "ECHO.ABC").getDecisions().getDecisionsCount()).isEqualTo(1);
  }

  @Test
  void status_inACommunityNamedInUpperCase_countsForTheLowerCaseOne() {
    assertThat(f.router.isMember("ABC", "dev1")).isTrue();
    assertThat(f.router.serverLists("dev1"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(((Directive.PublishServers) d).topic())
                    .isEqualTo("troupe/c/abc/svc/echo/servers"));
  }
}
