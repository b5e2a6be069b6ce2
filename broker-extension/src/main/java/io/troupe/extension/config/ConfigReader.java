package io.troupe.extension.config;

import io.troupe.coap.CoapBridgeConfig;
import io.troupe.contract.Topics;
import io.troupe.router.ClientIdLimits;
import io.troupe.router.Limits;
import io.troupe.router.LoginConfig;
import io.troupe.router.RouterConfig;
import io.troupe.router.SyncLimits;
import io.troupe.router.UsageLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads {@code conf/config.xml}. A missing file means all defaults; anything present must be valid,
 * or reading fails with {@link InvalidConfigException} naming the element and the value.
 */
public final class ConfigReader {

  private static final Set<String> TOP =
      Set.of(
          "topic-root",
          "data-folder",
          "routing",
          "limits",
          "logins",
          "store",
          "coap",
          SyncConfigReader.ELEMENT,
          DirectoryConfigReader.ELEMENT);
  private static final Set<String> ROUTING =
      Set.of(
          "forward-timeout-ms",
          "default-deadline-ms",
          "status-timeout-ms",
          "max-deadline-ms",
          "volunteer-ask-again-ms");
  private static final Set<String> LIMITS =
      com.google.common.collect.Sets.union(
          Set.of(
              "max-payload-bytes",
              "max-members",
              "max-communities-per-identity",
              "max-services-per-identity",
              "max-client-id-length",
              "max-client-ids-per-identity",
              "max-client-ids",
              "max-keys-per-identity",
              "max-keys",
              "max-metered-identities",
              "max-meters-per-identity",
              "max-held-requests-per-service",
              "max-held-requests-per-identity",
              StatusLimitsReader.ELEMENT),
          InFlightConfigReader.LIMITS);
  private static final Set<String> LOGINS =
      Set.of("hash-iterations", "concurrent-hashes", "queued-hashes", "queued-hashes-per-identity");
  private static final Set<String> STORE = Set.of("jdbc-url", "user", "password-file");

  private ConfigReader() {}

  /**
   * Reads the configuration of the extension whose folder is {@code extensionHome}.
   *
   * @throws InvalidConfigException when the file is unreadable, not well-formed, has unknown
   *     elements or invalid values
   */
  public static TroupeConfig read(final Path extensionHome) {
    final Path file = extensionHome.resolve("conf").resolve("config.xml");
    RouterConfig router = RouterConfig.defaults();
    LoginConfig logins = LoginConfig.defaults();
    Path data = extensionHome.resolve("data");
    Optional<DatabaseConfig> database = Optional.empty();
    CoapBridgeConfig coap = CoapBridgeConfig.defaults();
    SyncLimits sync = SyncLimits.defaults();
    Optional<DirectoryConfig> directory = Optional.empty();
    if (!Files.exists(file)) {
      return new TroupeConfig(router, data.toAbsolutePath(), logins, database);
    }
    final Element root = parse(file);
    if (!root.getTagName().equals("troupe")) {
      throw new InvalidConfigException(
          file + ": the root element must be <troupe>, not <" + root.getTagName() + ">");
    }
    for (final Element e : children(root, TOP, file)) {
      switch (e.getTagName()) {
        case "topic-root" -> router = withTopics(router, text(e, file));
        case "data-folder" -> {
          final Path p = Path.of(text(e, file));
          data = p.isAbsolute() ? p : extensionHome.resolve(p);
        }
        case "routing" -> {
          for (final Element r : children(e, ROUTING, file)) {
            final Duration d = Duration.ofMillis(positive(r, file));
            router =
                switch (r.getTagName()) {
                  case "forward-timeout-ms" -> router.withForwardTimeout(d);
                  case "default-deadline-ms" -> router.withDefaultDeadline(d);
                  case "max-deadline-ms" ->
                      router.withInFlight(router.inFlight().withMaxDeadline(d));
                  case "volunteer-ask-again-ms" ->
                      router.withVolunteers(router.volunteers().withAskAgainAfter(d));
                  default -> router.withStatusTimeout(d);
                };
          }
        }
        case "logins" -> {
          for (final Element l : children(e, LOGINS, file)) {
            logins = withLogins(logins, l.getTagName(), positive(l, file), file);
          }
        }
        case "store" -> database = store(e, extensionHome, file);
        case "coap" -> coap = CoapConfigReader.coap(e, file);
        case SyncConfigReader.ELEMENT -> sync = SyncConfigReader.read(e, sync, file);
        case DirectoryConfigReader.ELEMENT ->
            directory = Optional.of(DirectoryConfigReader.read(e, extensionHome, file));
        default -> {
          for (final Element l : children(e, LIMITS, file)) {
            if (l.getTagName().equals(StatusLimitsReader.ELEMENT)) {
              router =
                  router.withStatusLimits(StatusLimitsReader.read(l, router.statusLimits(), file));
              continue;
            }
            final long value = positive(l, file);
            if (InFlightConfigReader.LIMITS.contains(l.getTagName())) {
              router = InFlightConfigReader.withLimit(router, l.getTagName(), value, file);
              continue;
            }
            if (value > Integer.MAX_VALUE) {
              throw new InvalidConfigException(
                  file + ": <" + l.getTagName() + "> is too large: " + value);
            }
            router = withLimit(router, l.getTagName(), (int) value);
          }
        }
      }
    }
    InFlightConfigReader.check(router, file);
    return new TroupeConfig(
        router, data.toAbsolutePath().normalize(), logins, database, coap, sync, directory);
  }

