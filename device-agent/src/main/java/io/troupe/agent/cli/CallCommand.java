package io.troupe.agent.cli;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.contract.Names;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code troupe call ADDRESS}: one request, the answer's body on stdout. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = "Calls a service and prints the answer's body; the exit code tells the status.")
final class CallCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Parameters(index = "0", description = "Service address, such as echo.demo.")
  String address;

  @Option(
      names = {"-u", "--user"},
      defaultValue = "${env:TROUPE_USER}",
      description = "Consumer identity (or the environment variable TROUPE_USER).")
  String user;

  static final class Body {
    @Option(names = "--data", description = "Request body as text.")
    String data;

    @Option(names = "--data-file", description = "Request body from a file.")
    Path file;
  }

  @ArgGroup(exclusive = true)
  Body body;

  @Option(names = "--method", description = "The method user property (GET, PUT, …).")
  String method = "";

  @Option(names = "--path", description = "The path user property.")
  String path = "";

  @Option(
      names = "--session",
      description = "Session id: later calls with it stay on the server that served it.")
  String session = "";

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "How long to wait, failovers included (default: 10s).")
  Duration timeout = Duration.ofSeconds(10);

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the status and the server to stderr.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (user == null || user.isEmpty()) {
      throw new ParameterException(
          connection.spec.commandLine(), "an identity is required: --user or TROUPE_USER");
    }
    if (!Names.isAddress(address)) {
      throw new ParameterException(
          connection.spec.commandLine(),
          "not a service address such as echo.demo: '" + address + "'");
    }
    final byte[] request = body();
    try (TroupeConsumer consumer =
        connection.consumer(user, connection.password("TROUPE_PASSWORD"))) {
      Failed.attempt("connect as " + user, consumer.connect());
      final CallResult result =
          Failed.attempt(
              "call " + address,
              consumer.call(
                  address,
                  request,
                  CallOptions.defaults()
                      .withMethod(method)
                      .withPath(path)
                      .withSession(session)
                      .withTimeout(timeout)));
      if (verbose) {
        System.err.println(
            "status "
                + result.status()
                + result.server().map(s -> " from " + s).orElse("")
                + result.reason().map(r -> " (" + r + ")").orElse(""));
      }
      if (!result.isSuccess()) {
        System.err.println(
            Failed.line("call " + address, result.status(), result.reason().orElse("")));
        return ExitCodes.forStatus(result.status());
      }
      final PrintStream out = System.out;
      final byte[] answer = result.body();
      out.write(answer);
      if (answer.length == 0 || answer[answer.length - 1] != '\n') {
        out.println();
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  private byte[] body() {
    if (body == null) {
      return new byte[0];
    }
    if (body.data != null) {
      return body.data.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readAllBytes(body.file);
    } catch (final IOException e) {
      throw new ParameterException(
          connection.spec.commandLine(), "cannot read --data-file " + body.file + ": " + e);
    }
  }
}
