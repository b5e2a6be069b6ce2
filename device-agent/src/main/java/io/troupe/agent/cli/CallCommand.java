package io.troupe.agent.cli;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.contract.Names;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    description =
        "Calls a service and prints the answer's body; the exit code tells the status. As any"
            + " identity the service's community lets call it.")
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
      names = "--area",
      paramLabel = "AREA",
      description =
          "Your area (the area user property): servers whose criteria exclude it are skipped, and"
              + " roles by area apply.")
  String area = "";

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "A user property of the request (repeatable).")
  Map<String, String> properties = new LinkedHashMap<>();

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
    if (!Names.isAddress(Names.lowerCase(address))) {
      throw new ParameterException(
          connection.spec.commandLine(),
          "not a service address such as echo.demo: '" + address + "'");
    }
    final byte[] request = body();
    try (TroupeConsumer consumer = connection.consumer(user, System.getenv())) {
      Failed.attempt("connect as " + user, consumer.connect());
      final CallResult result =
          Failed.attempt("call " + address, consumer.call(address, request, options()));
      final PrintWriter err = connection.spec.commandLine().getErr();
      if (verbose) {
        err.println(
            "status "
                + result.status()
                + result.server().map(s -> " from " + s).orElse("")
                + result.reason().map(r -> " (" + r + ")").orElse(""));
      }
      if (!result.isSuccess()) {
        err.println(Failed.line("call " + address, result.status(), result.reason().orElse("")));
        err.flush();
        return ExitCodes.forStatus(result.status());
      }
      err.flush();
      print(result.body());
      return ExitCodes.OK;
    }
  }

  CallOptions options() {
    CallOptions options = CallOptions.defaults();
    for (final Map.Entry<String, String> p : properties.entrySet()) {
      if (p.getKey().isEmpty()) {
        throw new ParameterException(
            connection.spec.commandLine(),
            "-D needs KEY=VALUE with a key, got '=" + p.getValue() + "'");
      }
      options = options.withUserProperty(p.getKey(), p.getValue());
    }
    if (!area.isEmpty()) {
      options = options.withUserProperty("area", area);
    }
    return options.withMethod(method).withPath(path).withSession(session).withTimeout(timeout);
  }

  /**
   * The answer's body and a line end if it has none: as text on the command's output when it is
   * UTF-8 (so that a program running the command line in its JVM gets it), else as bytes on stdout,
   * unchanged.
   */
  private void print(final byte[] answer) throws IOException {
    final PrintWriter out = connection.spec.commandLine().getOut();
    final boolean lineEnd = answer.length > 0 && answer[answer.length - 1] == '\n';
    try {
      final String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(answer))
              .toString();
      out.print(lineEnd ? text : text + "\n");
      out.flush();
    } catch (final CharacterCodingException binary) {
      out.flush();
      System.out.write(answer);
      if (!lineEnd) {
        System.out.println();
      }
      System.out.flush();
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
