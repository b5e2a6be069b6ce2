package io.troupe.extension.config;

import io.troupe.coap.CoapBridgeConfig;
import io.troupe.coap.ObserveLimits;
import io.troupe.coap.UploadLimits;
import io.troupe.extension.config.ConfigReader.InvalidConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads {@code <coap>}: {@code <enabled>}, {@code <dtls>} ({@code <enabled>}, {@code <bind>},
 * {@code <port>}: by default on, 5684, on the MQTT listener's address unless {@code <bind>} says
 * otherwise), {@code <plain>} (off unless present; then {@code <bind>}, {@code <port>} and {@code
 * <act-as>} are all required), {@code <observe>} ({@code <max-per-identity>}, {@code
 * <max-per-peer>}, {@code <max-total>}: how many observations the bridge keeps) and {@code
 * <uploads>}: the limits on block-wise uploads.
 */
final class CoapConfigReader {

  private static final Set<String> COAP = Set.of("enabled", "dtls", "plain", "observe", "uploads");
  private static final Set<String> OBSERVE =
      Set.of("max-per-identity", "max-per-peer", "max-total");
  private static final Set<String> DTLS = Set.of("enabled", "bind", "port");
  private static final Set<String> PLAIN = Set.of("bind", "port", "act-as");
  private static final Set<String> UPLOADS =
      Set.of("per-identity", "per-peer", "total", "total-bytes", "idle-timeout-ms");

  private CoapConfigReader() {}

  static CoapBridgeConfig coap(final Element coap, final Path file) {
    boolean enabled = true;
    CoapBridgeConfig dtls = CoapBridgeConfig.defaults();
    Optional<CoapBridgeConfig.Plain> plain = Optional.empty();
    ObserveLimits observe = ObserveLimits.DEFAULTS;
    UploadLimits uploads = UploadLimits.defaults();
    for (final Element e : ConfigReader.children(coap, COAP, file)) {
      switch (e.getTagName()) {
        case "enabled" -> enabled = bool(e, file);
        case "dtls" -> dtls = dtls(e, file);
        case "observe" -> observe = observe(e, file);
        case "uploads" -> uploads = uploads(e, file);
        default -> plain = Optional.of(plain(e, file));
      }
    }
    return new CoapBridgeConfig(
        enabled, dtls.dtls(), plain, dtls.dtlsFollowsMqtt(), observe, uploads);
  }

  private static ObserveLimits observe(final Element observe, final Path file) {
    int perIdentity = ObserveLimits.DEFAULTS.perIdentity();
    int perPeer = ObserveLimits.DEFAULTS.perPeer();
    int total = ObserveLimits.DEFAULTS.total();
    for (final Element e : ConfigReader.children(observe, OBSERVE, file)) {
      final int value = (int) Math.min(Integer.MAX_VALUE, ConfigReader.positive(e, file));
      switch (e.getTagName()) {
        case "max-per-identity" -> perIdentity = value;
        case "max-per-peer" -> perPeer = value;
        default -> total = value;
      }
    }
    try {
      return new ObserveLimits(perIdentity, perPeer, total);
    } catch (final IllegalArgumentException e) {
      throw new InvalidConfigException(file + ": <coap><observe>: " + e.getMessage());
    }
  }

  /** {@code <uploads>}: each element positive; what is not named keeps its default. */
  private static UploadLimits uploads(final Element uploads, final Path file) {
    final UploadLimits d = UploadLimits.defaults();
    int perIdentity = d.perIdentity();
    int perPeer = d.perPeer();
    int total = d.total();
    long totalBytes = d.totalBytes();
    Duration idle = d.idleTimeout();
    for (final Element e : ConfigReader.children(uploads, UPLOADS, file)) {
      final long n = ConfigReader.positive(e, file);
      switch (e.getTagName()) {
        case "per-identity" -> perIdentity = count(e, n, file);
        case "per-peer" -> perPeer = count(e, n, file);
        case "total" -> total = count(e, n, file);
        case "total-bytes" -> totalBytes = n;
        default -> idle = Duration.ofMillis(n);
      }
    }
    return new UploadLimits(perIdentity, perPeer, total, totalBytes, idle);
  }

  private static int count(final Element e, final long n, final Path file) {
    if (n > 100_000) {
      throw new InvalidConfigException(
          file + ": <coap><uploads><" + e.getTagName() + "> must be at most 100000, got " + n);
    }
    return (int) n;
  }

  /** The DTLS part only: without {@code <bind>}, it follows the MQTT listener's address. */
  private static CoapBridgeConfig dtls(final Element dtls, final Path file) {
    boolean enabled = true;
    String bind = null;
    int port = CoapBridgeConfig.COAPS_PORT;
    for (final Element e : ConfigReader.children(dtls, DTLS, file)) {
      switch (e.getTagName()) {
        case "enabled" -> enabled = bool(e, file);
        case "bind" -> bind = ConfigReader.text(e, file);
        default -> port = port(e, file);
      }
    }
    if (!enabled) {
      return new CoapBridgeConfig(true, Optional.empty(), Optional.empty());
    }
    return bind == null
        ? new CoapBridgeConfig(
            true, Optional.of(new InetSocketAddress(port)), Optional.empty(), true)
        : new CoapBridgeConfig(
            true, Optional.of(address("dtls", bind, port, file)), Optional.empty());
  }

  private static CoapBridgeConfig.Plain plain(final Element plain, final Path file) {
    String bind = null;
    Integer port = null;
    String actAs = null;
    for (final Element e : ConfigReader.children(plain, PLAIN, file)) {
      switch (e.getTagName()) {
        case "bind" -> bind = ConfigReader.text(e, file);
        case "port" -> port = port(e, file);
        default -> actAs = ConfigReader.text(e, file);
      }
    }
    if (bind == null || port == null || actAs == null) {
      throw new InvalidConfigException(
          file + ": <coap><plain> needs <bind>, <port> and <act-as> (the identity it acts as)");
    }
    return new CoapBridgeConfig.Plain(address("plain", bind, port, file), actAs);
  }

  private static InetSocketAddress address(
      final String what, final String bind, final int port, final Path file) {
    try {
      return new InetSocketAddress(InetAddress.getByName(bind), port);
    } catch (final UnknownHostException e) {
      throw new InvalidConfigException(
          file + ": <coap><" + what + "><bind> is not an address: '" + bind + "'");
    }
  }

  private static int port(final Element e, final Path file) {
    final String value = ConfigReader.text(e, file);
    try {
      final int port = Integer.parseInt(value);
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (final NumberFormatException ex) {
      throw new InvalidConfigException(
          file + ": <port> must be a port number (0 for any free one), got '" + value + "'");
    }
  }

  private static boolean bool(final Element e, final Path file) {
    final String value = ConfigReader.text(e, file);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidConfigException(
              file + ": <" + e.getTagName() + "> must be true or false, got '" + value + "'");
    };
  }
}
