package io.troupe.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * A constrained device played by a Californium server on a loopback port: every path below {@code
 * /api} answers {@code {name} {METHOD} {path} {body}} as text with {@link #code}, or, when that is
 * not a success, the code alone. Records the paths it was asked for.
 */
final class CoapDeviceServer implements AutoCloseable {

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  final String name;
  final List<String> asked = new CopyOnWriteArrayList<>();
  volatile ResponseCode code = ResponseCode.CONTENT;
  private final CoapServer server;
  private final CoapEndpoint endpoint;

  CoapDeviceServer(final String name) {
    this.name = name;
    final Configuration configuration = Configuration.createStandardWithoutFile();
    this.server = new CoapServer(configuration);
    this.endpoint =
        new CoapEndpoint.Builder()
            .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .setConfiguration(configuration)
            .build();
    server.addEndpoint(endpoint);
    server.add(new Api("api"));
    server.start();
  }

  /** The base URI it registers: {@code coap://127.0.0.1:{port}}. */
  String base() {
    return "coap://127.0.0.1:" + endpoint.getAddress().getPort();
  }

  private final class Api extends CoapResource {

    Api(final String name) {
      super(name);
    }

    @Override
    public Resource getChild(final String child) {
      return this;
    }

    @Override
    public void handleRequest(final org.eclipse.californium.core.network.Exchange exchange) {
      final CoapExchange e = new CoapExchange(exchange);
      final String path = "/" + String.join("/", e.getRequestOptions().getUriPath());
      asked.add(path);
      final ResponseCode answer = code;
      if (!answer.isSuccess()) {
        e.respond(answer);
        return;
      }
      e.respond(
          answer,
          (name + " " + e.getRequestCode() + " " + path + " " + e.getRequestText())
              .getBytes(StandardCharsets.UTF_8),
          MediaTypeRegistry.TEXT_PLAIN);
    }
  }

  @Override
  public void close() {
    server.destroy();
  }
}
