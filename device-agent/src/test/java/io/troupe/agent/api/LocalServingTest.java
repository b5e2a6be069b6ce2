package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.InstallLocally;
import io.troupe.proto.v1.RoleAssignment;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The device's own calls served by its own handler once the gateway said so (R17). */
class LocalServingTest {

  private final LocalServing local =
      new LocalServing(
          "dev2",
          (community, service) ->
              switch (service) {
                case "echo" -> Optional.of(ServiceHandler.echo());
                case "broken" ->
                    Optional.of(r -> CompletableFuture.failedFuture(new Exception("x")));
                case "slow" -> Optional.of(r -> new CompletableFuture<>());
                default -> Optional.empty();
              });

  private static Control install(final String service) {
    return Control.newBuilder()
        .setCommunity("demo")
        .setService(service)
        .setAddress(service + ".demo")
        .setInstallLocally(
            InstallLocally.newBuilder()
                .setServiceDescriptor(
                    ServiceDescriptor.newBuilder().setService(service).setVersion(3)))
        .build();
  }

  private CallResult call(final String address, final CallOptions options) {
    return local.call(address, "hi".getBytes(StandardCharsets.UTF_8), options).orElseThrow().join();
  }

  @Test
  void notToldYet_callsGoToTheGateway() {
    assertThat(local.servesLocally("echo.demo")).isFalse();
    assertThat(local.call("echo.demo", new byte[0], CallOptions.defaults())).isEmpty();
  }

  @Test
  void installLocally_ownHandlerAnswers_namingThisDevice() {
    assertThat(local.apply(install("echo"))).isTrue();
    final CallResult result = call("echo.demo", CallOptions.defaults());
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.text()).isEqualTo("hi");
    assertThat(result.server()).contains("dev2");
    assertThat(local.descriptor("echo.demo").orElseThrow().getVersion()).isEqualTo(3);
  }

  @Test
  void installLocally_keepsServingLocally_afterOtherControls() {
    local.apply(install("echo"));
    local.apply(
        Control.newBuilder()
            .setService("echo")
            .setAddress("echo.demo")
            .setRole(RoleAssignment.newBuilder().setRole(ServerRole.PASSIVE))
            .build());
    assertThat(local.servesLocally("echo.demo")).isTrue();
  }

  @Test
  void installLocally_forAServiceThisDeviceLacks_isIgnored() {
    assertThat(local.apply(install("weather"))).isFalse();
    assertThat(local.servesLocally("weather.demo")).isFalse();
  }

  @Test
  void failingHandler_answers500() {
    local.apply(install("broken"));
    assertThat(call("broken.demo", CallOptions.defaults()).status()).isEqualTo(500);
  }

  @Test
  void lateHandler_answers504() {
    local.apply(install("slow"));
    final CallResult result =
        call("slow.demo", CallOptions.defaults().withTimeout(Duration.ofMillis(50)));
    assertThat(result.status()).isEqualTo(504);
  }
}
