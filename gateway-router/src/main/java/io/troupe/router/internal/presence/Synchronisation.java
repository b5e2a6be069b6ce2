package io.troupe.router.internal.presence;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.SyncDirective;
import io.troupe.router.Directive;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.requests.Tunnel;
import java.util.ArrayList;
import java.util.List;

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
}
