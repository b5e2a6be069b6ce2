package io.troupe.extension.intercept;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.troupe.router.Status;

/** The one mapping from a router {@link Status} to an MQTT PUBACK reason code. */
public final class ReasonCodes {

  private ReasonCodes() {}

  public static AckReasonCode puback(final Status status) {
    return switch (status) {
      case OK, CREATED -> AckReasonCode.SUCCESS;
      case BAD_REQUEST -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
      case UNAUTHORIZED, FORBIDDEN -> AckReasonCode.NOT_AUTHORIZED;
      case NOT_FOUND -> AckReasonCode.TOPIC_NAME_INVALID;
      case TOO_MANY_REQUESTS, PAYLOAD_TOO_LARGE -> AckReasonCode.QUOTA_EXCEEDED;
      case CONFLICT, GONE, INTERNAL_ERROR, NOT_IMPLEMENTED, BAD_GATEWAY, UNAVAILABLE, TIMEOUT ->
          AckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  /** The PUBACK reason string: the status code and why. */
  public static String reason(final Status status, final String why) {
    return status.code() + " " + why;
  }
}