  private static LoginConfig withLogins(
      final LoginConfig c, final String name, final long value, final Path file) {
    if (value > Integer.MAX_VALUE) {
      throw new InvalidConfigException(file + ": <" + name + "> is too large: " + value);
    }
    final int n = (int) value;
    return switch (name) {
      case "concurrent-hashes" -> c.withHashQueue(n, c.queuedHashes(), c.queuedHashesPerIdentity());
      case "queued-hashes" -> c.withHashQueue(c.concurrentHashes(), n, c.queuedHashesPerIdentity());
      case "queued-hashes-per-identity" ->
          c.withHashQueue(c.concurrentHashes(), c.queuedHashes(), n);
      default -> withIterations(c, value, file);
    };
  }

  private static LoginConfig withIterations(
      final LoginConfig c, final long iterations, final Path file) {
    if (iterations < LoginConfig.MIN_ITERATIONS || iterations > Integer.MAX_VALUE) {
      throw new InvalidConfigException(
          file
              + ": <hash-iterations> must be at least "
              + LoginConfig.MIN_ITERATIONS
              + ", got "
              + iterations);
    }
    return c.withHashIterations((int) iterations);
  }

  private static RouterConfig withLimit(final RouterConfig c, final String name, final int n) {
    final Limits l = c.limits();
    final ClientIdLimits ids = c.clientIds();
    return switch (name) {
      case "max-client-id-length" -> c.withClientIds(ids.withMaxLength(n));
      case "max-client-ids-per-identity" -> c.withClientIds(ids.withMaxPerIdentity(n));
      case "max-client-ids" -> c.withClientIds(ids.withMaxTotal(n));
      case "max-keys-per-identity" -> c.withKeys(c.keys().withMaxPerIdentity(n));
      case "max-keys" -> c.withKeys(c.keys().withMaxTotal(n));
      case "max-metered-identities" ->
          c.withUsage(new UsageLimits(n, c.usage().maxMetersPerIdentity()));
      case "max-meters-per-identity" ->
          c.withUsage(new UsageLimits(c.usage().maxMeteredIdentities(), n));
      case "max-held-requests-per-service" ->
          c.withVolunteers(c.volunteers().withMaxHeldPerService(n));
      case "max-held-requests-per-identity" ->
          c.withVolunteers(c.volunteers().withMaxHeldPerIdentity(n));
      case "max-payload-bytes" -> c.withMaxPayloadBytes(n);
      case "max-members" ->
          c.withLimits(new Limits(n, l.maxCommunitiesPerIdentity(), l.maxServicesPerIdentity()));
      case "max-communities-per-identity" ->
          c.withLimits(new Limits(l.maxMembers(), n, l.maxServicesPerIdentity()));
      default -> c.withLimits(new Limits(l.maxMembers(), l.maxCommunitiesPerIdentity(), n));
    };
  }

