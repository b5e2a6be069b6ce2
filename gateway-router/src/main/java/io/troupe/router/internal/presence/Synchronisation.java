package io.troupe.router.internal.presence;

import io.troupe.contract.Topics;
import io.troupe.contract.content.ContentDiff;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.SyncDirective;
import io.troupe.router.Directive;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.requests.Tunnel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Synchronisation on change (R4): when a server reports a newer descriptor of a service, every
 * other server of it is told to reach that version, fetching what it lacks from the reporter. This
 * is how the changes a passive server made while it served itself (R17) reach the others when it
 * reports them.
 */
public final class Synchronisation {

  private Synchronisation() {}

  /**
   * A {@link SyncDirective} for each server of {@code service} but {@code from}, with the service's
   * descriptor as the newest and {@code from} as it appears to members as the source: the newest's
   * {@code device_id} names it the same way.
   */
  public static List<Directive> toReach(
      final Topics topics, final Service service, final String from, final long nowMs) {
    final SyncDirective sync =
        SyncDirective.newBuilder()
            .setNewest(Disclosure.descriptorForMembers(service))
            .addSources(Disclosure.listed(service, from))
            .build();
    final List<Directive> told = new ArrayList<>();
    for (final ServerEntry e : service.servers().values()) {
      if (e.device().equals(from)) {
        continue;
      }
      final Control control = Tunnel.control(service, nowMs).setSync(sync).build();
      told.add(new Directive.SendControl(e.device(), topics.deviceControl(e.device()), control));
    }
    return told;
  }

  /**
   * A {@link SyncDirective} with the merged descriptor of {@code service} for each server that
   * {@code told} accepts and whose last report is behind it ({@link ContentDiff}) or that reported
   * none; every server when {@code report}, which also asks each to publish its descriptor. The
   * sources are the other servers that reported content, as members may see them.
   */
  public static List<Directive> toBehind(
      final Topics topics,
      final Service service,
      final Predicate<String> told,
      final boolean report,
      final long nowMs) {
    final ServiceDescriptor merged = service.descriptor();
    if (merged == null) {
      return List.of();
    }
    final List<Directive> out = new ArrayList<>();
    for (final ServerEntry e : service.servers().values()) {
      final String device = e.device();
      if (!told.test(device) || !(report || behind(service, device))) {
        continue;
      }
      final SyncDirective.Builder sync =
          SyncDirective.newBuilder()
              .setNewest(Disclosure.descriptorForMembers(service))
              .setReport(report);
      service.reported().keySet().stream()
          .filter(holder -> !holder.equals(device))
          .sorted()
          .forEach(holder -> sync.addSources(Disclosure.listed(service, holder)));
      final Control control = Tunnel.control(service, nowMs).setSync(sync).build();
      out.add(new Directive.SendControl(device, topics.deviceControl(device), control));
    }
    return out;
  }

  /** Whether {@code device} reported no descriptor, or one behind the merged descriptor. */
  public static boolean behind(final Service service, final String device) {
    return itemsBehind(service, device) != 0;
  }

  /**
   * How many items of the merged descriptor of {@code service} {@code device} does not hold in that
   * version; every item (at least one) when it reported no descriptor.
   */
  public static int itemsBehind(final Service service, final String device) {
    final ServiceDescriptor last = service.reportedBy(device);
    final ServiceDescriptor merged = service.descriptor();
    if (last == null) {
      return Math.max(1, merged == null ? 0 : merged.getItemsCount());
    }
    return merged == null ? 0 : ContentDiff.toReach(last, merged).behind();
  }
}
