package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.DistributionList;
import io.troupe.router.Directive;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RetainedTopicsTest {

  private static final Topics TOPICS = Topics.withRoot("troupe");
  private static final String TOPIC = TOPICS.servers("demo", "echo");
  private final List<String> reads = new ArrayList<>();

  private RetainedTopics lists(final Optional<byte[]> retained) {
    return new RetainedTopics(
        TOPICS,
        topic -> {
          reads.add(topic);
          return CompletableFuture.completedFuture(retained);
        });
  }

  @Test
  void current_unseenList_isReadFromTheRetainedStore() {
    final RetainedTopics lists = lists(Optional.of(new byte[] {1, 2}));
    assertThat(lists.current(TOPIC).map(Representation::payload)).contains(new byte[] {1, 2});
    assertThat(reads).containsExactly(TOPIC);
  }

  @Test
  void current_afterAPublish_isThePublishedListWithoutARead() {
    final RetainedTopics lists = lists(Optional.empty());
    final DistributionList list = DistributionList.newBuilder().setAddress("echo.demo").build();
    lists.onDirective(new Directive.PublishServers(TOPIC, list));
    assertThat(lists.current(TOPIC).map(Representation::payload)).contains(list.toByteArray());
    assertThat(reads).isEmpty();
  }

  @Test
  void current_storeFails_throwsIllegalState() {
    final RetainedTopics lists =
        new RetainedTopics(
            TOPICS, topic -> CompletableFuture.failedFuture(new RuntimeException("x")));
    assertThatThrownBy(() -> lists.current(TOPIC)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void current_afterAStatusRetained_isThatStatus_untilCleared() {
    final RetainedTopics lists = lists(Optional.empty());
    final String status = TOPICS.status("demo", "dev1");
    lists.onRetained(status, new byte[] {9});
    assertThat(lists.current(status).map(Representation::payload)).contains(new byte[] {9});
    lists.onDirective(new Directive.ClearRetained("troupe/c/demo/#"));
    assertThat(lists.current(status)).isEmpty();
    assertThat(reads).isEmpty();
  }

  @Test
  void resources_askedForByAnyone_areBounded() {
    final RetainedTopics lists =
        new RetainedTopics(
            TOPICS, topic -> CompletableFuture.completedFuture(Optional.empty()), 50);
    lists.resourcesFrom(
        (community, name, topic, kind) ->
            new RetainedResource(name, topic, kind, null, null, lists, null, null));
    for (int i = 0; i < 1_000; i++) {
      assertThat(lists.status("c" + i, "dev" + i)).isNotNull();
    }
    assertThat(lists.size()).isBetween(1, 50);
    // and a resource asked for again is the one kept
    assertThat(lists.status("c999", "dev999")).isSameAs(lists.status("c999", "dev999"));
  }

  @Test
  void resource_badNames_isNone() {
    final RetainedTopics lists = lists(Optional.empty());
    assertThat(lists.servers("bad/name", "echo")).isNull();
  }

  @Test
  void json_manyReadersOfOneVersion_encodedOnce_andAgainForTheNext() throws Exception {
    // given
    final RetainedTopics lists = lists(Optional.empty());
    final java.util.concurrent.atomic.AtomicInteger encodings =
        new java.util.concurrent.atomic.AtomicInteger();
    lists.reportEncodingsTo(encodings::incrementAndGet);
    final String status = TOPICS.status("demo", "dev1");
    lists.onRetained(
        status,
        io.troupe.proto.v1.StatusMessage.newBuilder().setDeviceId("dev1").build().toByteArray());
    // when 100 observers are notified of it
    for (int i = 0; i < 100; i++) {
      assertThat(new String(lists.current(status).get().json(RetainedResource.Kind.STATUS)))
          .isEqualTo("{\"deviceId\":\"dev1\"}");
    }
    // then
    assertThat(encodings).hasValue(1);
    lists.onRetained(
        status,
        io.troupe.proto.v1.StatusMessage.newBuilder().setDeviceId("dev2").build().toByteArray());
    lists.current(status).get().json(RetainedResource.Kind.STATUS);
    lists.current(status).get().json(RetainedResource.Kind.STATUS);
    assertThat(encodings).hasValue(2);
  }
}
