package io.troupe.router.internal.registry;

import io.troupe.contract.content.DescriptorMerge;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.Verdict;
import java.util.Optional;

/**
 * What a server's descriptor may say, and whose descriptor describes a service (R3, R4). Every
 * server of a service may publish one, but only as itself; the community's owner alone decides
 * whether the service is installable elsewhere (R18); item names are relative paths a device can
 * store under its own folder. The owner's descriptors form a sequence of their own: a member's,
 * however high its version, never stops the owner's next one from taking effect, and a member's
 * descriptor is forgotten when the member stops serving. Not thread-safe: the router's locks guard
 * the services it changes.
 */
public final class Descriptors {

  private Descriptors() {}

  /** A refused descriptor: why, for the metrics, and the verdict its publisher gets. */
  public record Refusal(RouterMetrics.DescriptorRefusal kind, Verdict verdict) {}

  /**
   * Whether {@code device} may publish {@code d} for {@code service} of {@code community}; {@code
   * service} is null when the publication creates it. Checks the descriptor alone: that {@code
   * device} serves the service is the caller's check.
   *
   * @return allowed; 400 when {@code d} names another device or an item name is not a relative
   *     path; 403 when a device other than the owner would change whether the service is
   *     installable
   */
  public static Verdict check(
      final Community community,
      final Service service,
      final String device,
      final ServiceDescriptor d) {
    return refusal(community, service, device, d).map(Refusal::verdict).orElse(Verdict.allowed());
  }

  /** {@link #check}'s refusal with its kind, or empty when {@code d} may be published. */
  public static Optional<Refusal> refusal(
      final Community community,
      final Service service,
      final String device,
      final ServiceDescriptor d) {
    if (!d.getDeviceId().isEmpty() && !d.getDeviceId().equals(device)) {
      return refused(
          RouterMetrics.DescriptorRefusal.FORGED_DEVICE,
          Status.BAD_REQUEST,
          "the descriptor names device '"
              + d.getDeviceId()
              + "' but '"
              + device
              + "' published it; a device describes only its own copy");
    }
    for (final Item item : d.getItemsList()) {
      final String wrong = ItemNames.problem(item.getName());
      if (wrong != null) {
        return refused(
            RouterMetrics.DescriptorRefusal.ITEM_NAME,
            Status.BAD_REQUEST,
            "item name '" + item.getName() + "' " + wrong);
      }
    }
    final boolean installable = service != null && ownerMadeInstallable(service);
    if (!community.owner().equals(device) && d.getInstallable() != installable) {
      return refused(
          RouterMetrics.DescriptorRefusal.INSTALLABLE_NOT_OWNER,
          Status.FORBIDDEN,
          "only the owner of '"
              + community.name()
              + "' decides whether its service is installable; it is "
              + (installable ? "" : "not ")
              + "and the descriptor of '"
              + device
              + "' must say so");
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refused(
      final RouterMetrics.DescriptorRefusal kind, final Status status, final String reason) {
    return Optional.of(new Refusal(kind, Verdict.refused(status, reason)));
  }

  /**
   * Whether {@code d}, checked, from {@code device} replaces {@code service}'s descriptor: the
   * owner's when it is newer than the owner's last one, anyone else's when it is newer than the
   * service's current one.
   */
  public static boolean takesEffect(
      final Service service, final String device, final ServiceDescriptor d) {
    final ServiceDescriptor previous =
        service.community().owner().equals(device)
            ? service.ownerDescriptor()
            : service.descriptor();
    return previous == null || d.getVersion() > previous.getVersion();
  }

  /** Makes {@code d}, from {@code device}, {@code service}'s descriptor, and returns it as kept. */
  public static ServiceDescriptor accept(
      final Service service, final String device, final ServiceDescriptor d) {
    final ServiceDescriptor kept = asKept(service, device, d);
    service.describeAs(kept, service.community().owner().equals(device));
    return kept;
  }

  /**
   * {@code d}, from {@code device}, naming {@code service} and {@code device} as the gateway keeps
   * it.
   */
  static ServiceDescriptor asKept(
      final Service service, final String device, final ServiceDescriptor d) {
    return d.toBuilder()
        .setService(service.name())
        .setCommunity(service.community().name())
        .setDeviceId(device)
        .build();
  }

  /**
   * {@code device} no longer serves {@code service}: when the service's descriptor is its, the
   * owner's last one (or none) describes the service again. The owner's own is kept. A merged
   * descriptor (R4) stays: what the server contributed is everyone's content now; only its last
   * report is dropped.
   *
   * @return whether the service's descriptor changed
   */
  static boolean forget(final Service service, final String device) {
    service.forgetReported(device);
    if (service.descriptor() == null
        || DescriptorMerge.synchronised(service.descriptor())
        || service.community().owner().equals(device)
        || !service.descriptor().getDeviceId().equals(device)) {
      return false;
    }
    service.describeAs(service.ownerDescriptor(), false);
    return true;
  }

  /** Whether {@code service} is in the catalogue: its owner's last descriptor says installable. */
  public static boolean inCatalogue(final Service service) {
    return service.descriptor() != null
        && service.descriptor().getInstallable()
        && ownerMadeInstallable(service);
  }

  private static boolean ownerMadeInstallable(final Service service) {
    return service.ownerDescriptor() != null && service.ownerDescriptor().getInstallable();
  }
}
