package io.troupe.bench;

import io.troupe.agent.api.ContentStore;
import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ShowTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Content synchronisation (R4) against rsync: a folder of {@code files} files of random content (10
 * KiB each on average) brought to a NEW secondary server, in one run, side by side with {@code
 * rsync -a} pushing the same folder to an {@code rsync --daemon} on loopback.
 *
 * <p>Troupe: an embedded gateway; a primary agent serves a copy of the folder ({@link
 * ContentStore#folder} and {@code TroupeAgentBuilder.content}); once the gateway's merged
 * descriptor lists every file, a secondary with an empty folder starts, and the clock runs from its
 * start until its folder holds the same files (same hashes). Bytes moved are the gateway's count of
 * sync fetch answer bytes ({@code io.troupe.gateway.sync.fetch.bytes}). rsync: a daemon module on
 * an empty folder; the client is timed from start to exit; bytes are its {@code --stats} total sent
 * plus received. Then both sides change ONE file (new content, one byte longer) and move it again.
 * Rounds alternate which side goes first (ABBA); the Troupe/rsync ratios are reported as median and
 * worst, never best. Every failure is printed.
 *
 * <p>Usage: {@code ./troupe bench sync [files] [rounds]} (defaults 1000 and 5).
 */
public final class SyncBenchmark {

  /** The mean file size: 1,000 files make 10 MiB. */
  static final long MEAN_FILE_BYTES = 10L * 1024 * 1024 / 1000;

  /** The gateway's counter of sync fetch answer bytes relayed. */
  static final String FETCH_BYTES = "io.troupe.gateway.sync.fetch.bytes";

  static final String COMMUNITY = "bench";

  /** The file both sides change after the first transfer. */
  static final String CHANGED = "d0/f0000.bin";

  private static final String PRIMARY = "bench-sync-primary";
  private static final String SECONDARY = "bench-sync-secondary";

  /** How long the full-size benchmark waits for a side to converge before it reports a failure. */
  static final Duration CONVERGE_WITHIN = Duration.ofSeconds(120);

  private SyncBenchmark() {}

  public static void main(final String[] args) throws Exception {
    run(
        args.length > 0 ? Integer.parseInt(args[0]) : 1_000,
        args.length > 1 ? Integer.parseInt(args[1]) : PairedRatios.DEFAULT_ROUNDS,
        CONVERGE_WITHIN);
  }

  /** One side's transfer: how long, how many bytes, or why it failed. */
  record Transfer(double millis, long bytes, String failure) {
    static Transfer failed(final String why) {
      return new Transfer(Double.NaN, -1, why);
    }

    boolean ok() {
      return failure == null;
    }
  }

  /** One paired round: the whole folder and then one changed file, on each side. */
  record Round(
      int round,
      boolean troupeFirst,
      Transfer troupe,
      Transfer rsync,
      Transfer troupeChange,
      Transfer rsyncChange) {
    List<String> failures() {
      final List<String> f = new ArrayList<>();
      for (final Transfer t : List.of(troupe, rsync, troupeChange, rsyncChange)) {
        if (!t.ok()) {
          f.add("round " + round + ": " + t.failure());
        }
      }
      // a side that failed on the whole folder fails its change with the same reason: say it once
      return f.stream().distinct().toList();
    }
  }

  /** Every round, the folder's size, and the changed file's new size. */
  record Outcome(List<Round> rounds, int files, long folderBytes, long changedBytes) {
    List<String> failures() {
      return rounds.stream().flatMap(r -> r.failures().stream()).toList();
    }
  }

  /**
   * Runs {@code rounds} paired rounds on a folder of {@code files} files, each Troupe wait bounded
   * by {@code within}; prints and returns them.
   */
  static Outcome run(final int files, final int rounds, final Duration within) throws Exception {
    final Path work =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "troupe-sync");
    try (EmbeddedGateway gateway =
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final Map<String, String> pw =
          BenchSupport.identities(
              gateway, port, Map.of(PRIMARY, IdentityRole.DEVICE, SECONDARY, IdentityRole.DEVICE));
      final Path source =
          SyncFolders.generate(work.resolve("source"), files, files * MEAN_FILE_BYTES, 15);
      final long folderBytes =
          SyncFolders.sizes(source).values().stream().mapToLong(Long::longValue).sum();
      final int changedBytes = (int) (Files.size(source.resolve(CHANGED)) + 1);
      System.out.printf(
          "Synchronising a folder of %d files, %d bytes, to a new secondary: Troupe (embedded"
              + " gateway, two agents) against rsync -a to an rsync --daemon, loopback, %d rounds in"
              + " ABBA order (Troupe first in odd rounds); then one file changed (%d bytes)%n",
          files, folderBytes, rounds, changedBytes);
      final List<Round> done = new ArrayList<>();
      try (TroupeConsumer admin =
          TroupeConsumer.builder()
              .port(port)
              .user("admin")
              .password(Files.readString(gateway.adminSecretFile()).trim())
              .build()) {
        admin.connect().get(10, TimeUnit.SECONDS);
        final Troupe troupe = new Troupe(gateway, admin, pw, changedBytes, within);
        for (int round = 1; round <= rounds; round++) {
          final Path dir = Files.createDirectories(work.resolve("round-" + round));
          final boolean troupeFirst = PairedRatios.otherFirst(round);
          Transfer[] t = null;
          Transfer[] r = null;
          for (final boolean isTroupe : new boolean[] {troupeFirst, !troupeFirst}) {
            if (isTroupe) {
              t = troupe.round(source, dir, "files" + round, round);
            } else {
              r = rsync(source, dir, changedBytes, round);
            }
          }
          final Round done1 = new Round(round, troupeFirst, t[0], r[0], t[1], r[1]);
          done1.failures().forEach(f -> System.out.println("FAILED " + f));
          done.add(done1);
        }
      }
      return report(new Outcome(done, files, folderBytes, changedBytes));
    } finally {
      delete(work);
    }
  }

  /** The rsync side: the whole folder to an empty module, then the one changed file. */
  private static Transfer[] rsync(
      final Path source, final Path dir, final int changedBytes, final int round) {
    try {
      final Path pushed = SyncFolders.copy(source, dir.resolve("rsync-source"));
      try (RsyncDaemon daemon = RsyncDaemon.start(Files.createDirectories(dir.resolve("rsyncd")))) {
        final Transfer whole = checked(daemon.push(pushed), daemon.module(), pushed);
        SyncFolders.change(pushed, CHANGED, changedBytes, round);
        final Transfer change = checked(daemon.push(pushed), daemon.module(), pushed);
        return new Transfer[] {whole, change};
      }
    } catch (final Exception e) {
      final Transfer failed = Transfer.failed("rsync: " + e);
      return new Transfer[] {failed, failed};
    }
  }

  private static Transfer checked(
      final RsyncDaemon.Transfer t, final Path module, final Path source) throws IOException {
    if (!SyncFolders.hashes(module).equals(SyncFolders.hashes(source))) {
      return Transfer.failed("rsync: the module does not hold the pushed folder");
    }
    return new Transfer(t.millis(), t.bytes(), null);
  }

  /** The Troupe side, on one gateway for all rounds. */
  private record Troupe(
      EmbeddedGateway gateway,
      TroupeConsumer admin,
      Map<String, String> pw,
      int changedBytes,
      Duration within) {

    Transfer[] round(final Path source, final Path dir, final String service, final int round) {
      try {
        final Path primaryDir = SyncFolders.copy(source, dir.resolve("primary"));
        final Path secondaryDir = Files.createDirectories(dir.resolve("secondary"));
        try (TroupeAgent primary = agent(PRIMARY, service, ContentStore.folder(primaryDir))) {
          primary.startBlocking();
          final int files = SyncFolders.sizes(source).size();
          Poll.until(
              "the gateway's merged descriptor of " + service + " lists " + files + " files",
              within,
              () -> mergedItems(service + "." + COMMUNITY) >= files);
          final long before = gateway.counter(FETCH_BYTES);
          final long start = System.nanoTime();
          final ContentStore secondaryStore = ContentStore.folder(secondaryDir);
          try (Arrivals arrivals = new Arrivals(secondaryStore);
              TroupeAgent secondary = agent(SECONDARY, service, secondaryStore)) {
            secondary.start();
            final Transfer whole = converge(primaryDir, secondaryDir, arrivals, start, before);
            SyncFolders.change(primaryDir, CHANGED, changedBytes, round);
            final Transfer change =
                converge(
                    primaryDir,
                    secondaryDir,
                    arrivals,
                    System.nanoTime(),
                    gateway.counter(FETCH_BYTES));
            return new Transfer[] {whole, change};
          }
        }
      } catch (final Exception e) {
        final Transfer failed = Transfer.failed("troupe: " + e);
        return new Transfer[] {failed, failed};
      }
    }

    private Transfer converge(
        final Path primaryDir,
        final Path secondaryDir,
        final Arrivals arrivals,
        final long start,
        final long bytesBefore)
        throws Exception {
      final Map<String, String> want = SyncFolders.hashes(primaryDir);
      final Map<String, Long> sizes = SyncFolders.sizes(primaryDir);
      try {
        Poll.until(
            "the secondary holds the primary's " + want.size() + " files",
            within,
            // the folder is walked only once the store's events say it is complete
            () -> arrivals.told(want) && SyncFolders.holds(secondaryDir, want, sizes));
      } catch (final java.util.concurrent.TimeoutException e) {
        final Map<String, String> held = SyncFolders.hashes(secondaryDir);
        final long same =
            want.entrySet().stream().filter(x -> x.getValue().equals(held.get(x.getKey()))).count();
        return Transfer.failed(
            "troupe: "
                + e.getMessage()
                + "; it holds "
                + same
                + " of them, and "
                + held.size()
                + " files");
      }
      return new Transfer(
          (System.nanoTime() - start) / 1e6, gateway.counter(FETCH_BYTES) - bytesBefore, null);
    }

    private TroupeAgent agent(final String device, final String service, final ContentStore store) {
      return TroupeAgent.builder()
          .port(gateway.port())
          .deviceId(device)
          .password(pw.get(device))
          .community(COMMUNITY)
          // the primary's join creates the (closed) community: the secondary must be let in
          .members(SECONDARY)
          // content() synchronises the store; the service itself is served from it
          .service(service, new DirectoryHandler(store))
          .content(service, store)
          .build();
    }

    private long mergedItems(final String address) {
      return admin
          .gatewayApi(
              GatewayRequest.newBuilder()
                  .setShowTable(ShowTable.newBuilder().setAddress(address))
                  .build())
          .join()
          .getTable()
          .getSync()
          .getItems();
    }
  }

  private static Outcome report(final Outcome o) {
    System.out.printf(
        "%5s %-6s %12s %12s %12s %12s | %10s %10s %10s %10s%n",
        "round",
        "first",
        "troupe ms",
        "rsync ms",
        "troupe B",
        "rsync B",
        "chg tr ms",
        "chg rs ms",
        "chg tr B",
        "chg rs B");
    for (final Round r : o.rounds()) {
      System.out.printf(
          "%5d %-6s %12.0f %12.0f %12d %12d | %10.0f %10.0f %10d %10d%n",
          r.round(),
          r.troupeFirst() ? "troupe" : "rsync",
          r.troupe().millis(),
          r.rsync().millis(),
          r.troupe().bytes(),
          r.rsync().bytes(),
          r.troupeChange().millis(),
          r.rsyncChange().millis(),
          r.troupeChange().bytes(),
          r.rsyncChange().bytes());
    }
    final List<String> failures = o.failures();
    System.out.println(
        failures.isEmpty()
            ? "every round converged on both sides (" + o.rounds().size() + " rounds)"
            : "FAILED: "
                + failures.size()
                + " transfers did not complete:\n  "
                + String.join("\n  ", failures));
    System.out.println(
        "bytes: Troupe's are the content its sync fetches relayed (the descriptors and control"
            + " messages around them are not counted); rsync's are its --stats total sent plus"
            + " received (its file list and checksums included)");
    System.out.println(
        "Troupe / rsync, paired by round (aim: time at most 2.0, bytes at most 1.1):");
    System.out.println("  whole folder: " + Ratios.of(o.rounds(), Round::troupe, Round::rsync));
    System.out.println(
        "  one file changed: "
            + Ratios.of(o.rounds(), Round::troupeChange, Round::rsyncChange)
            + String.format("; the file is %d bytes", o.changedBytes()));
    return o;
  }

  private static void delete(final Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
