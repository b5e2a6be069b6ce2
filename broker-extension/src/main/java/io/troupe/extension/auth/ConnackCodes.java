package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import io.troupe.router.Status;

/** The one mapping from a refused login's {@link Status} to a CONNACK reason code. */
public final class ConnackCodes {

  private ConnackCodes() {}

  public static ConnackReasonCode connack(final Status status) {
    return switch (status) {
      case UNAUTHORIZED -> ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
      case BAD_REQUEST -> ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
      case FORBIDDEN -> ConnackReasonCode.NOT_AUTHORIZED;
      // the identity's allowance of client ids is full of connected sessions
      case CONFLICT -> ConnackReasonCode.QUOTA_EXCEEDED;
      case TOO_MANY_REQUESTS -> ConnackReasonCode.CONNECTION_RATE_EXCEEDED;
      case UNAVAILABLE -> ConnackReasonCode.SERVER_BUSY;
      default -> ConnackReasonCode.UNSPECIFIED_ERROR;
    };
  }

  /**
   * The same code as an enhanced authenticator gives it ({@link DisconnectedReasonCode}, which
   * HiveMQ sends as the CONNACK's reason code while the client is connecting).
   */
  public static DisconnectedReasonCode refusal(final Status status) {
    return DisconnectedReasonCode.valueOf(connack(status).name());
  }
}
