package io.troupe.bench.jmh;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What it costs a Paho MQTT 5 client to take in one PUBLISH of {@code bytes} (a sync fetch's answer
 * is one of up to 256 KiB), in packets per second: {@code pahoDecode} is the decoding its receiver
 * thread does for every packet it reads ({@code MqttWireMessage.createWireMessage}, which copies
 * the payload through a stream read byte by byte); {@code copy} copies the same bytes once, the
 * least any client must do. The ratio bounds how fast one agent connection can receive content,
 * whatever the gateway does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PahoReceiveBench {

  @Param({"262144"})
  int bytes;

  private byte[] packet;

  @Setup(Level.Trial)
  public void setUp() throws MqttException {
    final byte[] payload = new byte[bytes];
    new Random(1).nextBytes(payload);
    final MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    final MqttPublish publish =
        new MqttPublish("troupe/r/device/resp", message, new MqttProperties());
    publish.setMessageId(7);
    final byte[] header = publish.getHeader();
    final byte[] body = publish.getPayload();
    packet = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, packet, header.length, body.length);
  }

  @Benchmark
  public MqttWireMessage pahoDecode() throws MqttException {
    return MqttWireMessage.createWireMessage(packet);
  }

  @Benchmark
  public byte[] copy() {
    return Arrays.copyOf(packet, packet.length);
  }

  /** The packet's size in bytes (header included), to turn packets per second into bytes. */
  int packetBytes() {
    return packet.length;
  }
}
