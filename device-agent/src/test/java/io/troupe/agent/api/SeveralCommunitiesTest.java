package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One agent serving several services in several communities (issue 13, bug 2). */
class SeveralCommunitiesTest {

  private static final ServiceHandler ECHO = ServiceHandler.echo();
  private static final ServiceHandler OTHER = r -> ECHO.handle(r);

  private static TroupeAgentBuilder agent() {
    return TroupeAgent.builder().deviceId("dev1").password("pw").port(1);
  }

  @Test
  void names_areLowerCased_asTheGatewayDoes() {
    final TroupeAgentBuilder b =
        agent()
            .community("ABC")
            .community("Demo")
            .service("Echo", ECHO)
            .serviceIn("XYZ", "Notes", ECHO);
    assertThat(b.communities).containsExactly("abc", "demo", "xyz");
    assertThat(b.servicesByCommunity().get("xyz")).containsOnlyKeys("echo", "notes");
  }

  @Test
  void plainService_isServedEverywhere_aPinnedOneOnlyInItsCommunity_andWinsThere() {
    final TroupeAgentBuilder b =
        agent()
            .community("demo")
            .community("abc")
            .service("echo", ECHO)
            .serviceIn("abc", "shoppinglist", ECHO)
            .serviceIn("abc", "echo", OTHER);
    assertThat(b.servicesByCommunity().get("demo")).containsOnlyKeys("echo");
    assertThat(b.servicesByCommunity().get("demo").get("echo").handler()).isSameAs(ECHO);
    assertThat(b.servicesByCommunity().get("abc")).containsOnlyKeys("echo", "shoppinglist");
    assertThat(b.servicesByCommunity().get("abc").get("echo").handler()).isSameAs(OTHER);
  }

  @Test
  void aCommunityWithNothingToServe_isRefusedAtBuild() {
    assertThatThrownBy(() -> agent().community("demo").serviceIn("abc", "echo", ECHO).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no service to serve in demo");
  }

  @Test
  void servicesAreNamed_byNameWhereUnique_byAddressWhereServedTwice() {
    try (TroupeAgent a =
        agent()
            .community("demo")
            .community("abc")
            .service("echo", ECHO)
            .serviceIn("abc", "notes", ECHO)
            .build()) {
      assertThat(a.communities()).containsExactly("demo", "abc");
      assertThat(a.setServiceEnabled("notes", false)).isCompleted();
      assertThat(a.setServiceEnabled("echo.ABC", false)).isCompleted();
      assertThatThrownBy(() -> a.setServiceEnabled("echo", false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("echo.demo");
      assertThatThrownBy(() -> a.setServiceEnabled("notes.demo", false))
          .hasMessageContaining("no service 'notes.demo'");
      assertThat(a.status().getServicesList())
          .extracting(ServiceShareView::of)
          .containsExactly("echo:true", "echo:false", "notes:false");
    }
  }

  /** A share as "service:enabled". */
  private static final class ServiceShareView {
    static String of(final io.troupe.proto.v1.ServiceShare s) {
      return s.getService() + ":" + s.getEnabled();
    }
  }
}
