package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Principal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;

class RequestTranslatorTest {

  private static final Principal ALICE =
      new Principal("alice", IdentityRole.CONSUMER, "~bridged-coap-x-1");
  private final RequestTranslator translator = new RequestTranslator(Topics.withRoot("troupe"));

  @Test
  void target_addressAndPath() {
    assertThat(RequestTranslator.target(List.of("s", "echo.demo", "some", "path")))
        .contains(new RequestTranslator.Target("echo.demo", "/some/path"));
    assertThat(RequestTranslator.target(List.of("s", "echo.demo")))
        .contains(new RequestTranslator.Target("echo.demo", ""));
  }

  @Test
  void target_addressInAnyCase_isLowerCased_thePathIsNot() {
    assertThat(RequestTranslator.target(List.of("s", "ECHO.Demo", "Some", "PATH")))
        .contains(new RequestTranslator.Target("echo.demo", "/Some/PATH"));
  }

  @Test
  void target_notUnderServices_isEmpty() {
    assertThat(RequestTranslator.target(List.of("s"))).isEmpty();
    assertThat(RequestTranslator.target(List.of("c", "demo"))).isEmpty();
    assertThat(RequestTranslator.target(List.of())).isEmpty();
  }

  @Test
  void toConsumerRequest_methodPathBodyAndContentType() {
    // given
    final RequestTranslator.Target target = new RequestTranslator.Target("echo.demo", "/a/b");
    final byte[] body = "hello".getBytes(StandardCharsets.UTF_8);

    // when
    final ConsumerRequest r =
        translator.toConsumerRequest(
            ALICE, target, "POST", body, MediaTypeRegistry.APPLICATION_JSON);

    // then
    assertThat(r.address()).isEqualTo("echo.demo");
    assertThat(r.userProperties())
        .containsExactlyInAnyOrderEntriesOf(Map.of("method", "POST", "path", "/a/b"));
    assertThat(r.body().toStringUtf8()).isEqualTo("hello");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.responseTopic()).contains("troupe/r/~bridged-coap-x-1/coap");
    assertThat(r.expiry()).isEmpty();
  }

  @Test
  void toConsumerRequest_noPathNoFormat_leavesThemOut() {
    final ConsumerRequest r =
        translator.toConsumerRequest(
            ALICE, new RequestTranslator.Target("echo.demo", ""), "GET", null, -1);
    assertThat(r.userProperties()).containsOnlyKeys("method");
    assertThat(r.contentType()).isEmpty();
    assertThat(r.body().isEmpty()).isTrue();
  }

  @Test
  void contentFormat_roundTripsAndIgnoresParameters() {
    assertThat(RequestTranslator.contentFormat(RequestTranslator.contentType(0))).isZero();
    assertThat(RequestTranslator.contentFormat("text/plain; charset=utf-8"))
        .isEqualTo(MediaTypeRegistry.TEXT_PLAIN);
    assertThat(RequestTranslator.contentFormat("application/x-unknown"))
        .isEqualTo(MediaTypeRegistry.UNDEFINED);
    assertThat(RequestTranslator.contentType(65_000)).isEmpty();
  }

  @Test
  void toResponse_bodyWithItsFormat() {
    final Response r =
        RequestTranslator.toResponse(answer(200, "", "hi", "application/json"), Code.GET);
    assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
    assertThat(r.getPayloadString()).isEqualTo("hi");
    assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
  }

  @Test
  void toResponse_200ToAPost_isChanged() {
    final Response r =
        RequestTranslator.toResponse(answer(200, "", "hi", "application/json"), Code.POST);
    assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(r.getPayloadString()).isEqualTo("hi");
  }

  @Test
  void toResponse_refusalCarriesTheReasonAsDiagnosticPayload() {
    final Response r =
        RequestTranslator.toResponse(answer(503, "no server available", "", ""), Code.POST);
    assertThat(r.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
    assertThat(r.getPayloadString()).isEqualTo("no server available");
    assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.TEXT_PLAIN);
  }

  private static Decision.Answer answer(
      final int code, final String reason, final String body, final String type) {
    return new Decision.Answer(
        "r1",
        ALICE.clientId(),
        Optional.of("troupe/r/x/coap"),
        ByteString.EMPTY,
        code,
        reason,
        ByteString.copyFromUtf8(body),
        type,
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        List.of());
  }
}
