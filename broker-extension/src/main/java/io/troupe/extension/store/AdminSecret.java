package io.troupe.extension.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The file that holds the generated admin password, readable by its owner only. */
public final class AdminSecret {

  public static final String FILE_NAME = "admin.secret";

  private AdminSecret() {}

  /** Writes {@code password} to {@code data/admin.secret} and returns the file. */
  public static Path write(final Path data, final String password) throws IOException {
    final Path file = data.resolve(FILE_NAME);
    final Path temporary = data.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(temporary);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(temporary);
    }
    Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
