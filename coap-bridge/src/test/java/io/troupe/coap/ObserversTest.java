package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObserversTest {

  private static final InetAddress A = InetAddress.getLoopbackAddress();
  private static final InetAddress B = address(10, 0, 0, 2);
  private final List<Observers.Limit> refused = new ArrayList<>();
  private final Observers observers = new Observers(new ObserveLimits(2, 3, 4), refused::add);

  @Test
  void admit_pastTheIdentitysBound_refusesThatIdentityOnly() {
    // given
    observers.admit(new Object(), "mallory", A);
    observers.admit(new Object(), "mallory", B);
    // when
    final var third = observers.admit(new Object(), "mallory", B);
    // then
    assertThat(third).map(Observers.Refusal::limit).contains(Observers.Limit.IDENTITY);
    assertThat(third.get().reason()).contains("this identity").contains("at most 2");
    assertThat(observers.admit(new Object(), "alice", B)).isEmpty();
    assertThat(observers.of("mallory")).isEqualTo(2);
    assertThat(refused).containsExactly(Observers.Limit.IDENTITY);
  }

  @Test
  void admit_pastThePeersBound_refusesThatAddressWhateverTheIdentity() {
    observers.admit(new Object(), "a", A);
    observers.admit(new Object(), "b", A);
    observers.admit(new Object(), "c", A);
    assertThat(observers.admit(new Object(), "d", A))
        .map(Observers.Refusal::limit)
        .contains(Observers.Limit.PEER);
    assertThat(observers.admit(new Object(), "d", B)).isEmpty();
  }

  @Test
  void admit_pastTheTotal_refusesEveryone_untilOneEnds() {
    final Object first = new Object();
    observers.admit(first, "a", A);
    observers.admit(new Object(), "b", A);
    observers.admit(new Object(), "c", B);
    observers.admit(new Object(), "d", B);
    assertThat(observers.admit(new Object(), "e", B))
        .map(Observers.Refusal::limit)
        .contains(Observers.Limit.GATEWAY);
    observers.release(first);
    assertThat(observers.admit(new Object(), "e", B)).isEmpty();
  }

  @Test
  void admit_theSameObservationAgain_countsItOnce() {
    final Object o = new Object();
    observers.admit(o, "a", A);
    observers.admit(o, "a", A);
    assertThat(observers.size()).isEqualTo(1);
  }

  @Test
  void release_twiceOrNeverAdmitted_changesNothingElse() {
    final Object o = new Object();
    observers.admit(o, "a", A);
    observers.admit(new Object(), "a", A);
    observers.release(o);
    observers.release(o);
    observers.release(new Object());
    assertThat(observers.of("a")).isEqualTo(1);
    assertThat(observers.size()).isEqualTo(1);
  }

  @Test
  void limits_oneIdentityCouldFillTheTotal_areRefused() {
    assertThatThrownBy(() -> new ObserveLimits(10, 5, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one of them could fill it");
    assertThatThrownBy(() -> new ObserveLimits(0, 5, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InetAddress address(final int a, final int b, final int c, final int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (final java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
