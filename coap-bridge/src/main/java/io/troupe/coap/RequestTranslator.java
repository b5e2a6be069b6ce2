package io.troupe.coap;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Principal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;

/**
 * Pure mapping between CoAP messages and the router's values: {@code /s/{address}/{path…}} with its
 * method, payload and Content-Format to a {@link ConsumerRequest}; a {@link Decision.Answer} to a
 * CoAP response.
 */
public final class RequestTranslator {

  /** The first Uri-Path segment of a service request. */
  public static final String SERVICES = "s";

  /** The last level of the response topic the bridge gives each request. */
  static final String RESPONSE_SUFFIX = "coap";

  private final Topics topics;

  public RequestTranslator(final Topics topics) {
    this.topics = Objects.requireNonNull(topics, "topics");
  }

  /**
   * Where a request goes: the service address and the path after it.
   *
   * @param address the second Uri-Path segment (not checked: the router answers 400 or 404)
   * @param path {@code /} and the remaining segments joined by {@code /}, or empty when none
   */
  public record Target(String address, String path) {
    public Target {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * The target of Uri-Path {@code segments}, or empty unless they are {@code s/{address}/…}: the
   * address in lower case, the path as it is.
   */
  public static Optional<Target> target(final List<String> segments) {
    if (segments.size() < 2 || !segments.get(0).equals(SERVICES)) {
      return Optional.empty();
    }
    final List<String> rest = segments.subList(2, segments.size());
    // the address is case-insensitive (the router keeps names in lower case); the path is not
    return Optional.of(
        new Target(
            segments.get(1).toLowerCase(Locale.ROOT),
            rest.isEmpty() ? "" : "/" + String.join("/", rest)));
  }

  /**
   * The consumer request for a CoAP request: the method and path become the user properties {@code
   * method} and {@code path}, the Content-Format the content type; the response topic lies in the
   * principal's response namespace, so the router accepts it.
   *
   * @param method the CoAP method's name ({@code GET}, {@code POST}…)
   * @param contentFormat the Content-Format option, or {@link MediaTypeRegistry#UNDEFINED}
   */
  public ConsumerRequest toConsumerRequest(
      final Principal who,
      final Target target,
      final String method,
      final byte[] payload,
      final int contentFormat) {
    final Map<String, String> properties = new HashMap<>();
    properties.put("method", method);
    if (!target.path().isEmpty()) {
      properties.put("path", target.path());
    }
    return new ConsumerRequest(
        who,
        target.address(),
        Optional.of(topics.response(who.clientId(), RESPONSE_SUFFIX)),
        ByteString.EMPTY,
        payload == null ? ByteString.EMPTY : ByteString.copyFrom(payload),
        contentType(contentFormat),
        properties,
        Optional.empty());
  }

  /**
   * The CoAP response for {@code answer} to a {@code method} request: its code through {@link
   * CoapCodes#toCoapCode}, so a success is 2.05 for GET and 2.04 or 2.01 for POST; its body with
   * the Content-Format of its content type; an answer without a body but with a reason carries the
   * reason as a text/plain diagnostic payload.
   */
  public static Response toResponse(final Decision.Answer answer, final Code method) {
    final Response response = new Response(CoapCodes.toCoapCode(answer.code(), method));
    if (!answer.body().isEmpty()) {
      response.setPayload(answer.body().toByteArray());
      final int format = contentFormat(answer.contentType());
      if (format != MediaTypeRegistry.UNDEFINED) {
        response.getOptions().setContentFormat(format);
      }
    } else if (!answer.reason().isEmpty()) {
      response.setPayload(answer.reason().getBytes(StandardCharsets.UTF_8));
      response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
    }
    return response;
  }

  /** The content type of a Content-Format; empty for none or an unregistered number. */
  public static String contentType(final int contentFormat) {
    if (contentFormat == MediaTypeRegistry.UNDEFINED
        || !MediaTypeRegistry.getAllMediaTypes().contains(contentFormat)) {
      return "";
    }
    return MediaTypeRegistry.toString(contentFormat);
  }

  /**
   * The Content-Format of a content type, ignoring parameters such as {@code charset}; {@link
   * MediaTypeRegistry#UNDEFINED} for none or one without a registered number.
   */
  public static int contentFormat(final String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return MediaTypeRegistry.UNDEFINED;
    }
    final int exact = MediaTypeRegistry.parse(contentType.trim());
    if (exact != MediaTypeRegistry.UNDEFINED) {
      return exact;
    }
    final int semicolon = contentType.indexOf(';');
    return semicolon < 0
        ? MediaTypeRegistry.UNDEFINED
        : MediaTypeRegistry.parse(contentType.substring(0, semicolon).trim());
  }
}
