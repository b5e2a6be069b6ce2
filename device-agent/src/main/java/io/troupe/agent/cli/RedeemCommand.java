package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.contract.Invitations;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.Redeemed;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe redeem URL}: presents an invitation (R14). With {@code -u} it redeems as that
 * identity; without, it connects with the invitation as its only credential and the gateway creates
 * an identity, whose name and password it prints once (or saves with {@code --save}).
 */
@Command(
    name = "redeem",
    mixinStandardHelpOptions = true,
    description =
        "Redeems an invitation (troupe://HOST:PORT/i/TOKEN, or the token), as any identity or as"
            + " someone with none. Without --user it"
            + " connects with the invitation alone and gets a new identity: its password is shown"
            + " once, so keep it (--save FILE writes it to a file only you can read).")
final class RedeemCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Option(
      names = {"-u", "--user"},
      defaultValue = "${env:TROUPE_USER}",
      description = "Redeem as this identity (or TROUPE_USER); without, as a new one.")
  String user;

  @Parameters(index = "0", paramLabel = "URL", description = "The invitation.")
  String url;

  @Option(names = "--name", description = "The name of the identity to create, if one is.")
  String name = "";

  @Option(names = "--community", description = "With a clone invitation: the new community.")
  String community = "";

  @Option(names = "--service", description = "With a clone invitation: the service's new name.")
  String service = "";

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description = "Write a created identity's password to FILE, readable only by you.")
  Path save;

  @Override
  public Integer call() throws IOException {
    if (Invitations.parse(url).isEmpty()) {
      throw new IllegalArgumentException(
          "not an invitation: expected troupe://HOST:PORT/i/TOKEN or the token");
    }
    useUrlsGateway();
    final boolean invitee = user == null || user.isEmpty();
    final TroupeConsumer client =
        invitee
            ? TroupeConsumer.builder()
                .host(connection.host)
                .port(connection.port)
                .topicRoot(connection.root)
                .invitation(url)
                .build()
            : connection.consumer(user, connection.password("TROUPE_PASSWORD"));
    try (client) {
      Failed.attempt(
          "connect" + (invitee ? " with the invitation" : " as " + user), client.connect());
      final Redeemed r =
          Failed.attempt("redeem", client.keys().redeem(url, name, community, service));
      return ApiUser.print(connection, describe(r));
    }
  }

  /** Where the URL says the gateway is, unless {@code --host} or {@code --port} say otherwise. */
  private void useUrlsGateway() {
    if (!url.startsWith("troupe://")) {
      return;
    }
    final URI uri = URI.create(url.replaceFirst("^troupe://", "http://"));
    final var parsed = connection.spec.commandLine().getParseResult();
    if (uri.getHost() != null && !parsed.hasMatchedOption("--host")) {
      connection.host = uri.getHost();
    }
    if (uri.getPort() > 0 && !parsed.hasMatchedOption("--port")) {
      connection.port = uri.getPort();
    }
  }

  private String describe(final Redeemed r) throws IOException {
    final StringBuilder text = new StringBuilder();
    text.append("granted ")
        .append(
            r.getGrantedList().stream()
                .map(a -> a.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")))
        .append(" on ")
        .append(r.getAddress())
        .append('\n');
    if (r.getGrantedList().contains(KeyAction.CLONE)) {
      text.append("new instance at ")
          .append(r.getCloneAddress())
          .append(" in community ")
          .append(r.getCommunity())
          .append('\n');
    }
    if (r.hasIdentity()) {
      final String role = r.getIdentity().getRole().name().toLowerCase(Locale.ROOT);
      text.append("identity: ").append(r.getIdentity().getName()).append(" (").append(role);
      if (save != null) {
        writeOwnerOnly(save, r.getIdentity().getPassword());
        text.append(")\npassword saved to ").append(save).append('\n');
      } else {
        text.append(")\npassword: ")
            .append(r.getIdentity().getPassword())
            .append("\nshown this once: keep it in a file only you can read and use")
            .append(" --password-file FILE, or TROUPE_PASSWORD\n");
      }
    }
    return text.toString();
  }

  private static void writeOwnerOnly(final Path file, final String secret) throws IOException {
    Files.deleteIfExists(file);
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
  }
}
