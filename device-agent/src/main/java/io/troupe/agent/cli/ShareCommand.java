package io.troupe.agent.cli;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.SetServiceEnabled;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe share enable|disable ADDRESS}: a device turns its own share of a service on or off
 * (R5). A disabled share stays registered but gets no requests until it is enabled again.
 */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = "Enables or disables your own share of a service, as the device itself.",
    subcommands = {ShareCommand.Enable.class, ShareCommand.Disable.class})
final class ShareCommand {

  /** What enable and disable share: the device's identity, the address, the one request. */
  abstract static class Toggle implements Callable<Integer> {
    @Mixin Connection connection;

    @Mixin ApiUser asUser;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "Such as echo.demo.")
    String address;

    abstract boolean enabled();

    @Override
    public Integer call() {
      final String word = enabled() ? "enabled" : "disabled";
      asUser.call(
          connection,
          (enabled() ? "enable" : "disable") + " the share of " + address,
          GatewayRequest.newBuilder()
              .setSetServiceEnabled(
                  SetServiceEnabled.newBuilder().setAddress(address).setEnabled(enabled()))
              .build());
      return ApiUser.print(connection, address + " " + word + " for " + asUser.user + "\n");
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description =
          "Lets the gateway send you requests for the service again, as the device itself.")
  static final class Enable extends Toggle {
    @Override
    boolean enabled() {
      return true;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description =
          "Stops the gateway sending you requests for the service while you stay registered, as"
              + " the device itself.")
  static final class Disable extends Toggle {
    @Override
    boolean enabled() {
      return false;
    }
  }
}
