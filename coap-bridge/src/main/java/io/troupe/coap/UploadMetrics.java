package io.troupe.coap;

/**
 * What the bridge tells a metrics system about block-wise uploads. Called on Californium's threads:
 * an implementation must be quick and must not throw.
 */
@FunctionalInterface
public interface UploadMetrics {

  /** Reports nothing. */
  UploadMetrics NONE = why -> {};

  /** A block was refused, or an upload dropped, for {@code why}. */
  void refused(UploadRefusal why);
}
