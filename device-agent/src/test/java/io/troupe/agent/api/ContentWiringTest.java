package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.Dependency;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the agent takes a synchronised service's content: the builder and its descriptor. */
class ContentWiringTest {

  @TempDir Path tmp;

  private TroupeAgentBuilder agent() {
    return TroupeAgent.builder().deviceId("dev1").password("pw").community("fam");
  }

  @Test
  void content_forAServiceNotServed_isRefusedWhenBuilt() throws IOException {
    final ContentStore store = ContentStore.folder(tmp);

    assertThatThrownBy(
            () -> agent().service("echo", ServiceHandler.echo()).content("album", store).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("album");
  }

  @Test
  void descriptor_ofASynchronisedService_isTheStoresItemsWithTheGivenDependenciesAndSettings()
      throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "hello");
    final ContentStore store = ContentStore.folder(tmp);
    final TroupeAgentBuilder settings =
        agent().service("album", new DirectoryHandler(store)).content("Album", store);
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try (SyncedContent content =
        new SyncedContent(
            settings,
            (a, i, p) -> CompletableFuture.failedFuture(new IOException("none")),
            executor,
            s -> CompletableFuture.completedFuture(null))) {
      final ServiceDescriptor given =
          ServiceDescriptor.newBuilder()
              .addDependencies(Dependency.newBuilder().setName("thumbnails"))
              .addSettings(Setting.newBuilder().setKey("share").setValue("family"))
              .setVersion(99)
              .build();

      content.start();
      final ServiceDescriptor d = content.descriptor("album", Optional.of(given)).orElseThrow();

      assertThat(d.getReplica()).isEqualTo(store.replica());
      assertThat(d.getItemsList()).extracting(i -> i.getName()).containsExactly("notes.txt");
      assertThat(d.getItems(0).getClockMap()).containsEntry(store.replica(), 1L);
      assertThat(d.getVersion()).isEqualTo(1);
      assertThat(d.getDependenciesList()).isEqualTo(given.getDependenciesList());
      assertThat(d.getSettingsList()).isEqualTo(given.getSettingsList());
      assertThat(content.descriptor("echo", Optional.of(given))).isEmpty();
    } finally {
      executor.shutdownNow();
    }
  }
}
