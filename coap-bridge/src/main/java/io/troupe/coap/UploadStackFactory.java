package io.troupe.coap;

import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.network.ExtendedCoapStackFactory;
import org.eclipse.californium.core.network.Outbox;
import org.eclipse.californium.core.network.stack.BaseCoapStack;
import org.eclipse.californium.core.network.stack.BlockwiseLayer;
import org.eclipse.californium.core.network.stack.CoapStack;
import org.eclipse.californium.core.network.stack.CongestionControlLayer;
import org.eclipse.californium.core.network.stack.ExchangeCleanupLayer;
import org.eclipse.californium.core.network.stack.Layer;
import org.eclipse.californium.core.network.stack.ObserveLayer;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's UDP stack (the layers of its {@code CoapUdpStack}, in the same order) with {@link
 * UploadLayer} between its block-wise and reliability layers. The custom stack argument is the
 * identity that requests without a DTLS identity act as (a {@code String}), or null.
 */
final class UploadStackFactory implements ExtendedCoapStackFactory {

  private final Uploads uploads;

  UploadStackFactory(final Uploads uploads) {
    this.uploads = uploads;
  }

  @Override
  public CoapStack createCoapStack(
      final String protocol,
      final String tag,
      final Configuration config,
      final EndpointContextMatcher matcher,
      final Outbox outbox,
      final Object actAs) {
    if (!CoAP.PROTOCOL_UDP.equals(protocol) && !CoAP.PROTOCOL_DTLS.equals(protocol)) {
      throw new IllegalArgumentException("the CoAP bridge serves UDP and DTLS, not " + protocol);
    }
    return new Stack(
        outbox,
        new ExchangeCleanupLayer(config),
        new ObserveLayer(config),
        new BlockwiseLayer(tag, false, config, matcher),
        new UploadLayer(uploads, (String) actAs),
        CongestionControlLayer.newImplementation(tag, config));
  }

  @Override
  public CoapStack createCoapStack(
      final String protocol,
      final String tag,
      final Configuration config,
      final Outbox outbox,
      final Object actAs) {
    return createCoapStack(protocol, tag, config, null, outbox, actAs);
  }

  private static final class Stack extends BaseCoapStack {
    Stack(final Outbox outbox, final Layer... layers) {
      super(outbox);
      setLayers(layers);
    }
  }
}
