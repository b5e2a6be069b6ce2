package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.api.TroupeKeys;
import io.troupe.proto.v1.AuthKey;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.KeyList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe key create|list|revoke}: keys (R14), from which invitations are built ({@code
 * troupe invite}). The owner of a service's community, or an admin, creates them.
 */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description =
        "Creates, lists or revokes keys for a service, as the owner of its community or an admin."
            + " Build invitations from a key with 'troupe invite KEY'.",
    subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
final class KeyCommand {

  /** {@code troupe key create ADDRESS --action use|host|clone ...}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates a key for the service at ADDRESS and prints it once as KEYID.SECRET: keep it"
              + " secret, whoever holds it can build invitations.")
  static final class Create implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;
    @Mixin JsonOutput output;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "Such as echo.demo.")
    String address;

    @Option(
        names = "--action",
        required = true,
        paramLabel = "use|host|clone",
        description =
            "What an invitation grants (repeatable): use (call the service), host (serve it as a"
                + " secondary), clone (start an instance in another community).")
    List<String> actions;

    @Option(
        names = "--uses",
        description = "How many invitations may be redeemed on it (default: ${DEFAULT-VALUE}).")
    int uses = 1;

    @Option(
        names = "--valid",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long it is valid, such as 12h or 30d (default: 7d; at most 365d).")
    Duration valid = Duration.ZERO;

    @Override
    public Integer call() {
      final List<KeyAction> parsed = actions.stream().map(KeyCommand::action).toList();
      try (TroupeConsumer client = asUser.connect(connection)) {
        final AuthKey key =
            Failed.attempt(
                "create a key for " + address, client.keys().create(address, parsed, uses, valid));
        return ApiUser.print(
            connection, output.json ? JsonOutput.json(key) : TroupeKeys.printed(key) + "\n");
      }
    }
  }

  /** {@code troupe key list [--json]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the keys you created (an admin: all), without secrets.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;
    @Mixin JsonOutput output;

    @Override
    public Integer call() {
      try (TroupeConsumer client = asUser.connect(connection)) {
        final KeyList keys = Failed.attempt("list keys", client.keys().list());
        return ApiUser.print(connection, output.format(keys, KeyCommand::format));
      }
    }
  }

  /** {@code troupe key revoke KEYID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revokes a key: its invitations are refused, and what they granted ends at once.")
  static final class Revoke implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;

    @Parameters(index = "0", paramLabel = "KEYID", description = "As 'troupe key list' shows it.")
    String keyId;

    @Override
    public Integer call() {
      try (TroupeConsumer client = asUser.connect(connection)) {
        Failed.attempt("revoke key " + keyId, client.keys().revoke(keyId));
        return ApiUser.print(connection, "revoked " + keyId + "\n");
      }
    }
  }

  static KeyAction action(final String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "use" -> KeyAction.USE;
      case "host" -> KeyAction.HOST;
      case "clone" -> KeyAction.CLONE;
      default ->
          throw new IllegalArgumentException("--action is use, host or clone, not '" + name + "'");
    };
  }

  /** A line per key: id, service, actions, uses, expiry, and whether revoked. */
  static String format(final KeyList keys) {
    final StringBuilder text = new StringBuilder();
    for (final AuthKey k : keys.getKeysList()) {
      text.append(k.getKeyId())
          .append("  ")
          .append(k.getAddress())
          .append("  ")
          .append(
              k.getActionsList().stream()
                  .map(a -> a.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(",")))
          .append("  used ")
          .append(k.getUsed())
          .append('/')
          .append(k.getUses())
          .append("  expires ")
          .append(Instant.ofEpochMilli(k.getExpiresAtMs()))
          .append(k.getRevoked() ? "  revoked" : "")
          .append('\n');
    }
    return text.length() == 0 ? "no keys\n" : text.toString();
  }
}
