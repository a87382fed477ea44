package org.ttyaudit.server.blob.s3;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.VerifyReport;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;
import org.ttyaudit.server.api.AuditedDataDirectory;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.testkit.S3Server;
import org.ttyaudit.server.verify.DataDirectoryVerifier;
import org.ttyaudit.server.verify.StoreReport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A real server whose server.yaml says {@code blobs: type: s3}, against a real S3 API server (s3proxy): it ingests
 * sessions with their chunk bytes in the bucket (none in the data directory), serves them back as records that
 * verify, and its stopped store verifies offline (reading the bucket); a start with a wrong secret fails with a
 * clear message that shows the secret nowhere (message, printed output, log).
 */
class S3AuditServerTest {
    @TempDir
    static Path dir;
    static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.shared();
        s3.createBucket("server-blobs");
    }

    /** A data directory whose server.yaml puts blobs in the test bucket, the secret in a file beside it. */
    static Path dataDirectory(Path dataDir, String secret) throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("s3-secret"), secret + "\n");
        Files.writeString(dataDir.resolve("server.yaml"),
                s3.blobsSection("server-blobs", dataDir.getFileName().toString(), "s3-secret"));
        return dataDir;
    }

    @Test
    void chunkBytesGoToTheBucketAndTheStoreVerifiesFromThere() throws Exception {
        Path dataDir = dataDirectory(dir.resolve("audited"), s3.secretAccessKey);
        AuditedDataDirectory audited = AuditedDataDirectory.create(dataDir);

        assertThat(dataDir.resolve(AuditServer.BLOBS)).doesNotExist();
        assertThat(s3.objectFile("server-blobs", "audited/sessions/" + audited.alice + "/2.chunk")).isRegularFile();

        StoreReport report = DataDirectoryVerifier.verify(dataDir, null, name -> null, null, null);
        assertThat(report.problems()).isEmpty();
        assertThat(report.summary()).startsWith("intact: 3 sessions, 7 chunks");

        try (ServerFixture again = new ServerFixture(dataDir)) {
            String admin = again.login("admin", ServerFixture.ADMIN_PASSWORD);
            ServerFixture.Response record = again.get("/api/v1/sessions/" + audited.alice + "/record", admin);
            assertThat(record.status()).isEqualTo(200);
            Path file = Files.write(dir.resolve("alice.tta"), record.body());
            VerifyReport verified = RecordVerifier.verify(file);
            assertThat(verified.intact()).as(verified.problems().toString()).isTrue();
            assertThat(verified.chunks()).isEqualTo(3);
        }

        Files.delete(s3.objectFile("server-blobs", "audited/sessions/" + audited.alice + "/2.chunk"));
        StoreReport damaged = DataDirectoryVerifier.verify(dataDir, null, name -> null, null, null);
        assertThat(damaged.intact()).isFalse();
        assertThat(damaged.problems()).anyMatch(p -> p.contains("chunk 2 (s3://server-blobs/audited/sessions/"
                + audited.alice + "/2.chunk): blob missing"));
    }

    @Test
    void aStartWithAWrongSecretFailsClearlyAndShowsTheSecretNowhere() throws Exception {
        String wrong = "not-the-secret-" + s3.secretAccessKey.substring(0, 12);
        Path dataDir = dataDirectory(dir.resolve("wrong-secret"), wrong);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        Throwable failure;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            failure = catchThrowable(() -> AuditServer.start(new ServerConfig(
                    dataDir, new InetSocketAddress("127.0.0.1", 0), null, null, List.of(), null,
                    Duration.ofSeconds(1)), new PrintStream(printed, true, StandardCharsets.UTF_8)));
        } finally {
            System.setErr(stderr);
        }

        assertThat(failure).isInstanceOf(BlobStoreException.class).hasMessage("the blob store"
                + " s3://server-blobs/wrong-secret/ at " + s3.endpoint + " cannot be used: HTTP 403: Forbidden"
                + " (check the access key id and its secret, and that they may read and write the bucket)");
        for (String text : List.of(stackTrace(failure), printed.toString(StandardCharsets.UTF_8),
                logged.toString(StandardCharsets.UTF_8))) {
            assertThat(text).doesNotContain(wrong).doesNotContain(s3.secretAccessKey);
        }
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
