package io.troupe.extension.config;

import io.troupe.coap.CoapBridgeConfig;
import io.troupe.extension.config.ConfigReader.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The two small files through which a launcher ({@code troupe gateway}) and the extension talk, in
 * the extension's {@code run/} folder.
 *
 * <ul>
 *   <li>{@code launch.properties}, written by the launcher before the broker starts, moves the CoAP
 *       ports for this run only ({@value #DTLS_PORT}, {@value #PLAIN_PORT}; 0 for any free port): a
 *       command-line flag beats the operator's {@code conf/config.xml}, which stays as it is.
 *   <li>{@code started.properties}, written by the extension once it has started or failed: where
 *       the CoAP endpoints are bound ({@code coap.dtls}, {@code coap.plain}, as host:port), or why
 *       it did not start ({@code failure}, and {@code failure.port} naming the port setting when a
 *       port was taken). HiveMQ keeps an extension's failure in its log only, and an embedded
 *       broker whose extension failed lets anyone in: the launcher reads this to say why.
 * </ul>
 */
public final class LaunchFiles {

  /** The DTLS endpoint's port, {@code <coap><dtls><port>} for one run. */
  public static final String DTLS_PORT = "coap.dtls.port";

  /** The plain endpoint's port, {@code <coap><plain><port>} for one run. */
  public static final String PLAIN_PORT = "coap.plain.port";

  private LaunchFiles() {}

  /** The overrides file in {@code extensionHome}. */
  public static Path launch(final Path extensionHome) {
    return extensionHome.resolve("run").resolve("launch.properties");
  }

  /** The report file in {@code extensionHome}. */
  public static Path started(final Path extensionHome) {
    return extensionHome.resolve("run").resolve("started.properties");
  }

  /**
   * {@code config} with the ports {@code launch.properties} names, if it exists.
   *
   * @throws InvalidConfigException when a value is not a port, or moves an endpoint that is off
   */
  public static TroupeConfig withOverrides(final TroupeConfig config, final Path extensionHome) {
    final Path file = launch(extensionHome);
    if (!Files.exists(file)) {
      return config;
    }
    final Properties launch = read(file);
    CoapBridgeConfig coap = config.coap();
    for (final String key : launch.stringPropertyNames()) {
      final int port = port(file, key, launch.getProperty(key));
      coap =
          switch (key) {
            case DTLS_PORT -> {
              final InetSocketAddress dtls =
                  coap.dtls()
                      .filter(d -> config.coap().enabled())
                      .orElseThrow(() -> off(file, key, "<coap><dtls>"));
              yield new CoapBridgeConfig(
                  coap.enabled(),
                  Optional.of(new InetSocketAddress(dtls.getAddress(), port)),
                  coap.plain(),
                  coap.dtlsFollowsMqtt(),
                  coap.observe(),
                  coap.uploads());
            }
            case PLAIN_PORT -> {
              final CoapBridgeConfig.Plain plain =
                  coap.plain()
                      .filter(p -> config.coap().enabled())
                      .orElseThrow(() -> off(file, key, "<coap><plain>"));
              yield new CoapBridgeConfig(
                  coap.enabled(),
                  coap.dtls(),
                  Optional.of(
                      new CoapBridgeConfig.Plain(
                          new InetSocketAddress(plain.address().getAddress(), port),
                          plain.actAs())),
                  coap.dtlsFollowsMqtt(),
                  coap.observe(),
                  coap.uploads());
            }
            default -> throw new InvalidConfigException(file + ": unknown setting " + key);
          };
    }
    return config.withCoap(coap);
  }

  /** Writes where the endpoints are bound, for the launcher to print. */
  public static void reportStarted(
      final Path extensionHome,
      final Optional<InetSocketAddress> dtls,
      final Optional<InetSocketAddress> plain)
      throws IOException {
    final Properties report = new Properties();
    dtls.ifPresent(a -> report.setProperty("coap.dtls", hostPort(a)));
    plain.ifPresent(a -> report.setProperty("coap.plain", hostPort(a)));
    write(started(extensionHome), report);
  }

  /**
   * Writes why the extension did not start; {@code portSetting} is {@link #DTLS_PORT} or {@link
   * #PLAIN_PORT} when that port was taken.
   */
  public static void reportFailure(
      final Path extensionHome, final String reason, final Optional<String> portSetting)
      throws IOException {
    final Properties report = new Properties();
    report.setProperty("failure", reason);
    portSetting.ifPresent(s -> report.setProperty("failure.port", s));
    write(started(extensionHome), report);
  }

  private static String hostPort(final InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static InvalidConfigException off(final Path file, final String key, final String part) {
    return new InvalidConfigException(
        file + ": " + key + " moves an endpoint that is off: conf/config.xml has no " + part);
  }

  private static int port(final Path file, final String key, final String value) {
    try {
      final int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (final NumberFormatException e) {
      // said below
    }
    throw new InvalidConfigException(
        file + ": " + key + " must be a port number (0 for any free one), got '" + value + "'");
  }

  private static Properties read(final Path file) {
    final Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (final IOException | IllegalArgumentException e) {
      throw new InvalidConfigException(file + " is not readable: " + e.getMessage());
    }
    return properties;
  }

  private static void write(final Path file, final Properties properties) throws IOException {
    Files.createDirectories(file.getParent());
    final Path temporary = file.resolveSibling(file.getFileName() + ".part");
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      properties.store(out, null);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
