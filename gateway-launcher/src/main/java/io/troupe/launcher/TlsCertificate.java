package io.troupe.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate of the gateway's MQTT-over-TLS listener: a keystore given by the operator, or a
 * self-signed one made once in the gateway's home, readable by its owner only. Either way its
 * SHA-256 fingerprint is what a client pins ({@code --tls-fingerprint}).
 *
 * @param keystore a PKCS#12 keystore holding the key and certificate
 * @param password the keystore's (and its key's) password
 * @param fingerprint SHA-256 of the certificate (DER), lower-case hex
 */
public record TlsCertificate(Path keystore, String password, String fingerprint) {

  /** Where the self-signed keystore and its password are kept, under the home's {@code conf/}. */
  static final String SELF_SIGNED = "troupe-tls.p12";

  private static final String ALIAS = "troupe-gateway";

  public TlsCertificate {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /**
   * The keystore {@code keystore} (PKCS#12 or JKS) with the password in the first line of {@code
   * passwordFile}.
   *
   * @throws IOException when either cannot be read, the password is wrong or it holds no
   *     certificate
   */
  static TlsCertificate given(final Path keystore, final Path passwordFile) throws IOException {
    final String password =
        Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    return new TlsCertificate(keystore, password, fingerprintOf(load(keystore, password)));
  }

  /**
   * The self-signed certificate in {@code conf}, made (EC P-256, valid ten years, for {@code
   * localhost}, {@code 127.0.0.1} and {@code host}) if there is none yet.
   */
  static TlsCertificate selfSigned(final Path conf, final String host) throws IOException {
    final Path keystore = conf.resolve(SELF_SIGNED);
    final Path passwordFile = conf.resolve(SELF_SIGNED + ".password");
    if (!Files.exists(keystore)) {
      final String password =
          Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
      // conf/ is the owner's alone (EmbeddedGateway): the files are tightened as well
      PrivateFiles.write(passwordFile, password + "\n");
      final Path tmp = conf.resolve(SELF_SIGNED + ".new");
      Files.write(tmp, selfSignedKeystore(host, password));
      PrivateFiles.file(tmp);
      Files.move(tmp, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return given(keystore, passwordFile);
  }

  private static byte[] randomBytes(final int length) {
    final byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes); // not generateSeed: that may block for entropy
    return bytes;
  }

  private static byte[] selfSignedKeystore(final String host, final String password)
      throws IOException {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      final KeyPair pair = generator.generateKeyPair();
      final Instant now = Instant.now();
      final X500Name name = new X500Name("CN=troupe-gateway");
      final JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(3650))),
              name,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(
                    host.chars().anyMatch(Character::isLetter)
                        ? GeneralName.dNSName
                        : GeneralName.iPAddress,
                    host)
              }));
      final X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      final KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
      final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      store.store(bytes, password.toCharArray());
      return bytes.toByteArray();
    } catch (final GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("could not make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(final Path keystore, final String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password.toCharArray());
      return store;
    } catch (final GeneralSecurityException | IOException e) {
      // a wrong password is an IOException too: name the file either way
      throw new IOException("cannot read the TLS keystore " + keystore + ": " + e.getMessage(), e);
    }
  }

  private static String fingerprintOf(final KeyStore store) throws IOException {
    try {
      for (final String alias : java.util.Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          final byte[] der = store.getCertificate(alias).getEncoded();
          return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        }
      }
    } catch (final GeneralSecurityException e) {
      throw new IOException("cannot read the TLS certificate: " + e.getMessage(), e);
    }
    throw new IOException("the TLS keystore holds no key with a certificate");
  }
}