  /** {@code <store>}: empty means SQLite in the data folder; a URL must be PostgreSQL's. */
  private static Optional<DatabaseConfig> store(
      final Element store, final Path extensionHome, final Path file) {
    String url = null;
    Optional<String> user = Optional.empty();
    Optional<Path> passwordFile = Optional.empty();
    for (final Element s : children(store, STORE, file)) {
      switch (s.getTagName()) {
        case "jdbc-url" -> url = text(s, file);
        case "user" -> user = Optional.of(text(s, file));
        default -> {
          final Path p = Path.of(text(s, file));
          final Path resolved = p.isAbsolute() ? p : extensionHome.resolve(p);
          if (!Files.isReadable(resolved)) {
            throw new InvalidConfigException(
                file + ": <password-file> " + resolved + " does not exist or is not readable");
          }
          passwordFile = Optional.of(resolved.toAbsolutePath().normalize());
        }
      }
    }
    if (url == null) {
      if (user.isPresent() || passwordFile.isPresent()) {
        throw new InvalidConfigException(
            file + ": <store> has a user or password but no <jdbc-url>");
      }
      return Optional.empty();
    }
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new InvalidConfigException(
          file
              + ": <jdbc-url> must be a PostgreSQL URL (jdbc:postgresql://host/database), got '"
              + url
              + "'");
    }
    return Optional.of(new DatabaseConfig(url, user, passwordFile));
  }

  private static RouterConfig withTopics(final RouterConfig c, final String root) {
    try {
      return new RouterConfig(
          Topics.withRoot(root),
          c.forwardTimeout(),
          c.defaultDeadline(),
          c.statusTimeout(),
          c.maxPayloadBytes(),
          c.limits(),
          c.statusLimits(),
          c.inFlight(),
          c.clientIds(),
          c.keys(),
          c.usage(),
          c.volunteers());
    } catch (final IllegalArgumentException e) {
      throw new InvalidConfigException("<topic-root>: " + e.getMessage());
    }
  }

  private static Element parse(final Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      final DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(in).getDocumentElement();
    } catch (final IOException | SAXException | ParserConfigurationException e) {
      throw new InvalidConfigException(file + " is not readable XML: " + e.getMessage());
    }
  }

  static java.util.List<Element> children(
      final Element parent, final Set<String> allowed, final Path file) {
    final java.util.List<Element> result = new java.util.ArrayList<>();
    final NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      final Node n = nodes.item(i);
      if (n instanceof Element e) {
        if (!allowed.contains(e.getTagName())) {
          throw new InvalidConfigException(
              file
                  + ": unknown element <"
                  + e.getTagName()
                  + "> in <"
                  + parent.getTagName()
                  + ">; expected one of "
                  + allowed);
        }
        result.add(e);
      }
    }
    return result;
  }

  static String text(final Element e, final Path file) {
    final String value = e.getTextContent().trim();
    if (value.isEmpty()) {
      throw new InvalidConfigException(file + ": <" + e.getTagName() + "> is empty");
    }
    return value;
  }

  static long positive(final Element e, final Path file) {
    final String value = text(e, file);
    try {
      final long n = Long.parseLong(value);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (final NumberFormatException ex) {
      throw new InvalidConfigException(
          file + ": <" + e.getTagName() + "> must be a positive whole number, got '" + value + "'");
    }
  }

  /** The configuration cannot be used; the message says where and why. */
  public static final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(final String message) {
      super(message);
    }
  }
}
