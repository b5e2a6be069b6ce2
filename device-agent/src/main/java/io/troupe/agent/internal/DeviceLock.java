package io.troupe.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One agent process per device and gateway on a machine: an exclusive lock on a file named after
 * the gateway's host and port and the device id, in a folder all agents of the user share (the
 * system's temporary folder). Two agents with one device id would take the MQTT session from each
 * other endlessly; the second one stops at start instead. The file holds the pid of the agent that
 * holds it. The operating system releases the lock when the process ends, however it ends; the file
 * itself stays, empty of meaning.
 */
public final class DeviceLock implements AutoCloseable {

  /** The lock files this process holds. */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DeviceLock(final Path file, final FileChannel channel, final FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another agent holds the lock. */
  public static final class HeldException extends Exception {
    private static final long serialVersionUID = 1L;

    HeldException(final String message) {
      super(message);
    }
  }

  /** The lock file of {@code device} at {@code host:port}, in {@code folder}. */
  public static Path file(
      final Path folder, final String host, final int port, final String device) {
    final String safeHost = host.replaceAll("[^A-Za-z0-9.-]", "_");
    return folder.resolve("troupe-agent-" + safeHost + "-" + port + "-" + device + ".lock");
  }

  /** {@link #acquire(Path, String, int, String)} in the system's temporary folder. */
  public static DeviceLock acquire(final String host, final int port, final String device)
      throws HeldException, IOException {
    return acquire(Path.of(System.getProperty("java.io.tmpdir")), host, port, device);
  }

  /**
   * Takes the lock of {@code device} at {@code host:port}, or fails at once.
   *
   * @throws HeldException with one line naming the lock file and the holder's pid when known
   * @throws IOException when the lock file cannot be opened
   */
  public static DeviceLock acquire(
      final Path folder, final String host, final int port, final String device)
      throws HeldException, IOException {
    final Path file = file(folder, host, port, device).toAbsolutePath();
    // in this process, a second channel on the file must not even be opened: closing it would
    // drop the process's lock (POSIX locks belong to the process, not to the channel)
    if (!HELD_HERE.add(file)) {
      throw held(file, host, port, device);
    }
    final FileChannel channel;
    final FileLock lock;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      lock = tryLock(channel);
    } catch (final IOException | RuntimeException e) {
      HELD_HERE.remove(file);
      throw e;
    }
    if (lock == null) {
      HELD_HERE.remove(file);
      final HeldException held = held(file, host, port, device);
      channel.close();
      throw held;
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
    channel.force(false);
    return new DeviceLock(file, channel, lock);
  }

  private static FileLock tryLock(final FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (final OverlappingFileLockException e) {
      return null;
    }
  }

  private static HeldException held(
      final Path file, final String host, final int port, final String device) {
    return new HeldException(
        "another agent for device "
            + device
            + " at "
            + host
            + ":"
            + port
            + " is running"
            + holder(file).map(pid -> " (pid " + pid + ")").orElse("")
            + ", holding "
            + file
            + "; stop it, or serve every service from one agent (--service and --community"
            + " repeat)");
  }

  private static Optional<String> holder(final Path file) {
    try {
      final String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return pid.matches("\\d+") ? Optional.of(pid) : Optional.empty();
    } catch (final IOException e) {
      return Optional.empty();
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock. Idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (final IOException e) {
      // the process's end releases it anyway
    } finally {
      HELD_HERE.remove(file);
    }
  }
}
