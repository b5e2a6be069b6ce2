package io.troupe.extension.store;

import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.GatewayRouter;
import io.troupe.router.StateStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the access policies' usage counters (R12) that changed, about once a second, outside the
 * router's lock and never once per request: a crash, kill -9 included, loses at most the last
 * second's usage. Counters that could not be saved are handed back to the router and saved with the
 * next batch.
 */
public final class UsageSaver {

  private static final Logger log = LoggerFactory.getLogger(UsageSaver.class);

  private final GatewayRouter router;
  private final StateStore store;

  public UsageSaver(final GatewayRouter router, final StateStore store) {
    this.router = router;
    this.store = store;
  }

  /** Saves what changed since the last call; never throws, so its schedule keeps running. */
  public void save() {
    final List<UsageRecord> changed;
    try {
      changed = router.changedUsage();
    } catch (final RuntimeException e) {
      log.error("could not read the usage counters", e);
      return;
    }
    if (changed.isEmpty()) {
      return;
    }
    try {
      store.saveUsage(changed);
    } catch (final RuntimeException e) {
      log.warn(
          "could not save usage counters; retrying with the next batch [count: {}]",
          changed.size(),
          e);
      router.usageNotSaved(changed);
    }
  }
}
