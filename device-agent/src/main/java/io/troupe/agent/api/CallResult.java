package io.troupe.agent.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * What a service call got back.
 *
 * @param status the {@code status} user property: 200 when served, else the gateway's or the
 *     server's code
 * @param reason why, on a failure
 * @param server which device answered, unless the service is anonymous
 * @param body the answer body
 * @param contentType its content type, or empty
 */
public record CallResult(
    int status,
    @NotNull Optional<String> reason,
    @NotNull Optional<String> server,
    byte @NotNull [] body,
    @NotNull String contentType) {

  public CallResult {
    body = body.clone();
  }

  @Override
  public byte @NotNull [] body() {
    return body.clone();
  }

  public @NotNull String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
