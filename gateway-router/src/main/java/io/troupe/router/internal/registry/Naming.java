package io.troupe.router.internal.registry;

import io.troupe.proto.v1.NamingMode;
import java.util.List;
import java.util.Optional;

/**
 * Service addresses by naming mode (R2). DOMAIN: the community is the domain and each service a
 * name in it ({@code movies.family}). SUBDOMAIN: the service is the domain and each community a
 * subdomain of it ({@code abc.shoppinglist}, R18's example). DOMAIN_AND_SUBDOMAIN: both addresses
 * lead to the same service; the DOMAIN one is its address. Every address is unique in the registry;
 * a non-anonymous server keeps its own address {@code {device}.{address}} under each.
 */
public final class Naming {

  private Naming() {}

  /** Whether the gateway knows {@code mode}: unspecified means DOMAIN. */
  public static boolean isKnown(final NamingMode mode) {
    return mode != NamingMode.UNRECOGNIZED;
  }

  /** The address a new service {@code service} of {@code community} gets. */
  static String address(final Community community, final String service, final NamingMode mode) {
    return mode == NamingMode.SUBDOMAIN
        ? community.domain() + "." + service
        : service + "." + community.domain();
  }

  /** Every address of a new service: its address first, then its alias if it has one. */
  public static List<String> addresses(
      final Community community, final String service, final NamingMode mode) {
    final String address = address(community, service, mode);
    final String alias = community.domain() + "." + service;
    return mode == NamingMode.DOMAIN_AND_SUBDOMAIN && !alias.equals(address)
        ? List.of(address, alias)
        : List.of(address);
  }

  /** Every address of {@code s}: its own, and its subdomain alias under DOMAIN_AND_SUBDOMAIN. */
  public static List<String> addresses(final Service s) {
    final String alias = s.community().domain() + "." + s.name();
    return s.rule().getNaming() == NamingMode.DOMAIN_AND_SUBDOMAIN && !alias.equals(s.address())
        ? List.of(s.address(), alias)
        : List.of(s.address());
  }

  /** The first of {@code addresses} that some service already has. */
  public static Optional<String> taken(final Registry registry, final List<String> addresses) {
    return addresses.stream().filter(registry::isAddressTaken).findFirst();
  }

  /**
   * Whether a new service creates its domain: under DOMAIN the community's first service does,
   * under SUBDOMAIN the first service of that name in any community does.
   */
  public static boolean createsDomain(
      final Registry registry,
      final Community community,
      final String service,
      final NamingMode mode) {
    if (mode == NamingMode.SUBDOMAIN) {
      return registry.communities().values().stream()
          .noneMatch(
              c ->
                  c.services().containsKey(service)
                      && c.services().get(service).rule().getNaming() != NamingMode.DOMAIN);
    }
    return community.services().isEmpty();
  }
}
