package io.troupe.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository these checks run in: its root (the surefire property {@code troupe.root}, else the
 * parent of the working directory), its modules as the root pom lists them, and its source files,
 * never what a build wrote into {@code target/}.
 */
final class Repository {

  /** This module: it has no main classes, and it is no part of what the checks look at. */
  static final String SELF = "build-checks";

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  private Repository() {}

  static Path root() {
    return Path.of(System.getProperty("troupe.root", "..")).toAbsolutePath().normalize();
  }

  /** The modules the root pom lists, in its order, this one left out. */
  static List<String> modules() {
    final Matcher m = MODULE.matcher(read(root().resolve("pom.xml")));
    return m.results().map(r -> r.group(1).trim()).filter(name -> !name.equals(SELF)).toList();
  }

  /** Where the build put {@code module}'s main classes; fails when it has not built them. */
  static Path mainClasses(final String module) {
    final Path classes = root().resolve(module).resolve("target/classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "no compiled classes in "
              + classes
              + ": run the checks through the reactor (mvn -pl "
              + SELF
              + " -am test)");
    }
    return classes;
  }

  /** Every file under the root whose name ends in one of {@code suffixes}, outside build output. */
  static List<Path> sources(final String... suffixes) {
    try (Stream<Path> files = Files.walk(root())) {
      return files
          .filter(Files::isRegularFile)
          .filter(Repository::isSource)
          .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
          .toList();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(final Path file) {
    try {
      return Files.readString(file);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Not in {@code target/} nor in a hidden folder ({@code .git}, a gateway's {@code .troupe}). */
  private static boolean isSource(final Path file) {
    for (final Path part : root().relativize(file)) {
      final String name = part.toString();
      if (name.equals("target") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }
}
