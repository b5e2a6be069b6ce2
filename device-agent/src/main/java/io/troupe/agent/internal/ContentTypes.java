package io.troupe.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** A file's content type: the platform's guess, else by extension, else octet-stream. */
public final class ContentTypes {

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("txt", "text/plain"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("css", "text/css"),
          Map.entry("js", "text/javascript"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("csv", "text/csv"),
          Map.entry("md", "text/markdown"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mp3", "audio/mpeg"));

  private ContentTypes() {}

  public static String of(final Path file) {
    final String name = file.getFileName().toString();
    final int dot = name.lastIndexOf('.');
    final String known =
        dot < 0 ? null : BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (known != null) {
      return known;
    }
    try {
      final String probed = Files.probeContentType(file);
      return probed == null ? "application/octet-stream" : probed;
    } catch (final IOException e) {
      return "application/octet-stream";
    }
  }
}
