package io.troupe.router.internal.registry;

import java.util.Optional;

/**
 * What an address names: a service ({@code echo.demo}), or one server of a service that lets
 * consumers name its servers ({@code dev2.echo.demo}), in which case {@code device} is set.
 *
 * @param service the service the address resolves to
 * @param device the named server, or null for the service as a whole
 */
public record Addressed(Service service, String device) {

  /** Resolves {@code address} as routing does; empty when it names nothing a consumer may reach. */
  public static Optional<Addressed> resolve(final Registry registry, final String address) {
    final Service s = registry.serviceAt(address);
    if (s != null) {
      return Optional.of(new Addressed(s, null));
    }
    final int dot = address.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    final Service parent = registry.serviceAt(address.substring(dot + 1));
    final String device = address.substring(0, dot);
    return parent != null
            && parent.servers().containsKey(device)
            && Disclosure.namesServer(parent, device)
        ? Optional.of(new Addressed(parent, device))
        : Optional.empty();
  }
}
