package io.troupe.router;

/**
 * The HTTP-style outcome of a routing or API decision. Each edge maps it once: to an MQTT reason
 * code and the {@code status} user property, to a CoAP code, or to a command line exit code.
 */
public enum Status {
  OK(200),
  CREATED(201),
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  /** What was asked for existed and is no more: an expired, revoked or used-up key (R14). */
  GONE(410),
  PAYLOAD_TOO_LARGE(413),
  TOO_MANY_REQUESTS(429),
  INTERNAL_ERROR(500),
  NOT_IMPLEMENTED(501),
  BAD_GATEWAY(502),
  UNAVAILABLE(503),
  TIMEOUT(504);

  private final int code;

  Status(final int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public boolean isSuccess() {
    return code >= 200 && code < 300;
  }
}
