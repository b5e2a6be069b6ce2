package io.troupe.router;

/**
 * What became of a login's claim on its client id ({@code ClientIds}): admitted ({@link #HELD},
 * {@link #BOUND}) or refused, each refusal with the status the edge maps to a CONNACK code.
 */
public enum ClientIdClaim {
  /** The identity already held this client id. */
  HELD(Status.OK),
  /** The client id is now bound to the identity for the first time: resume no session. */
  BOUND(Status.OK),
  /** Longer than {@link ClientIdLimits#maxLength()}: CONNACK 0x85 Client Identifier not valid. */
  TOO_LONG(Status.BAD_REQUEST),
  /** The client id belongs to another identity, by its name or by an earlier binding. */
  TAKEN(Status.FORBIDDEN),
  /** The identity holds {@link ClientIdLimits#maxPerIdentity()} ids, each of a live session. */
  OVER_IDENTITY_LIMIT(Status.CONFLICT),
  /** The gateway holds {@link ClientIdLimits#maxTotal()} ids and the identity none idle. */
  OVER_TOTAL_LIMIT(Status.UNAVAILABLE);

  private final Status status;

  ClientIdClaim(final Status status) {
    this.status = status;
  }

  /** {@link Status#OK} when admitted; otherwise the refusal's status. */
  public Status status() {
    return status;
  }

  public boolean isAdmitted() {
    return status == Status.OK;
  }

  /** Why a refused claim was refused, for the CONNACK's reason string; empty when admitted. */
  public String reason(final String clientId, final ClientIdLimits limits) {
    return switch (this) {
      case HELD, BOUND -> "";
      case TOO_LONG ->
          "a client id may have at most "
              + limits.maxLength()
              + " characters; this one has "
              + clientId.length();
      case TAKEN -> "client id '" + clientId + "' belongs to another identity; choose another";
      case OVER_IDENTITY_LIMIT ->
          "this identity holds "
              + limits.maxPerIdentity()
              + " client ids, each of a connected session; reuse one or disconnect one";
      case OVER_TOTAL_LIMIT -> "the gateway holds as many client ids as it may; retry later";
    };
  }
}
