package io.troupe.agent.internal.content;

import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.DescriptorMerge;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of an agent whose content is synchronised (R3, R4): the agent's side of the scheme in
 * docs/sync.md. It publishes the descriptor of what the store holds (items with their clocks, and
 * the store's replica): at start, about {@code debounce} after every local change (the store is
 * looked at every {@code poll}, which counts edits made by hand), and every {@code interval}
 * whatever happened. Told a merged descriptor by the gateway, it brings the store to it ({@link
 * Reach}, one reach at a time; a directive that arrives meanwhile is kept, the newest only, and
 * reached next), then publishes what it holds, so that the gateway sees it in step; each conflict
 * the merged descriptor reports is logged once, at WARN.
 *
 * <p>Everything but {@link #descriptor()} runs on {@code executor}, a single thread of the agent's
 * own; publishing never fails (a descriptor that could not be published is logged, and the next one
 * carries it), so a store on a device that is offline keeps counting its changes and publishes them
 * when it is back (a passive server, R17, included).
 */
public final class SyncedService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SyncedService.class);

  /** Timings of a synchronised service. */
  public record Timing(Duration poll, Duration debounce, Duration interval) {

    /** Looks every second, publishes 200 ms after a change and every {@code interval}. */
    public static Timing every(final Duration interval) {
      return new Timing(Duration.ofSeconds(1), Duration.ofMillis(200), interval);
    }
  }

  private record Directive(String address, ServiceDescriptor newest) {}

  private final String service;
  private final ContentStore store;
  private final ItemSource source;
  private final Function<ServiceDescriptor, CompletableFuture<Void>> publisher;
  private final ScheduledExecutorService executor;
  private final Timing timing;
  private final LongSupplier clock;
  private final AtomicBoolean publishing = new AtomicBoolean();
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Set<String> conflictsSeen = new HashSet<>();
  private volatile ServiceDescriptor latest;
  private volatile AutoCloseable listening;
  private boolean reaching;
  private Directive next;

  /**
   * @param publisher publishes a descriptor of the service as this device's (retained)
   */
  public SyncedService(
      final String service,
      final ContentStore store,
      final ItemSource source,
      final Function<ServiceDescriptor, CompletableFuture<Void>> publisher,
      final ScheduledExecutorService executor,
      final Timing timing,
      final LongSupplier clock) {
    this.service = service;
    this.store = store;
    this.source = source;
    this.publisher = publisher;
    this.executor = executor;
    this.timing = timing;
    this.clock = clock;
  }

  /**
   * Counts what the store holds now (in the caller: a store that cannot be read fails the agent's
   * start with the reason), then starts looking and publishing.
   *
   * @throws IOException when the store cannot list its items
   */
  public void start() throws IOException {
    latest = describe(store.items());
    // changes installed from other members are published once their reach is over: publishing
    // while it runs would make the store describe itself again after every burst of installs
    listening =
        store.onChange(
            change -> {
              if (change.local()) {
                changed();
              }
            });
    synchronized (tasks) {
      final long poll = timing.poll().toMillis();
      final long interval = timing.interval().toMillis();
      tasks.add(executor.scheduleWithFixedDelay(this::look, poll, poll, TimeUnit.MILLISECONDS));
      tasks.add(
          executor.scheduleAtFixedRate(this::publish, interval, interval, TimeUnit.MILLISECONDS));
    }
  }

  /** The descriptor of what the store held when it was last counted: items and replica. */
  public ServiceDescriptor descriptor() {
    return latest;
  }

  /** The gateway told this service's servers to reach {@code newest} (a sync directive). */
  public void sync(final String address, final ServiceDescriptor newest) {
    run(() -> reach(new Directive(address, newest)));
  }

  private void reach(final Directive directive) {
    warnConflicts(directive);
    synchronized (this) {
      if (reaching) {
        next = directive; // the newest wins: an older one would only be reached to be left
        return;
      }
      reaching = true;
    }
    final long begun = System.nanoTime();
    Reach.reach(store, source, directive.address(), directive.newest())
        .whenComplete(
            (outcome, error) ->
                run(
                    () -> {
                      if (error != null) {
                        log.warn(
                            "could not synchronise {}: {}",
                            directive.address(),
                            error.getMessage());
                      } else if (!outcome.plan().inSync()) {
                        log.info(
                            "synchronised {} to version {} in {} ms [fetched: {}, deleted: {},"
                                + " adopted: {}, failed: {}]",
                            directive.address(),
                            directive.newest().getVersion(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun),
                            outcome.plan().fetch().size(),
                            outcome.plan().delete().size(),
                            outcome.plan().adopt().size(),
                            outcome.failed());
                      }
                      // publish what changed; a reach that changed nothing (its fetches failed)
                      // publishes nothing, or the gateway would tell it again at once: the
                      // periodic publication and the gateway's schedule try it again later
                      publishIfChanged();
                      final Directive waiting;
                      synchronized (this) {
                        reaching = false;
                        waiting = next;
                        next = null;
                      }
                      if (waiting != null) {
                        reach(waiting);
                      }
                    }));
  }

  private void warnConflicts(final Directive directive) {
    final Set<String> now = new HashSet<>();
    for (final Conflict c : directive.newest().getConflictsList()) {
      final String key =
          c.getItem()
              + "|"
              + c.getKeptAs()
              + "|"
              + c.getAtMs()
              + "|"
              + ContentNames.hex(c.getLoserSha256());
      now.add(key);
      if (conflictsSeen.add(key)) {
        log.warn(
            "conflict on {} of {}: two servers changed it at once; {}{} [winner replica: {}, loser"
                + " replica: {}]",
            c.getItem(),
            directive.address(),
            c.getRule(),
            c.getKeptAs().isEmpty() ? "" : ", the other version kept as " + c.getKeptAs(),
            c.getWinnerReplica(),
            c.getLoserReplica());
      }
    }
    // the gateway keeps the newest few: one it dropped is not told again
    conflictsSeen.retainAll(now);
  }

  /** Looks at the store: the changes it counts are published shortly, through {@link #changed}. */
  private void look() {
    try {
      store.items();
    } catch (final IOException | RuntimeException e) {
      log.warn("cannot look at the content of {}: {}", service, e.getMessage());
    }
  }

  /** A change: publish once the burst it may belong to is over. */
  private void changed() {
    if (publishing.compareAndSet(false, true)) {
      schedule(
          () -> {
            publishing.set(false);
            publish();
          },
          timing.debounce());
    }
  }

  private void publishIfChanged() {
    final ServiceDescriptor before = latest;
    try {
      if (before != null && describe(store.items()).getItemsList().equals(before.getItemsList())) {
        return;
      }
    } catch (final IOException | RuntimeException e) {
      log.warn("cannot describe the content of {}: {}", service, e.getMessage());
      return;
    }
    publish();
  }

  private void publish() {
    final ServiceDescriptor now;
    try {
      now = describe(store.items());
    } catch (final IOException | RuntimeException e) {
      log.warn("cannot describe the content of {}: {}", service, e.getMessage());
      return;
    }
    latest = now;
    try {
      publisher
          .apply(now)
          .exceptionally(
              e -> {
                log.debug("descriptor of {} not published: {}", service, e.toString());
                return null;
              });
    } catch (final RuntimeException e) {
      log.debug("descriptor of {} not published: {}", service, e.toString());
    }
  }

  private ServiceDescriptor describe(final List<Item> items) {
    return ServiceDescriptor.newBuilder()
        .setService(service)
        .setReplica(store.replica())
        .addAllItems(items)
        .setVersion(DescriptorMerge.version(items))
        .setUpdatedAtMs(clock.getAsLong())
        .build();
  }

  private void run(final Runnable task) {
    try {
      executor.execute(task);
    } catch (final RejectedExecutionException e) {
      log.debug("closed: {} left undone", service);
    }
  }

  private void schedule(final Runnable task, final Duration delay) {
    try {
      executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final RejectedExecutionException e) {
      log.debug("closed: {} left undone", service);
    }
  }

  /** Stops looking and publishing; a reach under way finishes its fetches unpublished. */
  @Override
  public void close() {
    synchronized (tasks) {
      tasks.forEach(t -> t.cancel(false));
      tasks.clear();
    }
    final AutoCloseable l = listening;
    if (l != null) {
      try {
        l.close();
      } catch (final Exception e) {
        log.debug("content listener not removed", e);
      }
    }
  }
}
