package io.troupe.router;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.ClearRetained;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DeleteCommunity;
import io.troupe.proto.v1.DeleteService;
import io.troupe.proto.v1.Dependency;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.SetServiceEnabled;
import io.troupe.proto.v1.Setting;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.List;

/**
 * Valid messages of every kind the gateway reads, about the fuzz tests' community {@code demo}
 * (owner {@code owner}, member {@code member}, service {@code echo}), for mutation.
 */
public final class FuzzSeeds {

  private FuzzSeeds() {}

  /** One request of each API operation but {@code AddIdentity}, whose hashing is slow. */
  public static final List<ByteString> API =
      List.of(
          op(
              GatewayRequest.newBuilder()
                  .setCreateCommunity(
                      CreateCommunity.newBuilder().setName("other").addMembers("member"))),
          op(
              GatewayRequest.newBuilder()
                  .setJoinCommunity(
                      JoinCommunity.newBuilder().setCommunity("demo").setCreateIfAbsent(true))),
          op(
              GatewayRequest.newBuilder()
                  .setLeaveCommunity(LeaveCommunity.newBuilder().setCommunity("demo"))),
          op(
              GatewayRequest.newBuilder()
                  .setRegisterService(
                      RegisterService.newBuilder()
                          .setCommunity("demo")
                          .setService("echo")
                          .setRule(
                              DistributionRule.newBuilder().setOrder(RequestOrder.LEAST_LOADED))
                          .setServiceDescriptor(descriptor()))),
          op(
              GatewayRequest.newBuilder()
                  .setDeregisterService(
                      DeregisterService.newBuilder().setCommunity("demo").setService("echo"))),
          op(
              GatewayRequest.newBuilder()
                  .setSetServiceEnabled(
                      SetServiceEnabled.newBuilder().setAddress("echo.demo").setEnabled(false))),
          op(
              GatewayRequest.newBuilder()
                  .setBrowseServices(BrowseServices.newBuilder().setCommunity("demo"))),
          op(
              GatewayRequest.newBuilder()
                  .setRemoveIdentity(RemoveIdentity.newBuilder().setName("member"))),
          op(
              GatewayRequest.newBuilder()
                  .setUpdateCommunity(
                      UpdateCommunity.newBuilder()
                          .setCommunity("demo")
                          .addAddMembers("mallory")
                          .addRemoveMembers("member")
                          .setOpen(true))),
          op(
              GatewayRequest.newBuilder()
                  .setDeleteCommunity(DeleteCommunity.newBuilder().setCommunity("demo"))),
          op(
              GatewayRequest.newBuilder()
                  .setDeleteService(
                      DeleteService.newBuilder().setCommunity("demo").setService("echo"))),
          op(
              GatewayRequest.newBuilder()
                  .setClearRetained(
                      ClearRetained.newBuilder().setTopicFilter("troupe/c/demo/status/+"))));

  /** An {@code AddIdentity}: an admin's hashes a password, so the tests send it rarely. */
  public static final ByteString ADD_IDENTITY =
      op(
          GatewayRequest.newBuilder()
              .setAddIdentity(
                  AddIdentity.newBuilder()
                      .setName("newcomer")
                      .setRole(IdentityRole.DEVICE)
                      .setPassword("secret-secret")));

  public static ByteString status(final String device) {
    return StatusMessage.newBuilder()
        .setDeviceId(device)
        .setNetworkAddress("10.0.0.7")
        .setAvailability(Availability.AVAILABLE)
        .setMetrics(
            Metrics.newBuilder()
                .setBatteryPercent(80)
                .setMaxRequestsInProgress(4)
                .addComponents("camera"))
        .setCriteria(
            AvailabilityCriteria.newBuilder()
                .addWindows(
                    TimeWindow.newBuilder()
                        .addDays(1)
                        .setStartMinute(60)
                        .setEndMinute(1200)
                        .setTimeZone("Europe/Berlin"))
                .addAreas("home"))
        .addServices(ServiceShare.newBuilder().setService("echo").setEnabled(true))
        .setSentAtMs(1_000)
        .setSequence(3)
        .build()
        .toByteString();
  }

  public static ServiceDescriptor descriptor() {
    return ServiceDescriptor.newBuilder()
        .setService("echo")
        .setCommunity("demo")
        .setVersion(2)
        .addItems(Item.newBuilder().setName("index.html").setSize(12))
        .addDependencies(Dependency.newBuilder().setName("clock").setKind(Dependency.Kind.SERVICE))
        .addSettings(Setting.newBuilder().setKey("greeting").setValue("hi"))
        .setDeviceId("owner")
        .build();
  }

  public static ByteString reply(final String requestId) {
    return TunnelResponse.newBuilder()
        .setRequestId(requestId)
        .setStatus(200)
        .setBody(ByteString.copyFromUtf8("pong"))
        .setContentType("text/plain")
        .putProperties("x-served-by", "owner")
        .build()
        .toByteString();
  }

  private static ByteString op(final GatewayRequest.Builder request) {
    return request.build().toByteString();
  }
}
