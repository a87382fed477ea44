package org.ttyaudit.server.blob.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.testkit.S3Server;
import org.ttyaudit.server.tls.ServerCertificate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 store over TLS to a real S3 API server (s3proxy, HTTPS only, a self-signed certificate for 127.0.0.1):
 * trusted through ca_file it works; a certificate the client has no reason to trust is refused, with or without
 * a ca_file (the system's CAs do not know it), and so is a name the certificate does not hold.
 */
class S3BlobStoreTlsTest {
    @TempDir
    static Path dir;
    static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.startTls(dir);
        s3.createBucket("tls");
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private static S3Settings settings(URI endpoint, Path caFile) {
        S3Settings s = S3BlobStoreTest.settings(s3, "tls", "over-tls/");
        return new S3Settings(endpoint, s.region(), s.bucket(), s.prefix(), true, s.accessKeyId(),
                s.secretAccessKey(), caFile, s.encryption(), null, s.maxParallelUploads(), s.connectTimeout(),
                s.requestTimeout(), 1);
    }

    @Test
    void blobsRoundTripOverTlsWithTheCaOfCaFile() {
        try (S3BlobStore blobs = S3BlobStore.open(settings(s3.endpoint, s3.caFile))) {
            blobs.putAll(Map.of("a/1", "one".getBytes(), "a/2", "two".getBytes()));

            assertThat(blobs.get("a/2")).hasValueSatisfying(b -> assertThat(b).isEqualTo("two".getBytes()));
            blobs.delete("a/2");
            assertThat(blobs.get("a/2")).isEmpty();
        }
        assertThat(s3.objectFile("tls", "over-tls/a/1")).hasContent("one");
    }

    @Test
    void aCertificateNotSignedByTheConfiguredCaIsRefused(@TempDir Path other) throws Exception {
        ServerCertificate.loadOrCreateSelfSigned(other, List.of());
        Path otherCa = other.resolve(ServerCertificate.DIRECTORY).resolve(ServerCertificate.CERT_FILE);

        assertThatThrownBy(() -> S3BlobStore.open(settings(s3.endpoint, otherCa)))
                .isInstanceOf(BlobStoreException.class).hasMessageContaining("cannot be reached: TLS failed");
        assertThatThrownBy(() -> S3BlobStore.open(settings(s3.endpoint, null)))
                .as("the system's CAs do not know a test certificate")
                .isInstanceOf(BlobStoreException.class).hasMessageContaining("TLS failed");
    }

    @Test
    void aHostNameTheCertificateDoesNotHoldIsRefused() throws Exception {
        // the certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 relays to the same server
        try (ServerSocket relay = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.2"))) {
            Thread t = new Thread(() -> relayTo(relay, s3.endpoint.getPort()), "tls-relay");
            t.setDaemon(true);
            t.start();
            URI otherName = URI.create("https://127.0.0.2:" + relay.getLocalPort());

            assertThatThrownBy(() -> S3BlobStore.open(settings(otherName, s3.caFile)))
                    .isInstanceOf(BlobStoreException.class).hasMessageContaining("TLS failed")
                    .hasMessageContaining("127.0.0.2");
        }
    }

    /** Pipes every connection to {@code relay} to 127.0.0.1:{@code port}, both ways, until the relay closes. */
    private static void relayTo(ServerSocket relay, int port) {
        while (!relay.isClosed()) {
            try {
                Socket in = relay.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), port);
                pipe(in, out);
                pipe(out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException ignored) {
                // one side closed
            }
        }, "tls-relay-pipe");
        t.setDaemon(true);
        t.start();
    }
}
