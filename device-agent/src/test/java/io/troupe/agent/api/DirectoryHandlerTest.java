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
  void get_absolutePathOutside_is403() {
    assertThat(handler.serve("GET", "//etc/passwd").status()).isEqualTo(403);
    assertThat(handler.serve("GET", tmp.resolve("secret.txt").toString()).status()).isIn(403, 404);
  }

  @Test
  void get_symlinkedFolderOutside_is403_butALinkInsideIsServed() throws IOException {
    Files.createSymbolicLink(served.resolve("out"), tmp);
    assertThat(handler.serve("GET", "/out/secret.txt").status()).isEqualTo(403);
    assertThat(handler.serve("GET", "/out").status()).isEqualTo(403);
    Files.createSymbolicLink(served.resolve("same.txt"), served.resolve("notes.txt"));
    assertThat(text(handler.serve("GET", "/same.txt"))).isEqualTo("hello");
  }

  @Test
  void get_pathWithoutLeadingSlash_isRelativeToTheFolder() {
    assertThat(handler.serve("GET", "2026/trip.png").status()).isEqualTo(200);
    assertThat(text(handler.serve("GET", "2026"))).isEqualTo("trip.png");
  }

  @Test
  void handle_requestWithoutMethod_isAGet() {
    final ServiceRequest request =
        new ServiceRequest(
            "r-1",
            1,
            "album",
            "album.demo",
            "",
            "/notes.txt",
            new byte[0],
            "",
            "",
            "alice",
            java.util.Map.of(),
            java.time.Instant.MAX);
    final ServiceResponse r = handler.handle(request).join();
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("hello");
  }

  @Test
  void failures_sayWhyInTheReason() {
    assertThat(handler.serve("GET", "/nope.txt").properties())
        .containsEntry("reason", "no such file: /nope.txt");
  }

  @Test
  void descriptor_listsTheFilesButNotLinks() throws Exception {
    Files.createSymbolicLink(served.resolve("link.txt"), tmp.resolve("secret.txt"));
    final io.troupe.proto.v1.ServiceDescriptor d = handler.descriptor("album");
    assertThat(d.getService()).isEqualTo("album");
    assertThat(d.getItemsList())
        .extracting(i -> i.getName())
        .containsExactly("2026/trip.png", "notes.txt");
    assertThat(d.getItems(1).getSha256().toByteArray())
        .isEqualTo(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(d.getItems(1).getSize()).isEqualTo(5);
    assertThat(d.getItems(1).getContentType()).isEqualTo("text/plain");
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

  @Test
  void get_aContentStoresOwnFolder_isNeverServedNorListed() throws IOException {
    ContentStore.folder(served); // keeps its record in served/.troupe/

    assertThat(handler.serve("GET", "/.troupe/state.pb").status()).isEqualTo(404);
    assertThat(handler.serve("GET", "/2026/../.troupe/state.pb").status()).isEqualTo(404);
    assertThat(handler.serve("GET", "/.troupe").status()).isEqualTo(404);
    assertThat(text(handler.serve("GET", "/"))).isEqualTo("2026/\nnotes.txt");
  }

  @Test
  void fromStore_servesItsItemsAndListings() throws IOException {
    final DirectoryHandler fromStore = new DirectoryHandler(ContentStore.folder(served));

    assertThat(text(fromStore.serve("GET", "/notes.txt"))).isEqualTo("hello");
    assertThat(fromStore.serve("GET", "2026/trip.png").contentType()).isEqualTo("image/png");
    assertThat(text(fromStore.serve("GET", "/"))).isEqualTo("2026/\nnotes.txt");
    assertThat(text(fromStore.serve("GET", "/2026"))).isEqualTo("trip.png");
    assertThat(fromStore.serve("GET", "/nope.txt").status()).isEqualTo(404);
    assertThat(fromStore.serve("PUT", "/notes.txt").status()).isEqualTo(405);
  }

  @Test
  void fromStore_neverServesItsStateNorLeavesTheFolder() throws IOException {
    final DirectoryHandler fromStore = new DirectoryHandler(ContentStore.folder(served));

    assertThat(fromStore.serve("GET", "/.troupe/state.pb").status()).isEqualTo(404);
    assertThat(fromStore.serve("GET", "/.troupe/").status()).isEqualTo(404);
    assertThat(fromStore.serve("GET", "/../secret.txt").status()).isEqualTo(403);
    assertThat(fromStore.serve("GET", "2026/../../secret.txt").status()).isEqualTo(403);
    assertThat(fromStore.serve("GET", "./.troupe/state.pb").status()).isEqualTo(400);
    Files.createSymbolicLink(served.resolve("link.txt"), tmp.resolve("secret.txt"));
    assertThat(fromStore.serve("GET", "/link.txt").status()).isEqualTo(404);
  }

  @Test
  void fromStore_deletedItem_is404() throws IOException {
    final ContentStore store = ContentStore.folder(served);
    store.items();
    Files.delete(served.resolve("notes.txt"));

    assertThat(new DirectoryHandler(store).serve("GET", "/notes.txt").status()).isEqualTo(404);
  }
}
