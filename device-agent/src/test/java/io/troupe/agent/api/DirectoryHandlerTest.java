package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryHandlerTest {

  @TempDir Path tmp;
  private Path served;
  private DirectoryHandler handler;

  @BeforeEach
  void folder() throws IOException {
    served = Files.createDirectories(tmp.resolve("album"));
    Files.writeString(served.resolve("notes.txt"), "hello");
    Files.createDirectories(served.resolve("2026"));
    Files.write(
        served.resolve("2026").resolve("trip.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(tmp.resolve("secret.txt"), "not yours");
    handler = new DirectoryHandler(served);
  }

  private String text(final ServiceResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void get_existingFile_answersItsBytesAndContentType() {
    final ServiceResponse r = handler.serve("GET", "/notes.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("hello");
    assertThat(r.contentType()).isEqualTo("text/plain");
    assertThat(handler.serve("", "2026/trip.png").contentType()).isEqualTo("image/png");
  }

  @Test
  void get_folder_answersAListing() {
    assertThat(text(handler.serve("GET", "/"))).isEqualTo("2026/\nnotes.txt");
  }

  @Test
  void get_missing_is404() {
    assertThat(handler.serve("GET", "/nope.txt").status()).isEqualTo(404);
  }

  @Test
  void get_pathLeavingTheFolder_is403() throws IOException {
    assertThat(handler.serve("GET", "/../secret.txt").status()).isEqualTo(403);
    assertThat(handler.serve("GET", "2026/../../secret.txt").status()).isEqualTo(403);
    Files.createSymbolicLink(served.resolve("link.txt"), tmp.resolve("secret.txt"));
    final ServiceResponse viaLink = handler.serve("GET", "/link.txt");
    assertThat(viaLink.status()).isEqualTo(403);
    assertThat(text(viaLink)).doesNotContain("not yours");
  }

  @Test
  void otherMethods_are405() {
    assertThat(handler.serve("PUT", "/notes.txt").status()).isEqualTo(405);
  }

  @Test
  void notAFolder_isRefusedWhenBuilt() {
    assertThatThrownBy(() -> new DirectoryHandler(tmp.resolve("secret.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret.txt");
  }
}
