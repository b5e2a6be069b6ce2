package io.troupe.router.internal.registry;

import io.troupe.contract.content.DescriptorMerge;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.List;

/**
 * The merged descriptor of a synchronised service (R4): every server's synchronised descriptor is
 * merged item by item into the service's ({@link DescriptorMerge}) instead of replacing it, and
 * kept as that server's last report (which content it holds: the sources of sync fetches). The
 * fields that are not items (installable, dependencies, settings) stay the owner's, as {@link
 * Descriptors} rules for every descriptor. Not thread-safe: the router's locks guard the service.
 */
public final class MergedDescriptors {

  private MergedDescriptors() {}

  /**
   * What merging one report did: whether the service's descriptor changed (it must be saved, and
   * the servers behind told), and the conflicts this merge resolved.
   */
  public record Outcome(boolean changed, List<Conflict> conflicts) {
    public Outcome {
      conflicts = List.copyOf(conflicts);
    }
  }

  /**
   * Merges {@code d}, checked ({@link Descriptors#refusal}) and synchronised ({@link
   * DescriptorMerge#synchronised}), from {@code device}, a server of {@code service}, into the
   * service's descriptor, and keeps it as {@code device}'s last report. A changed merged descriptor
   * names {@code device}, whose report brought the change.
   */
  public static Outcome merge(
      final Service service, final String device, final ServiceDescriptor d, final long nowMs) {
    final ServiceDescriptor own = Descriptors.asKept(service, device, d);
    service.keepReported(device, own);
    final ServiceDescriptor base = service.descriptor();
    final DescriptorMerge.Result result = DescriptorMerge.merge(base, own, nowMs);
    final boolean byOwner = service.community().owner().equals(device);
    final ServiceDescriptor.Builder merged = result.merged().toBuilder();
    if (byOwner) {
      merged
          .setInstallable(own.getInstallable())
          .clearDependencies()
          .addAllDependencies(own.getDependenciesList())
          .clearSettings()
          .addAllSettings(own.getSettingsList());
    }
    final boolean changed =
        result.changed() || !DescriptorMerge.synchronised(base) || !sameOwnerFields(base, merged);
    if (!changed) {
      return new Outcome(false, result.conflicts());
    }
    service.describeAs(merged.setDeviceId(device).setUpdatedAtMs(nowMs).build(), byOwner);
    return new Outcome(true, result.conflicts());
  }

  private static boolean sameOwnerFields(
      final ServiceDescriptor base, final ServiceDescriptor.Builder merged) {
    return base.getInstallable() == merged.getInstallable()
        && base.getDependenciesList().equals(merged.getDependenciesList())
        && base.getSettingsList().equals(merged.getSettingsList());
  }
}
