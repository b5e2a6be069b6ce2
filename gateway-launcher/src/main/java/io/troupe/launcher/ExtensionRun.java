package io.troupe.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The launcher's side of the extension's {@code run/} folder (the extension's {@code LaunchFiles}
 * describes both files): the ports this run moves go in {@code launch.properties}; after the start,
 * {@code started.properties} says where CoAP is bound or why the extension did not start.
 */
final class ExtensionRun {

  /** The setting a taken DTLS port names, and the flag that moves it. */
  static final String DTLS_PORT = "coap.dtls.port";

  private ExtensionRun() {}

  /**
   * Clears the last run's report and writes this run's port, or removes the one of an earlier run.
   */
  static void prepare(final Path extensionHome, final OptionalInt coapPort) throws IOException {
    final Path run = PrivateFiles.folder(extensionHome.resolve("run"));
    Files.deleteIfExists(run.resolve("started.properties"));
    final Path launch = run.resolve("launch.properties");
    if (coapPort.isPresent()) {
      PrivateFiles.write(launch, DTLS_PORT + "=" + coapPort.getAsInt() + "\n");
    } else {
      Files.deleteIfExists(launch);
    }
  }

  /** What the extension wrote when it started or failed; empty when it wrote nothing. */
  static Optional<Report> report(final Path extensionHome) throws IOException {
    final Path file = extensionHome.resolve("run").resolve("started.properties");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    final Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return Optional.of(
        new Report(
            Optional.ofNullable(properties.getProperty("failure")),
            Optional.ofNullable(properties.getProperty("failure.port")),
            Optional.ofNullable(properties.getProperty("coap.dtls")),
            Optional.ofNullable(properties.getProperty("coap.plain"))));
  }

  /**
   * The extension's report.
   *
   * @param failure why it did not start, empty when it started
   * @param failurePort the port setting that was taken ({@link #DTLS_PORT} or the plain one)
   * @param coapDtls where CoAP over DTLS is bound (host:port)
   * @param coapPlain where plain CoAP is bound (host:port)
   */
  record Report(
      Optional<String> failure,
      Optional<String> failurePort,
      Optional<String> coapDtls,
      Optional<String> coapPlain) {

    /** The failure in one line, with the flag that moves a taken DTLS port. */
    Optional<String> failureLine() {
      return failure.map(
          f ->
              "the Troupe extension did not start, so the broker was stopped: "
                  + f
                  + (failurePort.filter(DTLS_PORT::equals).isPresent()
                      ? ", or with --coap-port PORT (0 for any free port)"
                      : ""));
    }
  }
}
