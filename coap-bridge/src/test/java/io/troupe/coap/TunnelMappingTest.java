package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;

class TunnelMappingTest {

  private static final InetSocketAddress BASE = new InetSocketAddress("127.0.0.1", 5699);

  @Test
  void toCoap_confirmable_toBasePrefixAndPath_withQueryBodyAndFormat() {
    final Request r =
        TunnelMapping.toCoap(
                TunnelRequest.newBuilder()
                    .setMethod("put")
                    .setPath("/x/y?a=1&b=2")
                    .setBody(ByteString.copyFromUtf8("{}"))
                    .setContentType("application/json; charset=utf-8")
                    .build(),
                BASE,
                "/api")
            .orElseThrow();

    assertThat(r.getCode()).isEqualTo(Code.PUT);
    assertThat(r.getType()).isEqualTo(Type.CON);
    assertThat(r.getDestinationContext().getPeerAddress()).isEqualTo(BASE);
    assertThat(r.getOptions().getUriPath()).containsExactly("api", "x", "y");
    assertThat(r.getOptions().getUriQuery()).containsExactly("a=1", "b=2");
    assertThat(r.getPayloadString()).isEqualTo("{}");
    assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
  }

  @Test
  void toCoap_noMethod_isGetWithoutBodyAndPostWithOne() {
    final Request get =
        TunnelMapping.toCoap(TunnelRequest.newBuilder().build(), BASE, "").orElseThrow();
    assertThat(get.getCode()).isEqualTo(Code.GET);
    assertThat(get.getOptions().getUriPath()).isEmpty();
    final Request post =
        TunnelMapping.toCoap(
                TunnelRequest.newBuilder()
                    .setBody(ByteString.copyFromUtf8("b"))
                    .setPath("time")
                    .build(),
                BASE,
                "")
            .orElseThrow();
    assertThat(post.getCode()).isEqualTo(Code.POST);
    assertThat(post.getOptions().getUriPath()).containsExactly("time");
  }

  @Test
  void toCoap_methodWithoutACoapTwin_isEmpty() {
    assertThat(TunnelMapping.toCoap(TunnelRequest.newBuilder().setMethod("HEAD").build(), BASE, ""))
        .isEmpty();
  }

  @Test
  void fromCoap_codeBodyAndContentType() {
    final Response response = new Response(ResponseCode.CONTENT);
    response.setPayload("hi");
    response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);

    final TunnelResponse t = TunnelMapping.fromCoap("r1", response);

    assertThat(t.getRequestId()).isEqualTo("r1");
    assertThat(t.getStatus()).isEqualTo(200);
    assertThat(t.getBody().toStringUtf8()).isEqualTo("hi");
    assertThat(t.getContentType()).isEqualTo("text/plain");
  }

  @Test
  void status_ofEveryCode() {
    assertThat(TunnelMapping.status(ResponseCode.CONTENT)).isEqualTo(200);
    assertThat(TunnelMapping.status(ResponseCode.CREATED)).isEqualTo(201);
    assertThat(TunnelMapping.status(ResponseCode.CHANGED)).isEqualTo(204);
    assertThat(TunnelMapping.status(ResponseCode.DELETED)).isEqualTo(200);
    assertThat(TunnelMapping.status(ResponseCode.BAD_REQUEST)).isEqualTo(400);
    assertThat(TunnelMapping.status(ResponseCode.BAD_OPTION)).isEqualTo(400);
    assertThat(TunnelMapping.status(ResponseCode.NOT_FOUND)).isEqualTo(404);
    assertThat(TunnelMapping.status(ResponseCode.REQUEST_ENTITY_TOO_LARGE)).isEqualTo(413);
    assertThat(TunnelMapping.status(ResponseCode.TOO_MANY_REQUESTS)).isEqualTo(429);
    assertThat(TunnelMapping.status(ResponseCode.SERVICE_UNAVAILABLE)).isEqualTo(503);
    assertThat(TunnelMapping.status(ResponseCode.GATEWAY_TIMEOUT)).isEqualTo(504);
    assertThat(TunnelMapping.status(ResponseCode.PROXY_NOT_SUPPORTED)).isEqualTo(502);
  }

  @Test
  void status_roundTripsThroughCoapCodes_forTheCodesWithATwin() {
    for (final int status :
        new int[] {201, 400, 401, 403, 404, 405, 413, 415, 429, 500, 503, 504}) {
      assertThat(TunnelMapping.status(CoapCodes.toCoapCode(status, Code.POST))).isEqualTo(status);
    }
  }
}
