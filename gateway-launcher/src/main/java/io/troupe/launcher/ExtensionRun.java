package io.troupe.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The launcher's side of the extension's {@code run/} folder (the extension's {@code LaunchFiles}
 * describes both files): the ports this run moves go in {@code launch.properties}; after the start,
 * {@code started.properties} says where CoAP is bound or why the extension did not start.
 */
final class ExtensionRun {

  /** A CoAP endpoint's port: the setting the extension reads and the flag that moves it. */
  enum CoapPort {
    DTLS("coap.dtls.port", "--coap-port"),
    PLAIN("coap.plain.port", "--coap-plain-port");

    final String setting;
    final String flag;

    CoapPort(final String setting, final String flag) {
      this.setting = setting;
      this.flag = flag;
    }
  }

  private ExtensionRun() {}

  /**
   * Clears the last run's report and writes this run's ports, or removes those of an earlier run.
   */
  static void prepare(final Path extensionHome, final Map<CoapPort, Integer> ports)
      throws IOException {
    final Path run = PrivateFiles.folder(extensionHome.resolve("run"));
    Files.deleteIfExists(run.resolve("started.properties"));
    final Path launch = run.resolve("launch.properties");
    if (ports.isEmpty()) {
      Files.deleteIfExists(launch);
      return;
    }
    final StringBuilder text = new StringBuilder();
    ports.forEach(
        (port, value) -> text.append(port.setting).append('=').append(value).append('\n'));
    PrivateFiles.write(launch, text.toString());
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
   * @param failurePort the setting of the port that was taken (a {@link CoapPort#setting})
   * @param coapDtls where CoAP over DTLS is bound (host:port)
   * @param coapPlain where plain CoAP is bound (host:port)
   */
  record Report(
      Optional<String> failure,
      Optional<String> failurePort,
      Optional<String> coapDtls,
      Optional<String> coapPlain) {

    /** The failure in one line, with the flag that moves a taken port. */
    Optional<String> failureLine() {
      final Optional<CoapPort> taken =
          Arrays.stream(CoapPort.values())
              .filter(p -> failurePort.filter(p.setting::equals).isPresent())
              .findFirst();
      return failure.map(
          f ->
              "the Troupe extension did not start, so the broker was stopped: "
                  + f
                  + taken
                      .map(p -> ", or with " + p.flag + " PORT (0 for any free port)")
                      .orElse(""));
    }
  }
}
