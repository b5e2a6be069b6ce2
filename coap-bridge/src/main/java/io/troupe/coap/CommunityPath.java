package io.troupe.coap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /c/…}: walks {@code {community}/svc/{service}/servers} to that list's {@link
 * ServersResource}, and {@code {community}/status/{device}} to the resource a device reports its
 * status to; any other path below {@code /c} is not found.
 */
final class CommunityPath extends CoapResource {

  private final List<String> segments;
  private final ServerLists lists;
  private final BiFunction<String, String, Resource> statuses;

  /**
   * @param statuses the status resource of a community and device
   */
  CommunityPath(final ServerLists lists, final BiFunction<String, String, Resource> statuses) {
    this("c", List.of(), lists, statuses);
  }

  private CommunityPath(
      final String name,
      final List<String> segments,
      final ServerLists lists,
      final BiFunction<String, String, Resource> statuses) {
    super(name, false);
    this.segments = segments;
    this.lists = lists;
    this.statuses = statuses;
  }

  @Override
  public Resource getChild(final String name) {
    final List<String> next = new ArrayList<>(segments);
    next.add(name);
    final int depth = next.size();
    if (depth == 2 && !name.equals("svc") && !name.equals("status")) {
      return null;
    }
    if (depth == 3 && next.get(1).equals("status")) {
      return statuses.apply(next.get(0), name);
    }
    if (depth == 4) {
      return name.equals("servers") ? lists.resource(next.get(0), next.get(2)) : null;
    }
    return depth > 4 ? null : new CommunityPath(name, List.copyOf(next), lists, statuses);
  }
}
