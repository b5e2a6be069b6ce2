package io.troupe.agent.api;

import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.GatewayRequests;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.Outgoing;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The descriptors this device publishes (retained) for its services in one community, and the one
 * owner of what they say: the application's own descriptor, or the newer one it described since,
 * and whether the service is installable (R18). That is the community owner's to decide: the owner
 * says what its agent was told; a member's descriptor must agree with the owner's choice or the
 * gateway refuses it (403), so a member that is refused learns the choice from the catalogue and
 * publishes again.
 */
final class OwnDescriptors {

  private final TroupeAgentBuilder settings;
  private final String community;
  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;
  private final SyncedContent content;
  private final Map<String, ServiceDescriptor> described = new ConcurrentHashMap<>();

  /** The services here whose owner made them installable, as far as this member has learnt. */
  private final Set<String> installable = ConcurrentHashMap.newKeySet();

  OwnDescriptors(
      final TroupeAgentBuilder settings,
      final String community,
      final Topics topics,
      final MqttSession session,
      final GatewayApiClient api,
      final SyncedContent content) {
    this.settings = settings;
    this.content = content;
    this.community = community;
    this.topics = topics;
    this.session = session;
    this.api = api;
  }

  /** Keeps {@code descriptor} as the newest of {@code name} and publishes it. */
  CompletableFuture<Void> describe(
      final String name,
      final TroupeAgent.Service service,
      final ServiceDescriptor descriptor,
      final boolean owner) {
    described.put(name, descriptor);
    return publish(name, service, owner);
  }

  /**
   * The descriptor of {@code name} as the application gave it (or described it since); for a
   * synchronised service, with the items its content store holds now.
   */
  Optional<ServiceDescriptor> own(final String name, final TroupeAgent.Service service) {
    final Optional<ServiceDescriptor> given =
        Optional.ofNullable(described.get(name)).or(service::descriptor);
    return content.descriptor(name, given).or(() -> given);
  }

  /** Publishes the descriptor of {@code name}, as the community's owner or as a member. */
  CompletableFuture<Void> publish(
      final String name, final TroupeAgent.Service service, final boolean owner) {
    final ServiceDescriptor own =
        GatewayRequests.descriptor(own(name, service), community, name, settings.deviceId);
    if (owner) {
      // installable when the agent was told so, or the application's own descriptor says it
      return send(
          name,
          own.toBuilder().setInstallable(settings.installable || own.getInstallable()).build());
    }
    return send(name, own.toBuilder().setInstallable(installable.contains(name)).build())
        .exceptionallyCompose(
            e ->
                statusOf(e) == 403
                    ? listed(name)
                        .thenCompose(
                            listed -> send(name, own.toBuilder().setInstallable(listed).build()))
                    : CompletableFuture.failedFuture(e));
  }

  private CompletableFuture<Void> send(final String name, final ServiceDescriptor descriptor) {
    return session.publish(
        Outgoing.of(topics.descriptor(community, name, settings.deviceId), descriptor.toByteArray())
            .asRetained());
  }

  /** Whether the gateway's catalogue lists {@code service} of this community; remembered. */
  private CompletableFuture<Boolean> listed(final String service) {
    return api.call(GatewayRequests.catalogue())
        .thenApply(
            r -> {
              final boolean listed =
                  r.getBrowse().getCatalogueList().stream()
                      .anyMatch(
                          s ->
                              s.getCommunity().equals(community) && s.getService().equals(service));
              if (listed) {
                installable.add(service);
              } else {
                installable.remove(service);
              }
              return listed;
            });
  }

  /** The status of a {@link TroupeException}, however wrapped; 0 for any other failure. */
  private static int statusOf(final Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TroupeException e) {
        return e.status();
      }
    }
    return 0;
  }
}
