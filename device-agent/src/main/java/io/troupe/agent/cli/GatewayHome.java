package io.troupe.agent.cli;

import java.nio.file.Path;
import java.util.Map;
import org.jetbrains.annotations.Nullable;

/**
 * The gateway's home as a command that reads a file of it finds it ({@code --home DIR}, else {@code
 * TROUPE_HOME}, else {@code .troupe/gateway}), and the one way every such command says that the
 * file is not there: which home it looked in, why that one, and how to name another. A gateway may
 * well be running with another home: nothing here guesses that it is not started.
 *
 * @param dir the home
 * @param source where {@code dir} came from, in words
 */
record GatewayHome(Path dir, String source) {

  /** The gateway's home when neither {@code --home} nor {@code TROUPE_HOME} says otherwise. */
  static final Path DEFAULT = Path.of(".troupe", "gateway");

  static final String VARIABLE = "TROUPE_HOME";

  /** {@code option} ({@code --home}), else {@code TROUPE_HOME} in {@code env}, else the default. */
  static GatewayHome of(final @Nullable Path option, final Map<String, String> env) {
    if (option != null) {
      return new GatewayHome(option, "given by --home");
    }
    final String fromEnv = env.get(VARIABLE);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new GatewayHome(Path.of(fromEnv), "given by " + VARIABLE);
    }
    return new GatewayHome(DEFAULT, "the default: neither --home nor " + VARIABLE + " is set");
  }

  /** {@code relative} inside the home. */
  Path resolve(final Path relative) {
    return dir.resolve(relative);
  }

  /**
   * The one line that says {@code what} is missing from this home: {@code no WHAT: FILE does not
   * exist; looked in the gateway home DIR (SOURCE). If the gateway runs with another home, name it
   * with --home DIR or TROUPE_HOME} followed by {@code otherWays}.
   */
  String missing(final String what, final Path file, final String otherWays) {
    return "no "
        + what
        + ": "
        + file.toAbsolutePath()
        + " does not exist or is not readable; looked in the gateway home "
        + dir.toAbsolutePath()
        + " ("
        + source
        + "). If the gateway runs with another home, name it with --home DIR or "
        + VARIABLE
        + otherWays;
  }
}
