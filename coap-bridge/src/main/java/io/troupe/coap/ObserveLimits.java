package io.troupe.coap;

/**
 * How many CoAP observations (RFC 7641 relations on the retained resources) the bridge keeps.
 *
 * @param perIdentity the relations one identity may hold, whichever peers it observes from
 * @param perPeer the relations one peer IP address may hold, whichever identity it is (on plain
 *     CoAP every peer acts as one identity: this keeps one host from taking that identity's share)
 * @param total the relations of everyone together; larger than {@code perIdentity}, so that no one
 *     identity can fill it
 */
public record ObserveLimits(int perIdentity, int perPeer, int total) {

  /** What the gateway keeps unless {@code conf/config.xml} says otherwise. */
  public static final ObserveLimits DEFAULTS = new ObserveLimits(100, 200, 10_000);

  /**
   * @throws IllegalArgumentException when a bound is not positive, or one identity or one peer
   *     could fill the total
   */
  public ObserveLimits {
    if (perIdentity < 1 || perPeer < 1 || total < 1) {
      throw new IllegalArgumentException(
          "observe limits must be at least 1, got per identity "
              + perIdentity
              + ", per peer "
              + perPeer
              + ", total "
              + total);
    }
    if (perIdentity >= total || perPeer >= total) {
      throw new IllegalArgumentException(
          "the total of observations ("
              + total
              + ") must be larger than the limits per identity ("
              + perIdentity
              + ") and per peer ("
              + perPeer
              + "), or one of them could fill it");
    }
  }
}
