package io.troupe.launcher;

/** Renders HiveMQ CE's {@code conf/config.xml} for the embedded gateway. */
final class HiveMqConfig {

  private HiveMqConfig() {}

  /** An MQTT-over-TLS listener on {@code port} with {@code certificate}. */
  record TlsListener(int port, TlsCertificate certificate) {}

  /** The configuration with the plain TCP listener only. */
  static String render(
      final String bindAddress,
      final int port,
      final boolean inMemory,
      final int serverReceiveMaximum) {
    return render(bindAddress, port, inMemory, serverReceiveMaximum, java.util.Optional.empty());
  }

  static String render(
      final String bindAddress,
      final int port,
      final boolean inMemory,
      final int serverReceiveMaximum,
      final java.util.Optional<TlsListener> tls) {
    return """
        <?xml version="1.0"?>
        <hivemq xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="config.xsd">
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                </tcp-listener>
        %s    </listeners>
            <mqtt>
                <receive-maximum>
                    <server-receive-maximum>%d</server-receive-maximum>
                </receive-maximum>
            </mqtt>
            <persistence>
                <mode>%s</mode>
            </persistence>
            <anonymous-usage-statistics>
                <enabled>false</enabled>
            </anonymous-usage-statistics>
        </hivemq>
        """
        .formatted(
            port,
            bindAddress,
            tls.map(t -> tlsListener(bindAddress, t)).orElse(""),
            serverReceiveMaximum,
            inMemory ? "in-memory" : "file");
  }

  private static String tlsListener(final String bindAddress, final TlsListener tls) {
    final String path = xml(tls.certificate().keystore().toAbsolutePath().toString());
    final String password = xml(tls.certificate().password());
    return """
                <tls-tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                    <tls>
                        <keystore>
                            <path>%s</path>
                            <password>%s</password>
                            <private-key-password>%s</private-key-password>
                        </keystore>
                    </tls>
                </tls-tcp-listener>
        """
        .formatted(tls.port(), bindAddress, path, password, password);
  }

  private static String xml(final String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
