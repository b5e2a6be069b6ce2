package io.troupe.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/**
 * The one mapping from the gateway's HTTP-style status codes (the router's own and those a server
 * passes through) to CoAP response codes.
 */
public final class CoapCodes {

  private CoapCodes() {}

  /**
   * The CoAP code for {@code status}: the codes with a CoAP twin map to it (200 to 2.05, 201 to
   * 2.01, 404 to 4.04…); any other success is 2.05, any other client error 4.00, anything else
   * 5.00.
   */
  public static ResponseCode toCoapCode(final int status) {
    return switch (status) {
      case 200 -> ResponseCode.CONTENT;
      case 201 -> ResponseCode.CREATED;
      case 202, 204 -> ResponseCode.CHANGED;
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
      default -> {
        if (status >= 200 && status < 300) {
          yield ResponseCode.CONTENT;
        }
        yield status >= 400 && status < 500
            ? ResponseCode.BAD_REQUEST
            : ResponseCode.INTERNAL_SERVER_ERROR;
      }
    };
  }
}
