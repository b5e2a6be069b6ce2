package io.troupe.launcher;

/** Renders HiveMQ CE's {@code conf/config.xml} for the embedded gateway. */
final class HiveMqConfig {

  private HiveMqConfig() {}

  static String render(
      final String bindAddress,
      final int port,
      final boolean inMemory,
      final int serverReceiveMaximum) {
    return """
        <?xml version="1.0"?>
        <hivemq xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="config.xsd">
            <listeners>
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                </tcp-listener>
            </listeners>
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
        .formatted(port, bindAddress, serverReceiveMaximum, inMemory ? "in-memory" : "file");
  }
}
