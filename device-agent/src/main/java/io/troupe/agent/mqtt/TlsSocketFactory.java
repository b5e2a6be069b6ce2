package io.troupe.agent.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS sockets (with TCP_NODELAY) that trust the gateway only as told: by the SHA-256 fingerprint of
 * its certificate ({@link #pinned}), by certificates in a file ({@link #trusting}), or by the JDK's
 * default trust store ({@link #systemTrust}). The sockets are unconnected, as Paho asks for with a
 * {@code tcp://} address; the handshake runs at the first byte, so use them for {@code tcp://} and
 * an untrusted certificate fails the connect with the reason.
 */
public final class TlsSocketFactory extends SocketFactory {

  private final SSLSocketFactory tls;

  private TlsSocketFactory(final TrustManager[] trust) {
    try {
      final SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      this.tls = context.getSocketFactory();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Trusts the one certificate whose SHA-256 (of its DER), in hex with or without colons, is {@code
   * fingerprint}: what {@code troupe gateway --tls} prints.
   *
   * @throws IllegalArgumentException when it is not 64 hex digits
   */
  public static TlsSocketFactory pinned(final String fingerprint) {
    final String pin = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
    if (!pin.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a TLS fingerprint is a SHA-256 of 64 hex digits, not '" + fingerprint + "'");
    }
    return new TlsSocketFactory(new TrustManager[] {new Pinned(pin)});
  }

  /**
   * Trusts the certificates in {@code file}: PEM ({@code -----BEGIN CERTIFICATE-----}), or a
   * PKCS#12 or JKS keystore without a password.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static TlsSocketFactory trusting(final Path file) {
    try {
      final KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      final byte[] bytes = Files.readAllBytes(file);
      if (new String(
              bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.US_ASCII)
          .contains("-----BEGIN")) {
        anchors.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(file)) {
          for (final Certificate c :
              CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            anchors.setCertificateEntry("trusted-" + i++, c);
          }
        }
      } else {
        try (InputStream in = Files.newInputStream(file)) {
          anchors.load(in, null);
        }
      }
      if (anchors.size() == 0) {
        throw new IllegalArgumentException("no certificate in " + file.toAbsolutePath());
      }
      final TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return new TlsSocketFactory(factory.getTrustManagers());
    } catch (final IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS trust file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Trusts what the JDK's default trust store trusts. */
  public static TlsSocketFactory systemTrust() {
    return new TlsSocketFactory(null);
  }

  @Override
  public Socket createSocket() throws IOException {
    final Socket socket = tls.createSocket();
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public Socket createSocket(final String host, final int port) throws IOException {
    final Socket socket = tls.createSocket(host, port);
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public Socket createSocket(
      final String host, final int port, final InetAddress localHost, final int localPort)
      throws IOException {
    return tls.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(final InetAddress host, final int port) throws IOException {
    return tls.createSocket(host, port);
  }

  @Override
  public Socket createSocket(
      final InetAddress address,
      final int port,
      final InetAddress localAddress,
      final int localPort)
      throws IOException {
    return tls.createSocket(address, port, localAddress, localPort);
  }

  /** Trusts one certificate, by its SHA-256. */
  private static final class Pinned implements X509TrustManager {
    private final String pin;

    Pinned(final String pin) {
      this.pin = Objects.requireNonNull(pin);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the gateway sent no certificate");
      }
      final String seen;
      try {
        seen =
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
      } catch (final GeneralSecurityException e) {
        throw new CertificateException(e);
      }
      if (!MessageDigest.isEqual(seen.getBytes(), pin.getBytes())) {
        throw new CertificateException(
            "the gateway's certificate has SHA-256 " + seen + ", not the pinned " + pin);
      }
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType)
        throws CertificateException {
      throw new CertificateException("a client's trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
