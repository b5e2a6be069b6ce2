package io.troupe.agent.internal;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ServiceRequest;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Pure mapping between the tunnel's wire messages and the agent's API values. */
public final class Translation {

  private static final int MAX_REASON = 200;

  private Translation() {}

  /**
   * The request a handler sees. A request without a deadline gets {@link Instant#MAX}; attempt
   * counts from 1.
   */
  public static ServiceRequest request(final TunnelRequest t) {
    return new ServiceRequest(
        t.getRequestId(),
        Math.max(1, t.getAttempt()),
        t.getService(),
        t.getAddress(),
        t.getMethod(),
        t.getPath(),
        t.getBody().toByteArray(),
        t.getContentType(),
        t.getSession(),
        t.getConsumer(),
        t.getPropertiesMap(),
        t.getDeadlineMs() > 0 ? Instant.ofEpochMilli(t.getDeadlineMs()) : Instant.MAX);
  }

  /** The answer to a handler's response. */
  public static TunnelResponse response(final String requestId, final ServiceResponse r) {
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(r.status())
        .setBody(ByteString.copyFrom(r.body()))
        .setContentType(r.contentType())
        .putAllProperties(r.properties())
        .build();
  }

  /**
   * The answer to a handler's outcome: its response; 504 when it timed out; 500 with a short reason
   * when it failed or completed with nothing.
   */
  public static TunnelResponse outcome(
      final TunnelRequest request, final ServiceResponse response, final Throwable error) {
    if (unwrap(error) instanceof TimeoutException) {
      return failure(
          request.getRequestId(),
          504,
          new TimeoutException("the handler did not answer before the deadline"));
    }
    if (error != null) {
      return failure(request.getRequestId(), 500, error);
    }
    if (response == null) {
      return failure(
          request.getRequestId(), 500, new IllegalStateException("the handler answered nothing"));
    }
    return response(request.getRequestId(), response);
  }

  /** A failure answer: {@code status} with a short reason from {@code error}. */
  public static TunnelResponse failure(
      final String requestId, final int status, final Throwable error) {
    final Throwable cause = unwrap(error);
    final String message =
        cause.getMessage() == null || cause.getMessage().isBlank()
            ? cause.getClass().getSimpleName()
            : cause.getMessage();
    final String reason =
        message.length() > MAX_REASON ? message.substring(0, MAX_REASON) : message;
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(status)
        .putProperties("reason", reason)
        .build();
  }

  private static Throwable unwrap(final Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
