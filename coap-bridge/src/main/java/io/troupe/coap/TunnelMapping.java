package io.troupe.coap;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.elements.AddressEndpointContext;

/**
 * Pure mapping between the router's tunnel messages and the CoAP messages a device registered over
 * CoAP gets: a {@link TunnelRequest} to a confirmable request to the device's base, link prefix and
 * the request's path; the device's response to a {@link TunnelResponse} (2.05 to 200, 2.01 to 201,
 * 4.04 to 404, 5.03 to 503…).
 */
final class TunnelMapping {

  private TunnelMapping() {}

  /**
   * The CoAP request for {@code request} to a device at {@code base} serving below {@code prefix}.
   * An empty method is GET without a body and POST with one.
   *
   * @return empty when the method has no CoAP twin (HEAD, OPTIONS…)
   */
  static Optional<Request> toCoap(
      final TunnelRequest request, final InetSocketAddress base, final String prefix) {
    final Optional<Code> code = method(request.getMethod(), !request.getBody().isEmpty());
    if (code.isEmpty()) {
      return Optional.empty();
    }
    final Request coap = new Request(code.get(), Type.CON);
    coap.setDestinationContext(new AddressEndpointContext(base));
    final String path = request.getPath();
    final int question = path.indexOf('?');
    final String pathOnly = question < 0 ? path : path.substring(0, question);
    final String full =
        prefix + (pathOnly.isEmpty() || pathOnly.startsWith("/") ? "" : "/") + pathOnly;
    if (!full.isEmpty() && !full.equals("/")) {
      coap.getOptions().setUriPath(full.startsWith("/") ? full.substring(1) : full);
    }
    if (question >= 0 && question + 1 < path.length()) {
      coap.getOptions().setUriQuery(path.substring(question + 1));
    }
    if (!request.getBody().isEmpty()) {
      coap.setPayload(request.getBody().toByteArray());
    }
    final int format = RequestTranslator.contentFormat(request.getContentType());
    if (format != MediaTypeRegistry.UNDEFINED) {
      coap.getOptions().setContentFormat(format);
    }
    return Optional.of(coap);
  }

  static Optional<Code> method(final String method, final boolean hasBody) {
    if (method.isEmpty()) {
      return Optional.of(hasBody ? Code.POST : Code.GET);
    }
    return switch (method.toUpperCase(java.util.Locale.ROOT)) {
      case "GET" -> Optional.of(Code.GET);
      case "POST" -> Optional.of(Code.POST);
      case "PUT" -> Optional.of(Code.PUT);
      case "DELETE" -> Optional.of(Code.DELETE);
      case "FETCH" -> Optional.of(Code.FETCH);
      case "PATCH" -> Optional.of(Code.PATCH);
      case "IPATCH" -> Optional.of(Code.IPATCH);
      default -> Optional.empty();
    };
  }

  /** The tunnel response for the device's CoAP response to request {@code requestId}. */
  static TunnelResponse fromCoap(final String requestId, final Response response) {
    final TunnelResponse.Builder b =
        TunnelResponse.newBuilder().setRequestId(requestId).setStatus(status(response.getCode()));
    final byte[] payload = response.getPayload();
    if (payload != null && payload.length > 0) {
      b.setBody(ByteString.copyFrom(payload));
    }
    final String type = RequestTranslator.contentType(response.getOptions().getContentFormat());
    if (!type.isEmpty()) {
      b.setContentType(type);
    }
    return b.build();
  }

  /** A status the gateway answers for the device, with the reason as text. */
  static TunnelResponse status(final String requestId, final int status, final String reason) {
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(status)
        .setBody(ByteString.copyFromUtf8(reason))
        .setContentType("text/plain")
        .build();
  }

  /**
   * The HTTP-style status of a CoAP response code: a success by its meaning, 4.xx and 5.xx to the
   * HTTP code with the same digits where that means the same (RFC 8075), otherwise 400 or 502.
   */
  static int status(final ResponseCode code) {
    return switch (code) {
      case CREATED -> 201;
      case CHANGED -> 204;
      case CONTENT, VALID, DELETED, CONTINUE -> 200;
      case BAD_OPTION, REQUEST_ENTITY_INCOMPLETE -> 400;
      case PROXY_NOT_SUPPORTED -> 502;
      default -> {
        if (code.codeClass == 4 || code.codeClass == 5) {
          yield code.codeClass * 100 + code.codeDetail;
        }
        yield 502;
      }
    };
  }
}
