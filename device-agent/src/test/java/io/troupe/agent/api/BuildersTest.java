package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildersTest {

  private static TroupeAgentBuilder agent() {
    return TroupeAgent.builder()
        .port(1)
        .deviceId("dev1")
        .password("pw")
        .community("demo")
        .service("echo", ServiceHandler.echo());
  }

  @Test
  void agent_needsIdPasswordCommunityAndAService() {
    assertThatThrownBy(() -> TroupeAgent.builder().deviceId("dev1").password("p").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("community");
    assertThatThrownBy(
            () -> TroupeAgent.builder().deviceId("dev1").password("p").community("c").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("service");
  }

  @Test
  void agent_volunteerServiceNeedsAHandlerAndAContentStore() {
    final ContentStore store = new io.troupe.agent.internal.content.MemoryContentStore();
    assertThatThrownBy(() -> agent().volunteer("files").content("files", store).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("files");
    assertThatThrownBy(
            () -> agent().volunteer("files").service("files", ServiceHandler.echo()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("content store");
  }

  @Test
  void agent_volunteerService_listedAsVolunteerNotAsAShareUntilAsked() {
    final TroupeAgent a =
        agent()
            .service("files", ServiceHandler.echo())
            .content("files", new io.troupe.agent.internal.content.MemoryContentStore())
            .volunteer("Files")
            .build();

    assertThat(a.status().getVolunteerServicesList()).containsExactly("files");
    assertThat(a.status().getServicesList())
        .extracting(io.troupe.proto.v1.ServiceShare::getService)
        .containsExactly("echo");
  }

  @Test
  void agent_namesMustBeDnsLabels() {
    assertThatThrownBy(() -> TroupeAgent.builder().deviceId("Dev_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Dev_1");
    assertThatThrownBy(() -> TroupeAgent.builder().community("a.b"))
        .hasMessageContaining("community");
    assertThatThrownBy(() -> TroupeAgent.builder().service("-x", ServiceHandler.echo()))
        .hasMessageContaining("service");
    assertThatThrownBy(() -> TroupeAgent.builder().statusInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TroupeAgent.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agent_unreachableGateway_failsStartWith503_andStartsOnlyOnce() throws Exception {
    try (TroupeAgent a = agent().build()) {
      assertThatThrownBy(() -> a.start().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TroupeException.class)
          .cause()
          .satisfies(e -> assertThat(((TroupeException) e).status()).isEqualTo(503));
      assertThatThrownBy(() -> a.start().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void agent_beforeStart_reportsItsStatusAndClosesQuietlyTwice() {
    final TroupeAgent a = agent().maxRequestsInProgress(4).build();
    assertThat(a.status().getServices(0).getService()).isEqualTo("echo");
    assertThat(a.status().getServices(0).getEnabled()).isTrue();
    assertThat(a.status().getMetrics().getMaxRequestsInProgress()).isEqualTo(4);
    assertThat(a.setServiceEnabled("echo", false)).isCompleted();
    assertThat(a.status().getServices(0).getEnabled()).isFalse();
    assertThatThrownBy(() -> a.setServiceEnabled("album", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("album");
    assertThat(a.requestsInProgress()).isZero();
    a.close();
    a.close();
  }

  @Test
  void consumer_randomClientIdNamesItsNamespace() {
    try (TroupeConsumer c = TroupeConsumer.builder().user("alice").password("pw").build()) {
      assertThat(c.clientId()).matches("troupe-[0-9a-f]{8}");
    }
  }

  @Test
  void consumer_badInputIsRefusedNamingIt() {
    assertThatThrownBy(() -> TroupeConsumer.builder().clientId("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> TroupeConsumer.builder().user("alice").build())
        .isInstanceOf(IllegalStateException.class);
    try (TroupeConsumer c = TroupeConsumer.builder().user("alice").password("pw").build()) {
      assertThatThrownBy(() -> c.call("no address", new byte[0], CallOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no address");
    }
  }

  @Test
  void callOptions_refuseANonPositiveTimeout() {
    assertThatThrownBy(() -> CallOptions.defaults().withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
