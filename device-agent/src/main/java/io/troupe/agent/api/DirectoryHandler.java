package io.troupe.agent.api;

import io.troupe.agent.internal.ContentTypes;
import io.troupe.agent.internal.Descriptors;
import io.troupe.agent.internal.content.ItemNames;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;

/**
 * Serves the files of a folder, or the items of a {@link ContentStore}, by path: GET {@code
 * /a/b.txt} (or {@code a/b.txt}) answers that file, relative to the folder, with its content type;
 * a folder answers a newline-separated listing of its entries, sub-folders ending in '/'. A request
 * without a method counts as GET. A content store's own {@code .troupe/} folder is never served nor
 * listed. Failures are answers with a {@code reason}: 404 for a missing file, 403 for a path that
 * leaves the folder (through {@code ..}, an absolute path or a symbolic link), 405 for any method
 * but GET, 400 for a path the file system cannot name, 500 when a file cannot be read.
 */
public final class DirectoryHandler implements ServiceHandler {

  private final Path root;
  private final ContentStore store;

  /**
   * Serves the items {@code store} holds (what is synchronised, R4): the version it holds now, as
   * it is installed, never its own state.
   */
  public DirectoryHandler(final @NotNull ContentStore store) {
    this.store = java.util.Objects.requireNonNull(store, "store");
    this.root = null;
  }

  /**
   * @throws IllegalArgumentException if {@code folder} is not a readable folder
   */
  public DirectoryHandler(final @NotNull Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("not a folder: " + folder);
    }
    try {
      this.root = folder.toRealPath();
    } catch (final IOException e) {
      throw new IllegalArgumentException("cannot read folder " + folder + ": " + e.getMessage(), e);
    }
    this.store = null;
  }

  /**
   * The served folder, as a real path.
   *
   * @throws IllegalStateException when this handler serves a content store
   */
  public @NotNull Path root() {
    if (root == null) {
      throw new IllegalStateException("this handler serves a content store, not a folder");
    }
    return root;
  }

  /**
   * The descriptor of the folder's content for {@code service}: every regular file with its path
   * ('/'-separated, relative to the folder), size, SHA-256 and content type; the version grows with
   * the newest modification time. Symbolic links are left out.
   *
   * @throws IOException if the folder or a file in it cannot be read
   */
  public @NotNull ServiceDescriptor descriptor(final @NotNull String service) throws IOException {
    if (store != null) {
      return ServiceDescriptor.newBuilder()
          .setService(service)
          .setReplica(store.replica())
          .addAllItems(store.items())
          .setVersion(io.troupe.contract.content.DescriptorMerge.version(store.items()))
          .build();
    }
    return Descriptors.ofFolder(service, root);
  }

  @Override
  public @NotNull CompletableFuture<ServiceResponse> handle(final @NotNull ServiceRequest request) {
    return CompletableFuture.completedFuture(serve(request.method(), request.path()));
  }

  ServiceResponse serve(final String method, final String path) {
    if (!method.isEmpty() && !method.equalsIgnoreCase("GET")) {
      return ServiceResponse.error(405, "only GET is served, not " + method);
    }
    final String relative = path.startsWith("/") ? path.substring(1) : path;
    if (store != null) {
      return StoreFiles.serve(store, relative, path);
    }
    final Path asked;
    try {
      asked = root.resolve(relative).normalize();
    } catch (final InvalidPathException e) {
      return ServiceResponse.error(400, "not a path: " + path);
    }
    if (!asked.startsWith(root)) {
      return ServiceResponse.error(403, "path leaves the served folder: " + path);
    }
    if (asked.startsWith(root.resolve(ItemNames.STATE))) {
      return ServiceResponse.error(404, "no such file: " + path); // a content store's own
    }
    if (!Files.exists(asked, LinkOption.NOFOLLOW_LINKS) && !Files.exists(asked)) {
      return ServiceResponse.error(404, "no such file: " + path);
    }
    try {
      final Path real = asked.toRealPath();
      if (!real.startsWith(root)) {
        return ServiceResponse.error(403, "path leaves the served folder: " + path);
      }
      if (real.startsWith(root.resolve(ItemNames.STATE))) {
        return ServiceResponse.error(404, "no such file: " + path);
      }
      if (Files.isDirectory(real)) {
        try (Stream<Path> list = Files.list(real)) {
          final String listing =
              list.filter(p -> !p.equals(root.resolve(ItemNames.STATE)))
                  .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                  .sorted()
                  .collect(Collectors.joining("\n"));
          return new ServiceResponse(
              200, listing.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", Map.of());
        }
      }
      return new ServiceResponse(200, Files.readAllBytes(real), ContentTypes.of(real), Map.of());
    } catch (final java.nio.file.NoSuchFileException e) {
      return ServiceResponse.error(404, "no such file: " + path);
    } catch (final IOException e) {
      return ServiceResponse.error(500, "cannot read " + path + ": " + e.getMessage());
    }
  }
}
