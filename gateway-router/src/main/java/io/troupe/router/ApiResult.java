package io.troupe.router;

import io.troupe.proto.v1.GatewayResponse;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a gateway API request and what the gateway must publish because of it.
 *
 * @param response the answer for the requester
 * @param directives publications that follow from a change; empty when nothing changed
 */
public record ApiResult(GatewayResponse response, List<Directive> directives) {

  public ApiResult {
    Objects.requireNonNull(response, "response");
    directives = List.copyOf(directives);
  }
}
