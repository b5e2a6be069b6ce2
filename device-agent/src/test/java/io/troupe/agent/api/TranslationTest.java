package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.agent.internal.Descriptors;
import io.troupe.agent.internal.Translation;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranslationTest {

  @Test
  void tunnelRequest_becomesAServiceRequest() {
    final TunnelRequest t =
        TunnelRequest.newBuilder()
            .setRequestId("r-1")
            .setAttempt(2)
            .setService("echo")
            .setAddress("echo.demo")
            .setMethod("GET")
            .setPath("/a")
            .setBody(ByteString.copyFromUtf8("hi"))
            .setContentType("text/plain")
            .setSession("s")
            .setConsumer("alice")
            .putProperties("k", "v")
            .setDeadlineMs(1_000)
            .build();
    final ServiceRequest r = Translation.request(t);
    assertThat(r.requestId()).isEqualTo("r-1");
    assertThat(r.attempt()).isEqualTo(2);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(r.properties()).containsEntry("k", "v");
    assertThat(r.deadline()).isEqualTo(Instant.ofEpochMilli(1_000));
  }

  @Test
  void serviceResponse_becomesATunnelResponseWithTheRequestId() {
    final TunnelResponse t =
        Translation.response(
            "r-1",
            new ServiceResponse(
                201, "ok".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of("x", "y")));
    assertThat(t.getRequestId()).isEqualTo("r-1");
    assertThat(t.getStatus()).isEqualTo(201);
    assertThat(t.getBody().toStringUtf8()).isEqualTo("ok");
    assertThat(t.getPropertiesMap()).containsEntry("x", "y");
  }

  @Test
  void handlerFailure_becomes500WithAReason() {
    final TunnelResponse t =
        Translation.failure("r-1", 500, new IllegalStateException("disk gone"));
    assertThat(t.getStatus()).isEqualTo(500);
    assertThat(t.getPropertiesMap()).containsEntry("reason", "disk gone");
  }

  @Test
  void tunnelRequest_withoutDeadlineOrAttempt_hasNoDeadlineAndIsTheFirstAttempt() {
    final ServiceRequest r =
        Translation.request(TunnelRequest.newBuilder().setRequestId("r-2").build());
    assertThat(r.deadline()).isEqualTo(Instant.MAX);
    assertThat(r.attempt()).isEqualTo(1);
    assertThat(r.method()).isEmpty();
    assertThat(r.body()).isEmpty();
  }

  @Test
  void handlerFailure_wrappedByTheFuture_givesTheCausesReason() {
    final TunnelResponse t =
        Translation.failure(
            "r-1",
            500,
            new java.util.concurrent.CompletionException(new IllegalStateException("no disk")));
    assertThat(t.getPropertiesMap()).containsEntry("reason", "no disk");
    assertThat(
            Translation.failure("r-1", 500, new NullPointerException())
                .getPropertiesMap()
                .get("reason"))
        .isEqualTo("NullPointerException");
    assertThat(
            Translation.failure("r-1", 500, new RuntimeException("x".repeat(500)))
                .getPropertiesMap()
                .get("reason"))
        .hasSize(200);
  }

  @Test
  void outcome_responseNothingOrFailure() {
    final TunnelRequest request = TunnelRequest.newBuilder().setRequestId("r-3").build();
    assertThat(
            Translation.outcome(request, ServiceResponse.ok(new byte[] {1}, ""), null).getStatus())
        .isEqualTo(200);
    assertThat(Translation.outcome(request, null, null).getStatus()).isEqualTo(500);
    assertThat(Translation.outcome(request, null, new RuntimeException("x")).getRequestId())
        .isEqualTo("r-3");
  }

  @Test
  void folderDescriptor_listsItemsWithTheirSha256(@TempDir final Path folder) throws Exception {
    Files.writeString(folder.resolve("a.txt"), "alpha");
    Files.createDirectories(folder.resolve("sub"));
    Files.writeString(folder.resolve("sub").resolve("b.json"), "{}");
    final ServiceDescriptor d = Descriptors.ofFolder("album", folder);
    assertThat(d.getService()).isEqualTo("album");
    assertThat(d.getVersion()).isPositive();
    assertThat(d.getItemsList())
        .extracting(i -> i.getName())
        .containsExactly("a.txt", "sub/b.json");
    assertThat(d.getItems(0).getSize()).isEqualTo(5);
    assertThat(d.getItems(0).getSha256().toByteArray())
        .isEqualTo(
            MessageDigest.getInstance("SHA-256").digest("alpha".getBytes(StandardCharsets.UTF_8)));
    assertThat(d.getItems(1).getContentType()).isEqualTo("application/json");
  }

  @Test
  void serviceResponse_refusesAnImpossibleStatus() throws IOException {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ServiceResponse(42, new byte[0], "", Map.of()))
        .hasMessageContaining("42");
  }
}
