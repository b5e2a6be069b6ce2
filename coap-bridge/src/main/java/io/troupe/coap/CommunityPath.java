package io.troupe.coap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /c/…}: walks {@code {community}/svc/{service}/servers} and {@code
 * {community}/status/{device}} to their {@link RetainedResource}; any other path below {@code /c}
 * is not found. Community and service names are taken in any case ({@code /c/ABC/svc/Echo/servers}
 * is {@code /c/abc/svc/echo/servers}); device identities are taken as they are.
 */
final class CommunityPath extends CoapResource {

  private final List<String> segments;
  private final RetainedTopics lists;

  CommunityPath(final RetainedTopics lists) {
    this("c", List.of(), lists);
  }

  private CommunityPath(
      final String name, final List<String> segments, final RetainedTopics lists) {
    super(name, false);
    this.segments = segments;
    this.lists = lists;
  }

  @Override
  public Resource getChild(final String name) {
    final List<String> next = new ArrayList<>(segments);
    final int depth = next.size() + 1;
    final boolean named = depth == 1 || (depth == 3 && next.get(1).equals("svc"));
    // community and service names are case-insensitive: the router keeps them in lower case
    next.add(named ? name.toLowerCase(Locale.ROOT) : name);
    if (depth == 2 && !name.equals("svc") && !name.equals("status")) {
      return null;
    }
    if (depth == 3 && next.get(1).equals("status")) {
      return lists.status(next.get(0), name);
    }
    if (depth == 4) {
      return name.equals("servers") ? lists.servers(next.get(0), next.get(2)) : null;
    }
    // a segment with '/' names nothing here (and Californium refuses it as a resource name)
    return depth > 4 || name.contains("/")
        ? null
        : new CommunityPath(name, List.copyOf(next), lists);
  }
}
