package io.troupe.router;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.TunnelRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the gateway does next with a consumer's request. */
public sealed interface Decision {

  /** The request this decision is about. */
  String requestId();

  /**
   * Publish {@code request} to {@code topic} for {@code device}, with {@code replyTopic} as MQTT
   * response topic and the request id as correlation data; then call {@link
   * GatewayRouter#onForwardTimeout} with {@code attempt} after {@code timeout}.
   */
  record Forward(
      String requestId,
      String device,
      String topic,
      String replyTopic,
      TunnelRequest request,
      int attempt,
      Duration timeout)
      implements Decision {
    public Forward {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(replyTopic, "replyTopic");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * Send nothing: the server that has the request is alive and working through its queue, so call
   * {@link GatewayRouter#onForwardTimeout} with {@code attempt} again after {@code timeout} rather
   * than re-sending the request elsewhere and adding load.
   */
  record Wait(String requestId, String device, int attempt, Duration timeout) implements Decision {
    public Wait {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /**
   * Forward nothing yet: the request is held, by the consumer's bandwidth threshold (an access
   * policy, R12) or for a volunteer (R16). Carry out {@code directives} (the {@code volunteer}
   * control that asks a group member to serve), then call {@link GatewayRouter#onForwardTimeout}
   * with {@code attempt} after {@code delay}: the router then forwards the request, holds it again
   * or answers it. A request held for a volunteer may also be forwarded earlier, by the decisions
   * of a {@link StatusReport}.
   */
  record Delay(String requestId, int attempt, Duration delay, List<Directive> directives)
      implements Decision {
    public Delay {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(delay, "delay");
      directives = List.copyOf(directives);
    }

    /** A hold with nothing else to do. */
    public Delay(final String requestId, final int attempt, final Duration delay) {
      this(requestId, attempt, delay, List.of());
    }
  }

  /**
   * Answer the consumer {@code clientId}: publish {@code body} to {@code responseTopic} with {@code
   * correlationData}, user property {@code status} = {@code code}, {@code reason} when not empty,
   * {@code server} when present. An empty {@code responseTopic} means there is nowhere the consumer
   * may be answered: the refusal travels only in the PUBACK.
   *
   * @param refusal the gateway's own status when it refused the request on arrival (the PUBACK then
   *     carries a failure reason code); empty when the request was accepted
   * @param directives what else to do with the answer: an {@code install_locally} control for a
   *     passive server that asked its own service when no active server could answer (R17)
   */
  record Answer(
      String requestId,
      String clientId,
      Optional<String> responseTopic,
      ByteString correlationData,
      int code,
      String reason,
      ByteString body,
      String contentType,
      Optional<String> server,
      Map<String, String> properties,
      Optional<Status> refusal,
      List<Directive> directives)
      implements Decision {
    public Answer {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(responseTopic, "responseTopic");
      Objects.requireNonNull(correlationData, "correlationData");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(server, "server");
      properties = Map.copyOf(properties);
      Objects.requireNonNull(refusal, "refusal");
      directives = List.copyOf(directives);
    }
  }
}
