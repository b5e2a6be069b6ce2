package io.troupe.agent.api;

import io.troupe.agent.internal.ContentTypes;
import io.troupe.agent.internal.content.ItemNames;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** How a {@link DirectoryHandler} answers from a {@link ContentStore}: items by name, listings. */
final class StoreFiles {

  private StoreFiles() {}

  /** Whether {@code relative} names the content store's own folder or something in it. */
  static boolean isState(final String relative) {
    final String first = relative.split("/", 2)[0];
    return first.equals(ItemNames.STATE);
  }

  static ServiceResponse serve(final ContentStore store, final String relative, final String path) {
    if (("/" + relative + "/").contains("/../")) {
      return ServiceResponse.error(403, "path leaves the served folder: " + path);
    }
    if (isState(relative)) {
      return ServiceResponse.error(404, "no such file: " + path);
    }
    final String folder = relative.endsWith("/") ? relative : relative + "/";
    try {
      if (!relative.isEmpty() && !relative.endsWith("/")) {
        if (!ItemNames.valid(relative)) {
          return ServiceResponse.error(400, "not a path: " + path);
        }
        final Optional<InputStream> in = store.open(relative);
        if (in.isPresent()) {
          try (InputStream s = in.get()) {
            return new ServiceResponse(
                200, s.readAllBytes(), ContentTypes.of(Path.of(relative)), Map.of());
          }
        }
      }
      return listing(store, folder.equals("/") ? "" : folder)
          .orElseGet(() -> ServiceResponse.error(404, "no such file: " + path));
    } catch (final java.nio.file.NoSuchFileException e) {
      return ServiceResponse.error(404, "no such file: " + path);
    } catch (final IOException e) {
      return ServiceResponse.error(500, "cannot read " + path + ": " + e.getMessage());
    }
  }

  /** The entries under {@code prefix} ("" or "a/b/"), sub-folders ending in '/'; empty if none. */
  private static Optional<ServiceResponse> listing(final ContentStore store, final String prefix)
      throws IOException {
    final TreeSet<String> entries = new TreeSet<>();
    for (final Item i : store.items()) {
      if (!i.getDeleted() && i.getName().startsWith(prefix)) {
        final String rest = i.getName().substring(prefix.length());
        final int slash = rest.indexOf('/');
        entries.add(slash < 0 ? rest : rest.substring(0, slash + 1));
      }
    }
    if (entries.isEmpty() && !prefix.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ServiceResponse(
            200,
            String.join("\n", entries).getBytes(StandardCharsets.UTF_8),
            "text/plain; charset=utf-8",
            Map.of()));
  }
}
