package io.troupe.router.internal.requests;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.InstallLocally;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.util.Optional;

/**
 * Passive servers (R17): a passive member that calls its own service when no active server can
 * answer is told, on its {@code /ctl} topic, to serve its own local requests, with the descriptor
 * it needs to install a local copy and the servers it can fetch the items from.
 */
final class PassiveServing {

  /** The reason of the 503 a passive member gets with its {@code install_locally} directive. */
  static final String REASON =
      "no active server is available; serve locally: the gateway sent install_locally on /ctl";

  private PassiveServing() {}

  /** Whether {@code device} is a passive server of {@code service}. */
  static boolean isPassiveServer(final Service service, final String device) {
    final ServerEntry entry = service.servers().get(device);
    return entry != null && entry.role() == ServerRole.PASSIVE;
  }

  /**
   * The directive telling {@code who} to serve {@code service} locally, when it is a passive server
   * of it; empty otherwise.
   */
  static Optional<Directive> installLocally(
      final Topics topics, final Service service, final Principal who, final long nowMs) {
    final String device = who.identity();
    if (!isPassiveServer(service, device)) {
      return Optional.empty();
    }
    final ServiceDescriptor descriptor =
        service.descriptor() != null
            ? Disclosure.descriptorForMembers(service)
            : ServiceDescriptor.newBuilder()
                .setService(service.name())
                .setCommunity(service.community().name())
                .build();
    final InstallLocally.Builder install =
        InstallLocally.newBuilder().setServiceDescriptor(descriptor);
    for (final ServerEntry e : service.servers().values()) {
      if (e.role() != ServerRole.PASSIVE && !e.device().equals(device)) {
        install.addSources(Disclosure.listed(service, e.device()));
      }
    }
    final Control control = Tunnel.control(service, nowMs).setInstallLocally(install).build();
    return Optional.of(new Directive.SendControl(device, topics.deviceControl(device), control));
  }
}
