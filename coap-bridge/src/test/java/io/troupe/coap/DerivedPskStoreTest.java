package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.junit.jupiter.api.Test;

class DerivedPskStoreTest {

  private static final CoapKeys KEYS = CoapKeys.of(new byte[32]);

  private static byte[] secretOf(final String identity, final Map<String, Integer> generations) {
    final DerivedPskStore store =
        new DerivedPskStore(
            KEYS,
            name ->
                generations.containsKey(name)
                    ? OptionalInt.of(generations.get(name))
                    : OptionalInt.empty());
    final PskSecretResult result =
        store.requestPskSecretResult(
            new ConnectionId(new byte[] {1}),
            null,
            new PskPublicInformation(identity),
            "HmacSHA256",
            null,
            null,
            false);
    return result.getSecret().getEncoded();
  }

  @Test
  void psk_neverReset_isTheGenerationZeroKey() {
    assertThat(secretOf("alice", Map.of("alice", 0))).isEqualTo(KEYS.pskOf("alice"));
  }

  @Test
  void psk_afterAReset_isTheCurrentGenerationsKeyAndNotTheOld() {
    final byte[] secret = secretOf("alice", Map.of("alice", 2));

    assertThat(secret).isEqualTo(KEYS.pskOf("alice", 2)).isNotEqualTo(KEYS.pskOf("alice"));
  }

  @Test
  void psk_unknownIdentity_isRandomEachTime() {
    final byte[] first = secretOf("nobody", Map.of());

    assertThat(first).hasSize(43).isNotEqualTo(secretOf("nobody", Map.of()));
    assertThat(first).isNotEqualTo(KEYS.pskOf("nobody"));
  }
}
