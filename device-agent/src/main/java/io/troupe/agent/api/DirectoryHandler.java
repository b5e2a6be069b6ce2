package io.troupe.agent.api;

import io.troupe.agent.internal.ContentTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;

/**
 * Serves the files of a folder by path: GET {@code /a/b.txt} answers that file with its content
 * type; a folder answers a newline-separated listing. 404 for a missing file, 403 for a path that
 * leaves the folder (through {@code ..} or a symbolic link), 405 for any method but GET.
 */
public final class DirectoryHandler implements ServiceHandler {

  private final Path root;

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
  }

  public @NotNull Path root() {
    return root;
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
    final Path asked = root.resolve(relative).normalize();
    if (!asked.startsWith(root)) {
      return ServiceResponse.error(403, "path leaves the served folder: " + path);
    }
    if (!Files.exists(asked, LinkOption.NOFOLLOW_LINKS) && !Files.exists(asked)) {
      return ServiceResponse.error(404, "no such file: " + path);
    }
    try {
      final Path real = asked.toRealPath();
      if (!real.startsWith(root)) {
        return ServiceResponse.error(403, "path leaves the served folder: " + path);
      }
      if (Files.isDirectory(real)) {
        try (Stream<Path> list = Files.list(real)) {
          final String listing =
              list.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
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
