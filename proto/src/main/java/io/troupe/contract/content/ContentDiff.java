package io.troupe.contract.content;

import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server must do to reach the merged descriptor it was told of (R4): for each item whose
 * merged version dominates the server's own (or which it lacks), fetch the content, delete the
 * file, or only adopt the clock when it already holds the same content. Items where the server's
 * version is equal, newer or concurrent are left alone: the server publishes its descriptor, and
 * the gateway's merge decides.
 */
public final class ContentDiff {

  /** The steps, by item of the target descriptor. */
  public record Plan(List<Item> fetch, List<Item> delete, List<Item> adopt) {

    /** Items of the target the server does not hold in that version. */
    public int behind() {
      return fetch.size() + delete.size() + adopt.size();
    }

    /** Whether the server already holds the target. */
    public boolean inSync() {
      return behind() == 0;
    }
  }

  private ContentDiff() {}

  /** The steps that bring {@code local} to {@code target}. */
  public static Plan toReach(final ServiceDescriptor local, final ServiceDescriptor target) {
    final Map<String, Item> mine = new HashMap<>();
    local.getItemsList().forEach(i -> mine.put(i.getName(), i));
    final List<Item> fetch = new ArrayList<>();
    final List<Item> delete = new ArrayList<>();
    final List<Item> adopt = new ArrayList<>();
    for (final Item t : target.getItemsList()) {
      final Item l = mine.get(t.getName());
      if (l != null
          && VersionVector.compare(t.getClockMap(), l.getClockMap()) != VersionVector.Order.AFTER) {
        continue;
      }
      if (l != null && ItemMerge.sameContent(t, l)) {
        adopt.add(t);
      } else if (t.getDeleted()) {
        if (l == null || l.getDeleted()) {
          adopt.add(t);
        } else {
          delete.add(t);
        }
      } else {
        fetch.add(t);
      }
    }
    return new Plan(List.copyOf(fetch), List.copyOf(delete), List.copyOf(adopt));
  }
}
