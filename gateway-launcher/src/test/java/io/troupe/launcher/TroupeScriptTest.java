package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code troupe} script, run from a copy in a temporary project whose {@code mvn} and {@code
 * java} are stand-ins that write down their arguments: the real build is never started (the build
 * must not rebuild itself) and the test takes milliseconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TroupeScriptTest {

  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final Instant BUILT = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path project;
  private Path bin;
  private Path cliJar;
  private Path calls;

  @BeforeEach
  void aBuiltProject() throws IOException {
    Files.copy(Path.of("..", "troupe"), project.resolve("troupe"));
    calls = project.resolve("calls.txt");
    bin = Files.createDirectories(project.resolve("fake-bin"));
    // the stand-in build touches the jars as Maven would, the stand-in java only says it ran
    stub("mvn", "echo mvn \"$@\" >> " + calls + "\nfind . -name '*.jar' -exec touch {} +");
    stub("java", "echo java \"$@\" >> " + calls);
    write("pom.xml", "<project/>");
    write("device-agent/pom.xml", "<project/>");
    write("device-agent/src/main/java/Agent.java", "class Agent {}");
    write("gateway-router/src/main/java/Router.java", "class Router {}");
    cliJar = write("device-agent/target/troupe-device-agent-" + VERSION + ".jar", "jar");
    Files.createDirectories(project.resolve("device-agent/target/lib"));
    try (var files = Files.walk(project)) {
      for (final Path file : files.toList()) {
        Files.setLastModifiedTime(file, FileTime.from(BUILT));
      }
    }
    Files.setLastModifiedTime(cliJar, FileTime.from(BUILT.plusSeconds(60)));
  }

  @Test
  void nothingChanged_runsTheJarWithoutBuilding() throws Exception {
    final Run run = troupe("call", "echo.demo");

    assertThat(run.err()).isEmpty();
    assertThat(run.calls()).containsExactly("java -jar " + cliJar + " call echo.demo");
  }

  @Test
  void aSourceNewerThanTheJar_rebuildsAndSaysSo() throws Exception {
    // given a pull that changed another module's source after the last build
    Files.setLastModifiedTime(
        project.resolve("gateway-router/src/main/java/Router.java"),
        FileTime.from(BUILT.plusSeconds(120)));

    final Run run = troupe("call", "echo.demo");

    assertThat(run.err()).contains("troupe: sources changed since the last build, rebuilding…");
    assertThat(run.calls()).hasSize(2);
    assertThat(run.calls().get(0)).startsWith("mvn ").contains("install");
    assertThat(run.calls().get(1)).isEqualTo("java -jar " + cliJar + " call echo.demo");
  }

  @Test
  void aPomNewerThanTheJar_rebuilds() throws Exception {
    Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(BUILT.plusSeconds(120)));

    assertThat(troupe("identity", "list").calls().get(0)).startsWith("mvn ");
  }

  @Test
  void afterARebuildThatLeftTheJarAsItWas_theNextRunDoesNotRebuild() throws Exception {
    // given a changed test source, which Maven builds without writing a new jar
    stub("mvn", "echo mvn \"$@\" >> " + calls);
    Files.setLastModifiedTime(
        project.resolve("device-agent/src/main/java/Agent.java"),
        FileTime.from(BUILT.plusSeconds(120)));
    troupe("call", "echo.demo");
    Files.delete(calls);

    final Run second = troupe("call", "echo.demo");

    assertThat(second.err()).isEmpty();
    assertThat(second.calls()).containsExactly("java -jar " + cliJar + " call echo.demo");
  }

  @Test
  void aMissingJar_buildsAsAFirstUse() throws Exception {
    Files.delete(cliJar);

    final Run run = troupe("call", "echo.demo");

    assertThat(run.err()).contains("troupe: building (first use)…");
    assertThat(run.calls().get(0)).startsWith("mvn ");
  }

  private record Run(String err, List<String> calls) {}

  private Run troupe(final String... args) throws Exception {
    final List<String> command =
        new java.util.ArrayList<>(List.of("bash", project.resolve("troupe").toString()));
    command.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    final Process process = pb.start();
    final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(err).isZero();
    return new Run(err, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
  }

  private void stub(final String name, final String body) throws IOException {
    final Path file = bin.resolve(name);
    Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }

  private Path write(final String relative, final String text) throws IOException {
    final Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
