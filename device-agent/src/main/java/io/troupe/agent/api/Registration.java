package io.troupe.agent.api;

import io.troupe.proto.v1.ServerRole;
import org.jetbrains.annotations.NotNull;

/**
 * This device's registration as a server of a service.
 *
 * @param service the service's name
 * @param address its address, such as {@code echo.demo}
 * @param role what the gateway assigned: the first registrant is the primary
 */
public record Registration(
    @NotNull String service, @NotNull String address, @NotNull ServerRole role) {}
