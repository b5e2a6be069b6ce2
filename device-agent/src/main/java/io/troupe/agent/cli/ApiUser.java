package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Who a command asks the gateway's API as, and the asking: the {@code -u} option, a client
 * connected as that identity, one request whose failure ends the command with its status's exit
 * code, and the answer printed. Mixed into the commands that put one question to the gateway
 * ({@code catalogue}, {@code start}, {@code table}, {@code why}, {@code roles}, {@code rule}).
 */
final class ApiUser {

  @Option(
      names = {"-u", "--user"},
      defaultValue = "${env:TROUPE_USER}",
      description = "Identity (or the environment variable TROUPE_USER).")
  String user;

  /** One API call as the user; a failure ends the command with its status's exit code. */
  GatewayResponse call(
      final Connection connection, final String what, final GatewayRequest request) {
    try (TroupeConsumer client = connect(connection)) {
      return Failed.attempt(what, client.gatewayApi(request));
    }
  }

  /** A client connected as the user; a failure ends the command with its exit code. */
  TroupeConsumer connect(final Connection connection) {
    if (user == null || user.isEmpty()) {
      throw new ParameterException(
          connection.spec.commandLine(), "an identity is required: --user or TROUPE_USER");
    }
    final TroupeConsumer client = connection.consumer(user, System.getenv());
    try {
      Failed.attempt("connect as " + user, client.connect());
      return client;
    } catch (final RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Prints {@code text} on the command's output and returns the exit code of success. */
  static int print(final Connection connection, final String text) {
    final PrintWriter out = connection.spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return ExitCodes.OK;
  }
}
