package io.troupe.coap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint requests to devices leave from, replaced by a fresh one (another port) before its
 * message IDs run out.
 *
 * <p>A message ID may not be used again towards the same peer within the exchange lifetime (247 s,
 * RFC 7252 §4.4): a device recognises a duplicate by the sender's address and message ID and would
 * answer it with the response it cached for the earlier request. Californium therefore hands out at
 * most about 57,000 of its 65,000 unicast IDs to one peer in that time and then fails every request
 * to that peer ("message IDs exhausted") for minutes; at a few hundred forwards a second to one
 * device that happened within a benchmark run. A new endpoint is a new sender to the device, with
 * message IDs of its own; the old one is destroyed once what it sent can no longer be answered.
 */
final class DeviceEndpoints {

  private static final Logger log = LoggerFactory.getLogger(DeviceEndpoints.class);

  private final Configuration configuration;
  private final InetAddress bind;
  private final long capacity;
  private final Duration retireAfter;
  private final ScheduledExecutorService main;
  private final ScheduledExecutorService timers;
  private final Set<Endpoint> retired = new HashSet<>();
  private volatile @Nullable Endpoint current;
  private long sent;

  /**
   * @param configuration the endpoints' (its message ID tracker is Californium's grouped one)
   * @param bind the interface the requests leave from (an ephemeral port of it)
   * @param retireAfter how long a replaced endpoint still receives responses
   * @param main the endpoints' protocol stage: the bridge's, so that a forward is sent and its
   *     response answered on the threads that already run the bridge's exchanges, not handed on to
   *     a thread of their own
   * @param timers the endpoints' timers, where a replaced endpoint's end is scheduled too
   */
  DeviceEndpoints(
      final Configuration configuration,
      final InetAddress bind,
      final Duration retireAfter,
      final ScheduledExecutorService main,
      final ScheduledExecutorService timers) {
    this.configuration = configuration;
    this.bind = bind;
    this.capacity = capacity(configuration);
    this.retireAfter = retireAfter;
    this.main = main;
    this.timers = timers;
  }

  /**
   * How many requests one endpoint can send to one peer within an exchange lifetime, whatever
   * message ID it starts from: Californium's grouped tracker gives out IDs of a group only while
   * the next group is free, so the group it started in and the one before it are never reached.
   */
  static long capacity(final Configuration c) {
    final int base = c.get(CoapConfig.MULTICAST_BASE_MID);
    final int range = base > 0 ? base : 1 << 16;
    final int groups = c.get(CoapConfig.MID_TRACKER_GROUPS);
    final int group = (range + groups - 1) / groups;
    return Math.max(1, range - 2L * group);
  }

  synchronized void start() throws IOException {
    if (current == null) {
      current = open();
      sent = 0;
    }
  }

  /** Destroys the current endpoint and the replaced ones still receiving. */
  synchronized void stop() {
    final Endpoint e = current;
    current = null;
    if (e != null) {
      e.destroy();
    }
    retired.forEach(Endpoint::destroy);
    retired.clear();
  }

  /** Where requests leave from now, while started. */
  Optional<InetSocketAddress> address() {
    final Endpoint e = current;
    return e == null ? Optional.empty() : Optional.of(e.getAddress());
  }

  /**
   * The endpoint to send one request from, a fresh one when the current one has sent as many as its
   * message IDs allow; empty when stopped.
   */
  synchronized Optional<Endpoint> next() {
    final Endpoint e = current;
    if (e == null) {
      return Optional.empty();
    }
    if (sent >= capacity) {
      replace(e);
    }
    sent++;
    return Optional.ofNullable(current);
  }

  private void replace(final Endpoint old) {
    final Endpoint fresh;
    try {
      fresh = open();
    } catch (final IOException | RuntimeException e) {
      // the old one goes on; its requests fail for want of message IDs until some come free
      log.warn("could not open a new endpoint for requests to CoAP devices [{}]", e.toString());
      return;
    }
    current = fresh;
    sent = 0;
    retired.add(old);
    timers.schedule(() -> retire(old), retireAfter.toMillis(), TimeUnit.MILLISECONDS);
    log.debug(
        "requests to CoAP devices leave from a new endpoint [from: {}, after: {}]",
        fresh.getAddress(),
        capacity);
  }

  private synchronized void retire(final Endpoint old) {
    if (retired.remove(old)) {
      old.destroy();
    }
  }

  private Endpoint open() throws IOException {
    final Endpoint e =
        new CoapEndpoint.Builder()
            .setInetSocketAddress(new InetSocketAddress(bind, 0))
            .setConfiguration(configuration)
            .build();
    e.setExecutors(main, timers); // not shut down by destroy(): they are the bridge's
    e.start();
    return e;
  }
}
