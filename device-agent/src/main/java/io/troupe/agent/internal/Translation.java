package io.troupe.agent.internal;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ServiceRequest;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.time.Instant;

/** Pure mapping between the wire messages and the agent's API values. */
public final class Translation {

  private Translation() {}

  public static ServiceRequest request(final TunnelRequest t) {
    return new ServiceRequest(
        t.getRequestId(),
        t.getAttempt(),
        t.getService(),
        t.getAddress(),
        t.getMethod(),
        t.getPath(),
        t.getBody().toByteArray(),
        t.getContentType(),
        t.getSession(),
        t.getConsumer(),
        t.getPropertiesMap(),
        Instant.ofEpochMilli(t.getDeadlineMs()));
  }

  public static TunnelResponse response(final String requestId, final ServiceResponse r) {
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(r.status())
        .setBody(ByteString.copyFrom(r.body()))
        .setContentType(r.contentType())
        .putAllProperties(r.properties())
        .build();
  }

  /** The answer to a handler that threw or failed: 500 with a short reason. */
  public static TunnelResponse failure(
      final String requestId, final int status, final Throwable error) {
    final String message =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    final String reason = message.length() > 200 ? message.substring(0, 200) : message;
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(status)
        .putProperties("reason", reason)
        .build();
  }
}
