package io.troupe.router.internal.api;

import io.troupe.proto.v1.GatewayResponse;
import io.troupe.router.Directive;
import io.troupe.router.internal.registry.Service;
import java.util.List;
import java.util.Objects;

/**
 * What an operation of the {@link GatewayApi} did.
 *
 * @param response the answer
 * @param changed whether the registry changed (and must be saved)
 * @param touched services whose distribution list changed and still exist
 * @param effects what else the gateway must do: clear retained topics, end sessions
 */
record ApiOutcome(
    GatewayResponse response, boolean changed, List<Service> touched, List<Directive> effects) {
  ApiOutcome {
    Objects.requireNonNull(response, "response");
    touched = List.copyOf(touched);
    effects = List.copyOf(effects);
  }
}
