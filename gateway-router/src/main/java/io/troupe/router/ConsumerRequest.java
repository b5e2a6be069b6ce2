package io.troupe.router;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jetbrains.annotations.Nullable;

/**
 * A consumer's request as it arrived on {@code {root}/s/{address}}.
 *
 * @param principal who sent it
 * @param address the service address from the topic, in lower case here whatever case it came in
 *     ({@link Names#normalize})
 * @param responseTopic the MQTT 5 response topic, if any
 * @param correlationData the MQTT 5 correlation data, echoed in the answer
 * @param body the request body
 * @param contentType the MQTT 5 content type, or empty
 * @param userProperties the request's user properties ({@code method}, {@code path}, {@code
 *     session} and any others)
 * @param expiry the message expiry interval: the consumer's deadline, if it set one
 */
public record ConsumerRequest(
    Principal principal,
    String address,
    Optional<String> responseTopic,
    ByteString correlationData,
    ByteString body,
    String contentType,
    Map<String, String> userProperties,
    Optional<Duration> expiry) {

  public ConsumerRequest {
    Objects.requireNonNull(principal, "principal");
    address = Names.normalize(Objects.requireNonNull(address, "address"));
    Objects.requireNonNull(responseTopic, "responseTopic");
    Objects.requireNonNull(correlationData, "correlationData");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    userProperties = Map.copyOf(userProperties);
    Objects.requireNonNull(expiry, "expiry");
  }

  /**
   * What the request takes of the payload limit: its body, correlation data, content type and user
   * properties, in UTF-8 bytes.
   */
  public long size() {
    long size = (long) body.size() + correlationData.size() + utf8(contentType);
    for (final Map.Entry<String, String> p : userProperties.entrySet()) {
      size += utf8(p.getKey()) + utf8(p.getValue());
    }
    return size;
  }

  private static int utf8(final String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  public String property(final String name) {
    final @Nullable String value = userProperties.get(name);
    return value == null ? "" : value;
  }
}
