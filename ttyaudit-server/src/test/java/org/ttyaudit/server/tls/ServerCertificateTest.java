package org.ttyaudit.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.testkit.ManualClock;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ServerCertificateTest {
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private final ManualClock clock = new ManualClock(NOW);

    @TempDir
    Path data;

    // ---- self-signed ------------------------------------------------------------------------------------------

    @Test
    void aGeneratedCertificateNamesLocalhostTheHostAndTheGivenNames() throws Exception {
        ServerCertificate sc = ServerCertificate.loadOrCreateSelfSigned(data, List.of("Audit.Example.org",
                "10.1.2.3"), clock);
        X509Certificate cert = sc.leaf();

        List<String> expected = new ArrayList<>(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"));
        LocalHostName.get().filter(SelfSignedCertificates::isValidName)
                .map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> !h.equals("localhost")).ifPresent(expected::add);
        expected.addAll(List.of("audit.example.org", "10.1.2.3"));
        assertThat(sc.subjectAltNames()).containsExactlyElementsOf(expected);

        assertThat(cert.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class, k ->
                assertThat(k.getParams().getCurve().getField().getFieldSize()).isEqualTo(256));
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(cert.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(sc.chain()).containsExactly(cert);
        assertThat(sc.fingerprint()).matches("sha256:[0-9a-f]{64}");
        assertThat(sc.toString()).contains(sc.fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void theCertificateIsReusedOnLaterStarts() throws Exception {
        ServerCertificate first = ServerCertificate.loadOrCreateSelfSigned(data, List.of("a.example"), clock);
        byte[] pemBefore = Files.readAllBytes(data.resolve("tls/cert.pem"));
        clock.advance(Duration.ofDays(400));
        ServerCertificate second = ServerCertificate.loadOrCreateSelfSigned(data, List.of("b.example"), clock);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.leaf()).isEqualTo(first.leaf());
        assertThat(second.subjectAltNames()).as("names are not changed on reuse").contains("a.example")
                .doesNotContain("b.example");
        assertThat(Files.readAllBytes(data.resolve("tls/cert.pem"))).isEqualTo(pemBefore);
    }

    @Test
    void theKeyFileIsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
        ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        Path dir = data.resolve("tls");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("key.pem", "cert.pem");
        }
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        Path key = data.resolve("tls/key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedAndAKeyWithoutCertificateIsReplaced() throws Exception {
        ServerCertificate first = ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        Files.delete(data.resolve("tls/cert.pem"));
        ServerCertificate second = ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        assertThat(second.fingerprint()).as("an interrupted first start is redone").isNotEqualTo(first.fingerprint());
        Files.delete(data.resolve("tls/key.pem"));
        assertThatThrownBy(() -> ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("key.pem is missing");
    }

    @Test
    void anInvalidNameIsRefused() {
        assertThatThrownBy(() -> ServerCertificate.loadOrCreateSelfSigned(data, List.of("bad name"), clock))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("'bad name' is neither an IP address nor a DNS name, so it cannot be a name of the "
                        + "certificate");
        assertThat(Files.exists(data.resolve("tls/cert.pem"))).isFalse();
    }

    // ---- loading PEM files ------------------------------------------------------------------------------------

    @Test
    void loadsAnRsaPairMadeWithBouncyCastle() throws Exception {
        KeyPair rsa = keyPair("RSA");
        X509Certificate cert = selfSigned(rsa, "SHA256withRSA", "CN=rsa.example");
        Path certFile = write("rsa.crt", PemFiles.pem("CERTIFICATE", cert.getEncoded()));
        Path keyFile = write("rsa.key", PemFiles.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        ServerCertificate sc = ServerCertificate.load(certFile, keyFile);
        assertThat(sc.leaf()).isEqualTo(cert);
        assertThat(sc.fingerprint()).isEqualTo(independentFingerprint(certFile));
    }

    @Test
    void loadsEcRsaAndEd25519PairsMadeByOpenssl() throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not installed");
        // PKCS#8 RSA key
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.crt",
                "-days", "2", "-subj", "/CN=rsa");
        // OpenSSL's traditional "BEGIN EC PRIVATE KEY"
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        openssl("req", "-x509", "-new", "-key", "ec.key", "-out", "ec.crt", "-days", "2", "-subj", "/CN=ec");
        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.key");
        openssl("req", "-x509", "-new", "-key", "ed.key", "-out", "ed.crt", "-days", "2", "-subj", "/CN=ed");
        assertThat(Files.readString(data.resolve("ec.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(data.resolve("rsa.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        for (String kind : List.of("rsa", "ec", "ed")) {
            ServerCertificate sc = ServerCertificate.load(data.resolve(kind + ".crt"), data.resolve(kind + ".key"));
            assertThat(sc.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=" + kind);
            assertThat(sc.fingerprint()).as(kind).isEqualTo(opensslFingerprint(data.resolve(kind + ".crt")));
            assertThat(sc.toKeyStore("pw".toCharArray()).isKeyEntry("ttyaudit")).isTrue();
        }

        // A chain: a leaf issued by the RSA certificate (openssl req -x509 makes it a CA), the key file holding
        // the leaf's certificate too.
        openssl("req", "-new", "-key", "ec.key", "-out", "leaf.csr", "-subj", "/CN=leaf");
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "rsa.crt", "-CAkey", "rsa.key", "-CAcreateserial",
                "-out", "leaf.crt", "-days", "2");
        Path chain = write("chain.crt", Files.readString(data.resolve("leaf.crt"))
                + Files.readString(data.resolve("rsa.crt")));
        Path combined = write("combined.pem", Files.readString(data.resolve("leaf.crt"))
                + Files.readString(data.resolve("ec.key")));
        ServerCertificate sc = ServerCertificate.load(chain, combined);
        assertThat(sc.chain()).hasSize(2);
        assertThat(sc.fingerprint()).isEqualTo(opensslFingerprint(data.resolve("leaf.crt")));
        KeyStore ks = sc.toKeyStore("pw".toCharArray());
        assertThat(ks.getCertificateChain("ttyaudit")).hasSize(2);

        Path reversed = write("reversed.crt", Files.readString(data.resolve("rsa.crt"))
                + Files.readString(data.resolve("leaf.crt")));
        assertThatThrownBy(() -> ServerCertificate.load(reversed, combined))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("certificate 2 in " + reversed + " (CN=leaf) did not issue certificate 1 (CN=rsa, issued "
                        + "by CN=rsa); put the leaf first, then each issuer");
    }

    @Test
    void theFingerprintIsWhatOpensslPrints() throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not installed");
        ServerCertificate sc = ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        assertThat(sc.fingerprint()).isEqualTo(opensslFingerprint(data.resolve("tls/cert.pem")));
    }

    @Test
    void theFingerprintIsSha256OfTheDer() throws Exception {
        ServerCertificate sc = ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        assertThat(sc.fingerprint()).isEqualTo(independentFingerprint(data.resolve("tls/cert.pem")));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        KeyPair ec1 = keyPair("EC");
        KeyPair ec2 = keyPair("EC");
        KeyPair rsa = keyPair("RSA");
        Path cert = write("ec1.crt", PemFiles.pem("CERTIFICATE",
                selfSigned(ec1, "SHA256withECDSA", "CN=one").getEncoded()));
        Path otherEc = write("ec2.key", PemFiles.pem("PRIVATE KEY", ec2.getPrivate().getEncoded()));
        Path rsaKey = write("rsa.key", PemFiles.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        assertThatThrownBy(() -> ServerCertificate.load(cert, otherEc))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("the private key in " + otherEc + " does not belong to the certificate in " + cert
                        + " (CN=one, a EC key)");
        assertThatThrownBy(() -> ServerCertificate.load(cert, rsaKey))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void filesWithoutACertificateOrKeyAndEncryptedKeysAreRefused() throws Exception {
        KeyPair ec = keyPair("EC");
        Path cert = write("c.crt", PemFiles.pem("CERTIFICATE", selfSigned(ec, "SHA256withECDSA", "CN=c").getEncoded()));
        Path key = write("c.key", PemFiles.pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
        Path empty = write("empty.pem", "");
        Path garbage = write("garbage.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ServerCertificate.load(empty, key))
                .isInstanceOf(TlsSetupException.class).hasMessage("no PEM certificate (BEGIN CERTIFICATE) in " + empty);
        assertThatThrownBy(() -> ServerCertificate.load(key, key))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> ServerCertificate.load(cert, cert))
                .isInstanceOf(TlsSetupException.class).hasMessage("no PEM private key (BEGIN PRIVATE KEY) in " + cert);
        assertThatThrownBy(() -> ServerCertificate.load(garbage, key))
                .isInstanceOf(TlsSetupException.class).hasMessageStartingWith(garbage + " is not valid PEM");
        assertThatThrownBy(() -> ServerCertificate.load(data.resolve("missing.crt"), key))
                .isInstanceOf(IOException.class);
        if (opensslAvailable()) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
                    "-pass", "pass:secret", "-out", "enc.key");
            assertThatThrownBy(() -> ServerCertificate.load(cert, data.resolve("enc.key")))
                    .isInstanceOf(TlsSetupException.class).hasMessageContaining("is encrypted");
        }
    }

    @Test
    void forServerUsesTheGivenFilesOrTheSelfSignedOneButNotHalfOfEach() throws Exception {
        KeyPair ec = keyPair("EC");
        Path cert = write("op.crt", PemFiles.pem("CERTIFICATE", selfSigned(ec, "SHA256withECDSA", "CN=op").getEncoded()));
        Path key = write("op.key", PemFiles.pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
        assertThat(ServerCertificate.forServer(cert, key, data, List.of()).leaf().getSubjectX500Principal().getName())
                .isEqualTo("CN=op");
        assertThat(Files.exists(data.resolve("tls"))).as("no self-signed certificate made").isFalse();
        assertThatThrownBy(() -> ServerCertificate.forServer(cert, null, data, List.of()))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("--tls-cert and --tls-key go together; only --tls-cert was given");
        assertThatThrownBy(() -> ServerCertificate.forServer(null, key, data, List.of()))
                .hasMessage("--tls-cert and --tls-key go together; only --tls-key was given");
        ServerCertificate self = ServerCertificate.forServer(null, null, data, List.of("x.example"));
        assertThat(self.subjectAltNames()).contains("x.example");
        assertThat(ServerCertificate.forServer(null, null, data, List.of()).fingerprint())
                .isEqualTo(self.fingerprint());
    }

    // ---- the key store in a real handshake --------------------------------------------------------------------

    @Test
    void theKeyStoreServesTlsToAClientThatPinsTheFingerprint() throws Exception {
        ServerCertificate sc = ServerCertificate.loadOrCreateSelfSigned(data, List.of(), clock);
        char[] pw = "in-memory".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(sc.toKeyStore(pw), pw);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2; i++) {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        s.setSoTimeout(10_000);
                        s.startHandshake();
                        s.getOutputStream().write('!');
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // the second client refuses the certificate
                    }
                }
            });
            assertThat(connect(listener.getLocalPort(), sc.fingerprint())).isEqualTo('!');
            String wrongPin = "sha256:" + "0".repeat(64);
            assertThatThrownBy(() -> connect(listener.getLocalPort(), wrongPin))
                    .isInstanceOf(IOException.class);
            serving.get(20, TimeUnit.SECONDS);
        }
    }

    private static int connect(int port, String pinnedFingerprint) throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[]{new PinningTrustManager(pinnedFingerprint)}, null);
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(
                java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return s.getInputStream().read();
        }
    }

    /** What a recorder does with {@code --fingerprint}: trust exactly the certificate with that pin. */
    private record PinningTrustManager(String fingerprint) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (!ServerCertificate.fingerprint(chain[0]).equals(fingerprint)) {
                throw new CertificateException("certificate does not match the pinned fingerprint");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Path write(String name, String text) throws IOException {
        return Files.writeString(data.resolve(name), text);
    }

    private static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(algorithm.equals("RSA") ? 2048 : 256);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp, String signatureAlgorithm, String dn) throws Exception {
        X500Name name = new X500Name(dn);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(NOW.minusSeconds(60)), Date.from(NOW.plus(Duration.ofDays(1))), name, kp.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(kp.getPrivate())));
    }

    /** SHA-256 of the DER between the PEM markers, computed without the code under test. */
    private static String independentFingerprint(Path pemFile) throws Exception {
        String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        String b64 = pem.substring(pem.indexOf("-----\n") + 6, pem.indexOf("-----END")).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    private static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    /** {@code openssl x509 -fingerprint -sha256} prints {@code sha256 Fingerprint=AB:CD:…}; our form is the pin. */
    private String opensslFingerprint(Path cert) throws Exception {
        String out = openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", cert.toString()).trim();
        String hex = out.substring(out.indexOf('=') + 1).replace(":", "").toLowerCase(Locale.ROOT);
        assertThat(hex).matches("[0-9a-f]{64}");
        return "sha256:" + hex;
    }
}
