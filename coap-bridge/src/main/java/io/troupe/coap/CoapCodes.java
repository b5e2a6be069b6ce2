package io.troupe.coap;

import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.jetbrains.annotations.Nullable;

/**
 * The one mapping from the gateway's HTTP-style status codes (the router's own and those a server
 * passes through) to CoAP response codes, and the one place the bridge chooses a code it sends.
 *
 * <p>A success depends on the method, as RFC 7252 section 5.9.1 reserves each 2.xx code for some:
 * GET and FETCH answer 2.05 Content; POST, PUT, PATCH and iPATCH answer 2.01 Created for 201 and
 * 2.04 Changed otherwise; DELETE answers 2.02 Deleted. Errors do not depend on the method.
 */
public final class CoapCodes {

  /** 2.31 Continue: a block of an upload taken, send the next (RFC 7959); no HTTP twin. */
  static final ResponseCode UPLOAD_CONTINUES = ResponseCode.CONTINUE;

  /** 4.08 Request Entity Incomplete: a block that continues no upload (RFC 7959); no HTTP twin. */
  static final ResponseCode UPLOAD_INCOMPLETE = ResponseCode.REQUEST_ENTITY_INCOMPLETE;

  private CoapCodes() {}

  /**
   * The CoAP code answering a {@code method} request with {@code status}: a success as the method
   * asks (see the class comment); the errors with a CoAP twin map to it (404 to 4.04, 429 to
   * 4.29…), any other client error to 4.00 and anything else to 5.00. A null or unknown method
   * answers a success as POST does, the method that may carry any outcome.
   */
  public static ResponseCode toCoapCode(final int status, final @Nullable Code method) {
    if (status >= 200 && status < 300) {
      return success(status, method == null ? Code.POST : method);
    }
    return switch (status) {
      case 400 -> ResponseCode.BAD_REQUEST;
      case 401 -> ResponseCode.UNAUTHORIZED;
      case 403 -> ResponseCode.FORBIDDEN;
      case 404 -> ResponseCode.NOT_FOUND;
      case 405 -> ResponseCode.METHOD_NOT_ALLOWED;
      case 406 -> ResponseCode.NOT_ACCEPTABLE;
      case 409 -> ResponseCode.CONFLICT;
      case 412 -> ResponseCode.PRECONDITION_FAILED;
      case 413 -> ResponseCode.REQUEST_ENTITY_TOO_LARGE;
      case 415 -> ResponseCode.UNSUPPORTED_CONTENT_FORMAT;
      case 429 -> ResponseCode.TOO_MANY_REQUESTS;
      case 501 -> ResponseCode.NOT_IMPLEMENTED;
      case 502 -> ResponseCode.BAD_GATEWAY;
      case 503 -> ResponseCode.SERVICE_UNAVAILABLE;
      case 504 -> ResponseCode.GATEWAY_TIMEOUT;
      default ->
          status >= 400 && status < 500
              ? ResponseCode.BAD_REQUEST
              : ResponseCode.INTERNAL_SERVER_ERROR;
    };
  }

  private static ResponseCode success(final int status, final Code method) {
    return switch (method) {
      case GET, FETCH -> ResponseCode.CONTENT;
      case DELETE -> ResponseCode.DELETED;
      case POST, PUT, PATCH, IPATCH, CUSTOM_30 ->
          status == 201 ? ResponseCode.CREATED : ResponseCode.CHANGED;
    };
  }

  /** Answers {@code exchange} with the code for {@code status} and its request's method. */
  static void respond(final CoapExchange exchange, final int status) {
    exchange.respond(toCoapCode(status, exchange.getRequestCode()));
  }

  /**
   * Answers {@code exchange} with the code for {@code status} and its request's method, and {@code
   * text} as a text/plain payload (the diagnostic payload of RFC 7252 section 5.5.2 for an error).
   */
  static void respond(final CoapExchange exchange, final int status, final String text) {
    exchange.respond(
        toCoapCode(status, exchange.getRequestCode()), text, MediaTypeRegistry.TEXT_PLAIN);
  }

  /**
   * Answers {@code exchange} with the code for {@code status}, and {@code body} in {@code format}.
   */
  static void respond(
      final CoapExchange exchange, final int status, final byte[] body, final int format) {
    exchange.respond(toCoapCode(status, exchange.getRequestCode()), body, format);
  }
}
