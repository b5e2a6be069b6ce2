package io.troupe.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.agent.api.TroupeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BoundedPublisherTest {

  private record Sent(String message, CompletableFuture<Void> done) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final List<Runnable> retries = new ArrayList<>();

  private static String message(final int n) {
    return "t/" + n;
  }

  private List<String> sentTopics() {
    return sent.stream().map(s -> s.message()).toList();
  }

  @Test
  void publish_beyondTheLimit_waitsInOrderForAFreeSlot() {
    // given a limit of two
    final BoundedPublisher<String> publisher =
        new BoundedPublisher<>((m, done) -> sent.add(new Sent(m, done)), 2, retries::add);

    // when five are published
    final List<CompletableFuture<Void>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(publisher.publish(message(i)));
    }

    // then two go out, and each completion lets the next one go
    assertThat(sentTopics()).containsExactly("t/0", "t/1");
    assertThat(publisher.waiting()).isEqualTo(3);
    sent.get(0).done().complete(null);
    assertThat(sentTopics()).containsExactly("t/0", "t/1", "t/2");
    sent.get(1).done().completeExceptionally(new TroupeException(503, "lost"));
    sent.get(2).done().complete(null);
    assertThat(sentTopics()).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4");
    assertThat(results.get(0)).isCompleted();
    assertThat(results.get(1)).isCompletedExceptionally();
    assertThat(publisher.waiting()).isZero();
  }

  @Test
  void publish_transportFull_isRetriedLaterFirstInLine() {
    // given a transport that is full once
    final boolean[] full = {true};
    final BoundedPublisher<String> publisher =
        new BoundedPublisher<>(
            (m, done) -> {
              if (full[0]) {
                full[0] = false;
                return false;
              }
              sent.add(new Sent(m, done));
              return true;
            },
            1,
            retries::add);

    // when two are published
    final CompletableFuture<Void> first = publisher.publish(message(0));
    publisher.publish(message(1));

    // then nothing is dropped: the first goes out on the retry, before the second
    assertThat(first).isNotDone();
    assertThat(sent).isEmpty();
    assertThat(retries).hasSize(1);
    retries.get(0).run();
    assertThat(sentTopics()).containsExactly("t/0");
    sent.get(0).done().complete(null);
    assertThat(sentTopics()).containsExactly("t/0", "t/1");
  }

  @Test
  void limit_raised_sendsWhatWaits() {
    final BoundedPublisher<String> publisher =
        new BoundedPublisher<>((m, done) -> sent.add(new Sent(m, done)), 1, retries::add);
    publisher.publish(message(0));
    publisher.publish(message(1));
    publisher.publish(message(2));
    assertThat(sent).hasSize(1);

    publisher.limit(3);

    assertThat(sent).hasSize(3);
  }

  @Test
  void senderThrows_failsThatPublishAndFreesTheSlot() {
    final boolean[] broken = {true};
    final BoundedPublisher<String> publisher =
        new BoundedPublisher<>(
            (m, done) -> {
              if (broken[0]) {
                broken[0] = false;
                throw new IllegalStateException("socket gone");
              }
              sent.add(new Sent(m, done));
              return true;
            },
            1,
            retries::add);

    assertThat(publisher.publish(message(0))).isCompletedExceptionally();
    publisher.publish(message(1));
    assertThat(sentTopics()).containsExactly("t/1");
  }

  @Test
  void close_failsWhatWaitsAndWhatComesLater() {
    final BoundedPublisher<String> publisher =
        new BoundedPublisher<>((m, done) -> sent.add(new Sent(m, done)), 1, retries::add);
    publisher.publish(message(0));
    final CompletableFuture<Void> waiting = publisher.publish(message(1));

    publisher.close(new TroupeException(503, "the session was closed"));

    assertThatThrownBy(waiting::join)
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("closed");
    assertThat(publisher.publish(message(2))).isCompletedExceptionally();
  }
}
