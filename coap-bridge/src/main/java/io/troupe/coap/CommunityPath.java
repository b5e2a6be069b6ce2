package io.troupe.coap;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /c/…}: walks {@code {community}/svc/{service}/servers} to that list's {@link
 * ServersResource}; any other path below {@code /c} is not found.
 */
final class CommunityPath extends CoapResource {

  private final List<String> segments;
  private final ServerLists lists;

  CommunityPath(final ServerLists lists) {
    this("c", List.of(), lists);
  }

  private CommunityPath(final String name, final List<String> segments, final ServerLists lists) {
    super(name, false);
    this.segments = segments;
    this.lists = lists;
  }

  @Override
  public Resource getChild(final String name) {
    final List<String> next = new ArrayList<>(segments);
    next.add(name);
    final int depth = next.size();
    if (depth == 2 && !name.equals("svc")) {
      return null;
    }
    if (depth == 4) {
      return name.equals("servers") ? lists.resource(next.get(0), next.get(2)) : null;
    }
    return depth > 4 ? null : new CommunityPath(name, List.copyOf(next), lists);
  }
}
