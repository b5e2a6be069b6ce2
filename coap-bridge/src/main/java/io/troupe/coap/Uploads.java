package io.troupe.coap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The block-wise uploads (RFC 7959 Block1) the bridge is receiving, with their limits. A block is
 * kept as it arrived, so an upload holds what has arrived and no more: an announced size (Size1) is
 * only checked against the maximum, never allocated. The blocks are joined into one body when the
 * last arrives. Thread-safe; reads no clock of its own.
 */
final class Uploads {

  /** Which upload a block belongs to: who sends it, from where, to which URI. */
  record Key(String identity, InetAddress peer, int port, String uri) {
    Key {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(uri, "uri");
    }
  }

  /**
   * One block as received.
   *
   * @param num its number
   * @param size the block size (16 to 1024)
   * @param more whether more blocks follow
   * @param payload its bytes
   * @param announced the whole body's size the sender claims (Size1), or -1
   */
  record Block(int num, int size, boolean more, byte[] payload, long announced) {}

  /** What became of a block. */
  sealed interface Outcome {
    /** Kept; the sender may send the next block. */
    record Continue() implements Outcome {}

    /** The last block: here is the whole body. */
    record Complete(byte[] body) implements Outcome {}

    /** Refused; whatever the upload held is dropped. */
    record Refused(UploadRefusal why) implements Outcome {}
  }

  private static final Outcome CONTINUE = new Outcome.Continue();

  private final UploadLimits limits;
  private final int maxBody;
  private final LongSupplier nanoTime;
  private final UploadMetrics metrics;
  private final Map<Key, Upload> open = new HashMap<>();
  private long bytes;

  /**
   * @param maxBody the largest body an upload may carry
   * @param nanoTime the clock idle uploads are measured by
   */
  Uploads(
      final UploadLimits limits,
      final int maxBody,
      final LongSupplier nanoTime,
      final UploadMetrics metrics) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.maxBody = maxBody;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  int maxBody() {
    return maxBody;
  }

  UploadLimits limits() {
    return limits;
  }

  /** Takes {@code block} for the upload {@code key} names. */
  synchronized Outcome offer(final Key key, final Block block) {
    expire();
    final Outcome outcome = block.num() == 0 ? start(key, block) : next(key, open.get(key), block);
    if (outcome instanceof Outcome.Refused r) {
      metrics.refused(r.why());
    }
    return outcome;
  }

  /** Drops the uploads that waited too long for their next block. */
  synchronized void expire() {
    final long now = nanoTime.getAsLong();
    final long idle = limits.idleTimeout().toNanos();
    for (final Iterator<Upload> i = open.values().iterator(); i.hasNext(); ) {
      final Upload u = i.next();
      if (now - u.lastBlock >= idle) {
        i.remove();
        bytes -= u.received;
        metrics.refused(UploadRefusal.IDLE);
      }
    }
  }

  /** Open uploads now. */
  synchronized int open() {
    return open.size();
  }

  /** Bytes the open uploads hold now. */
  synchronized long bytes() {
    return bytes;
  }

  private Outcome start(final Key key, final Block block) {
    drop(key); // a first block again starts the upload afresh
    if (block.announced() > maxBody || block.payload().length > maxBody) {
      return refused(UploadRefusal.TOO_LARGE);
    }
    if (!block.more()) {
      return new Outcome.Complete(block.payload());
    }
    if (block.payload().length != block.size()) {
      return refused(UploadRefusal.INCOMPLETE); // every block but the last is full
    }
    final UploadRefusal busy = busy(key, block.payload().length);
    if (busy != null) {
      return refused(busy);
    }
    final Upload u = new Upload();
    open.put(key, u);
    u.add(block);
    bytes += block.payload().length;
    return CONTINUE;
  }

  private Outcome next(final Key key, final Upload u, final Block block) {
    if (u == null) {
      return refused(UploadRefusal.INCOMPLETE);
    }
    final long offset = (long) block.num() * block.size();
    if (offset + block.payload().length == u.received && u.lastSize == block.payload().length) {
      u.lastBlock = nanoTime.getAsLong(); // the last block again: its answer was lost
      return CONTINUE;
    }
    if (offset != u.received || block.more() && block.payload().length != block.size()) {
      drop(key);
      return refused(UploadRefusal.INCOMPLETE);
    }
    if (u.received + block.payload().length > maxBody || block.announced() > maxBody) {
      drop(key);
      return refused(UploadRefusal.TOO_LARGE);
    }
    if (bytes + block.payload().length > limits.totalBytes()) {
      drop(key);
      return refused(UploadRefusal.GATEWAY_BUSY);
    }
    u.add(block);
    bytes += block.payload().length;
    if (block.more()) {
      return CONTINUE;
    }
    drop(key);
    return new Outcome.Complete(u.body());
  }

  /** Which limit a new upload of {@code key} would pass, or null when it may start. */
  private UploadRefusal busy(final Key key, final int firstBlock) {
    if (open.size() >= limits.total() || bytes + firstBlock > limits.totalBytes()) {
      return UploadRefusal.GATEWAY_BUSY;
    }
    int identity = 0;
    int peer = 0;
    for (final Key k : open.keySet()) {
      identity += k.identity().equals(key.identity()) ? 1 : 0;
      peer += k.peer().equals(key.peer()) ? 1 : 0;
    }
    if (identity >= limits.perIdentity()) {
      return UploadRefusal.IDENTITY_BUSY;
    }
    return peer >= limits.perPeer() ? UploadRefusal.PEER_BUSY : null;
  }

  private void drop(final Key key) {
    final Upload u = open.remove(key);
    if (u != null) {
      bytes -= u.received;
    }
  }

  private static Outcome refused(final UploadRefusal why) {
    return new Outcome.Refused(why);
  }

  /** The blocks of one upload so far, each as it arrived. */
  private final class Upload {
    private final List<byte[]> blocks = new ArrayList<>();
    private long received;
    private int lastSize;
    private long lastBlock;

    void add(final Block block) {
      blocks.add(block.payload());
      received += block.payload().length;
      lastSize = block.payload().length;
      lastBlock = nanoTime.getAsLong();
    }

    byte[] body() {
      final byte[] body = new byte[Math.toIntExact(received)];
      int at = 0;
      for (final byte[] b : blocks) {
        System.arraycopy(b, 0, body, at, b.length);
        at += b.length;
      }
      return body;
    }
  }
}
