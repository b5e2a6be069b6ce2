package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./troupe bench sync} at a tiny size (20 files, 200 KiB), so that it does not break unseen:
 * both sides must converge in every round and the report must be printed. rsync is a real program:
 * CI installs it ({@code .ci/run}). The figures are not judged here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncBenchmarkTest {

  @Test
  void rsyncDaemon_pushesAFolder_andItsStatsCountTheBytes(@TempDir final Path dir)
      throws Exception {
    final Path source = SyncFolders.generate(dir.resolve("source"), 5, 50_000, 1);

    try (RsyncDaemon daemon = RsyncDaemon.start(Files.createDirectories(dir.resolve("d")))) {
      final RsyncDaemon.Transfer whole = daemon.push(source);
      SyncFolders.change(source, "d0/f0000.bin", 7_000, 2);
      final RsyncDaemon.Transfer change = daemon.push(source);

      assertThat(SyncFolders.hashes(daemon.module())).isEqualTo(SyncFolders.hashes(source));
      assertThat(whole.bytesSent()).isGreaterThanOrEqualTo(50_000);
      assertThat(whole.millis()).isPositive();
      // the changed file's 7,000 new random bytes, not the whole folder
      assertThat(change.bytesSent()).isBetween(7_000L, 20_000L);
    }
  }

  @Test
  void rsyncStats_readGroupedDigits() throws Exception {
    final String stats = "Total bytes sent: 10,523,117\nTotal bytes received: 19,093\n";

    assertThat(RsyncDaemon.bytesSent(stats)).isEqualTo(10_523_117);
    assertThat(RsyncDaemon.bytesReceived(stats)).isEqualTo(19_093);
  }

  @Test
  void folders_leaveTheStoreRecordOut_andCompareByContent(@TempDir final Path dir)
      throws Exception {
    final Path a = SyncFolders.generate(dir.resolve("a"), 3, 3_000, 7);
    final Path b = SyncFolders.copy(a, dir.resolve("b"));
    Files.createDirectories(b.resolve(".troupe/partial"));
    Files.writeString(b.resolve(".troupe/partial/x"), "half");

    final Map<String, String> want = SyncFolders.hashes(a);
    assertThat(want).hasSize(3);
    assertThat(SyncFolders.holds(b, want, SyncFolders.sizes(a))).isTrue();
    SyncFolders.change(b, "d1/f0001.bin", 10, 3);
    assertThat(SyncFolders.holds(b, want, SyncFolders.sizes(a))).isFalse();
  }

  @Test
  void sync_tiny_convergesOnBothSidesInAbbaRounds_andPrintsTheRatios() throws Exception {
    final Stdout.Printed<SyncBenchmark.Outcome> run =
        Stdout.capture(() -> SyncBenchmark.run(20, 2, java.time.Duration.ofSeconds(20)));

    assertThat(run.value().failures()).isEmpty();
    assertThat(run.value().rounds())
        .extracting(SyncBenchmark.Round::troupeFirst)
        .containsExactly(true, false);
    assertThat(run.value().folderBytes()).isEqualTo(20 * SyncBenchmark.MEAN_FILE_BYTES);
    // a change of one file moves that file, not the folder
    assertThat(run.value().rounds())
        .allSatisfy(
            r ->
                assertThat(r.troupeChange().bytes())
                    .isBetween(run.value().changedBytes(), 2L * run.value().changedBytes()));
    assertThat(run.text())
        .contains("every round converged on both sides (2 rounds)")
        .contains("whole folder: time median")
        .contains("one file changed: time median");
  }
}
