package org.ttyaudit.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning against a real local TLS server presenting a self-signed certificate made by keytool. */
class PinnedTlsTest {
    @TempDir
    static Path dir;

    private static SelfSignedCertificate cert;
    private static HttpsServer server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        // CN=localhost with only a DNS name: an IP address never matches it, so connecting to 127.0.0.1 shows
        // whether the host name is checked.
        cert = SelfSignedCertificate.generate(dir, "localhost", "dns:localhost");
        server = cert.httpsServer();
        server.createContext("/hello", ex -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static String get(PinnedTls tls, String host) throws IOException, InterruptedException {
        HttpClient client = tls.configure(HttpClient.newBuilder()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/hello"))
                .timeout(Duration.ofSeconds(5)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void rightPinConnectsEvenThoughTheCertificateDoesNotNameTheAddress() throws Exception {
        PinnedTls tls = PinnedTls.of(cert.fingerprint().toString());
        assertThat(get(tls, "127.0.0.1")).isEqualTo("hello");
        assertThat(get(tls, "localhost")).isEqualTo("hello");
        assertThat(tls.pin()).contains(cert.fingerprint());
    }

    @Test
    void wrongPinFailsNamingBothFingerprints() throws Exception {
        CertificateFingerprint wrong = CertificateFingerprint.parse("sha256:" + "ab".repeat(32));
        PinnedTls tls = PinnedTls.pinned(wrong);
        assertThatThrownBy(() -> get(tls, "127.0.0.1"))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(PinnedTls.describeFailure(e)).hasValueSatisfying(m -> assertThat(m)
                        .contains(wrong.toString()).contains(cert.fingerprint().toString())));
    }

    @Test
    void noPinRefusesASelfSignedCertificateAndNamesItsFingerprint() throws Exception {
        assertThatThrownBy(() -> get(PinnedTls.systemTrust(), "localhost"))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(PinnedTls.describeFailure(e)).hasValueSatisfying(m -> assertThat(m)
                        .contains("not trusted").contains(cert.fingerprint().toString()).contains("--fingerprint")));
    }

    @Test
    void withoutAPinTheHostNameIsVerified() throws Exception {
        // The same certificate trusted as a CA: accepted under the name it carries, refused under another.
        PinnedTls tls = PinnedTls.trusting(cert.asTrustStore());
        assertThat(get(tls, "localhost")).isEqualTo("hello");
        assertThatThrownBy(() -> get(tls, "127.0.0.1"))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(PinnedTls.describeFailure(e)).hasValueSatisfying(m -> assertThat(m)
                        .contains("127.0.0.1")));
    }

    @Test
    void fingerprintTextIsStrict() {
        String hex = "3F".repeat(32);
        assertThat(CertificateFingerprint.parse("sha256:" + hex).toString()).isEqualTo("sha256:" + "3f".repeat(32));
        assertThatThrownBy(() -> CertificateFingerprint.parse("md5:" + hex))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sha256:' followed by 64 hex");
        assertThatThrownBy(() -> CertificateFingerprint.parse("sha256:" + hex.substring(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("62 characters");
        assertThatThrownBy(() -> CertificateFingerprint.parse("sha256:" + "zz".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not all of them hex");
    }

    @Test
    void fingerprintIsTheSha256OfTheDerEncoding() throws Exception {
        byte[] der = cert.certificate().getEncoded();
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(der);
        assertThat(cert.fingerprint().sha256()).isEqualTo(expected);
        assertThat(cert.fingerprint().matches(der)).isTrue();
        der[der.length - 1] ^= 1;
        assertThat(cert.fingerprint().matches(der)).isFalse();
    }
}
