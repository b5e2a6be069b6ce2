package io.troupe.agent.internal;

import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.SetServiceEnabled;
import java.util.Optional;

/** The gateway API requests a device sends; pure. */
public final class GatewayRequests {

  private GatewayRequests() {}

  /** Joins {@code community}, creating it when absent, closed unless {@code open}. */
  public static GatewayRequest join(final String community) {
    return join(community, false, java.util.Set.of());
  }

  /**
   * Joins {@code community}; when absent it is created, open to any device or closed to all but the
   * requester and {@code members}.
   */
  public static GatewayRequest join(
      final String community, final boolean open, final java.util.Collection<String> members) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder()
                .setCommunity(community)
                .setCreateIfAbsent(true)
                .setOpen(open)
                .addAllMembers(members))
        .build();
  }

  /** Adds {@code members} to the list of a community the requester owns. */
  public static GatewayRequest addMembers(
      final String community, final java.util.Collection<String> members) {
    return GatewayRequest.newBuilder()
        .setUpdateCommunity(
            io.troupe.proto.v1.UpdateCommunity.newBuilder()
                .setCommunity(community)
                .addAllAddMembers(members))
        .build();
  }

  /** The owner adds {@code members} and sets the community's least anonymity (R15). */
  public static GatewayRequest updateCommunity(
      final String community,
      final java.util.Collection<String> members,
      final io.troupe.proto.v1.Anonymity anonymity) {
    return GatewayRequest.newBuilder()
        .setUpdateCommunity(
            io.troupe.proto.v1.UpdateCommunity.newBuilder()
                .setCommunity(community)
                .addAllAddMembers(members)
                .setAnonymity(anonymity))
        .build();
  }

  public static GatewayRequest register(
      final String community, final String service, final Optional<ServiceDescriptor> descriptor) {
    return register(
        community, service, descriptor, false, io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED);
  }

  /** Registers as a passive server (R17) when {@code passive}, with the given anonymity (R15). */
  public static GatewayRequest register(
      final String community,
      final String service,
      final Optional<ServiceDescriptor> descriptor,
      final boolean passive,
      final io.troupe.proto.v1.Anonymity anonymity) {
    return register(
        community,
        service,
        descriptor,
        passive,
        anonymity,
        io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED);
  }

  /**
   * As above; {@code serverAnonymity} is how anonymous this server asks to be whatever the
   * service's rule (R15).
   */
  public static GatewayRequest register(
      final String community,
      final String service,
      final Optional<ServiceDescriptor> descriptor,
      final boolean passive,
      final io.troupe.proto.v1.Anonymity anonymity,
      final io.troupe.proto.v1.Anonymity serverAnonymity) {
    final RegisterService.Builder op =
        RegisterService.newBuilder()
            .setCommunity(community)
            .setService(service)
            .setPassive(passive)
            .setAnonymity(serverAnonymity)
            .setRule(io.troupe.proto.v1.DistributionRule.newBuilder().setAnonymity(anonymity));
    descriptor.ifPresent(op::setServiceDescriptor);
    return GatewayRequest.newBuilder().setRegisterService(op).build();
  }

  public static GatewayRequest deregister(final String community, final String service) {
    return GatewayRequest.newBuilder()
        .setDeregisterService(
            DeregisterService.newBuilder().setCommunity(community).setService(service))
        .build();
  }

  /** Lists the catalogue: every installable service (R18). */
  public static GatewayRequest catalogue() {
    return GatewayRequest.newBuilder()
        .setBrowseServices(io.troupe.proto.v1.BrowseServices.newBuilder().setCatalogue(true))
        .build();
  }

  public static GatewayRequest leave(final String community) {
    return GatewayRequest.newBuilder()
        .setLeaveCommunity(LeaveCommunity.newBuilder().setCommunity(community))
        .build();
  }

  public static GatewayRequest setEnabled(final String address, final boolean enabled) {
    return GatewayRequest.newBuilder()
        .setSetServiceEnabled(
            SetServiceEnabled.newBuilder().setAddress(address).setEnabled(enabled))
        .build();
  }

  /** The descriptor a device publishes for {@code service}: its own, or an empty version 1. */
  public static ServiceDescriptor descriptor(
      final Optional<ServiceDescriptor> given,
      final String community,
      final String service,
      final String deviceId) {
    return given.orElse(ServiceDescriptor.newBuilder().setVersion(1).build()).toBuilder()
        .setService(service)
        .setCommunity(community)
        .setDeviceId(deviceId)
        .build();
  }
}
