package io.troupe.bench;

import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a content store was told it holds, from its change events: item name to SHA-256 in hex. The
 * sync benchmark waits on it instead of walking the secondary's folder every few milliseconds, a
 * walk of a thousand files that would take CPU from the agents it times (rsync's time is its
 * process's, which nothing polls); the folder is walked and hashed once, when the events say the
 * store is complete.
 */
final class Arrivals implements AutoCloseable {

  private final Map<String, String> held = new ConcurrentHashMap<>();
  private final AutoCloseable listening;

  Arrivals(final ContentStore store) {
    listening =
        store.onChange(
            change -> {
              if (change.kind() == ContentStore.ContentChange.Kind.DELETED) {
                held.remove(change.name());
              } else {
                held.put(change.name(), ContentNames.hex(change.item().getSha256()));
              }
            });
  }

  /** Whether the events so far say the store holds exactly {@code expected} (name to hex). */
  boolean told(final Map<String, String> expected) {
    return held.equals(expected);
  }

  @Override
  public void close() throws Exception {
    listening.close();
  }
}
