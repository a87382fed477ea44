package org.ttyaudit.server.blob.s3;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.BlobStoreContract;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.testkit.S3Server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blob contract on a real S3 API server (s3proxy, plain HTTP on loopback, signature v4), each test under a
 * prefix of its own in one bucket; and what is particular to S3: object keys, metadata, corruption at rest.
 */
class S3BlobStoreTest extends BlobStoreContract {
    static final String BUCKET = "ttyaudit-blobs";
    private static final AtomicInteger TESTS = new AtomicInteger();

    static S3Server s3;

    private String prefix;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.shared();
        s3.createBucket(BUCKET);
    }

    static S3Settings settings(S3Server server, String bucket, String prefix) {
        return new S3Settings(server.endpoint, "us-east-1", bucket, prefix, true, server.accessKeyId,
                new S3Settings.Secret(server.secretAccessKey), server.caFile, S3Settings.Encryption.NONE, null, 8,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 3);
    }

    @Override
    protected BlobStore openBlobStore() {
        if (prefix == null) {
            prefix = "test-" + TESTS.incrementAndGet() + "/";
        }
        return S3BlobStore.open(settings(s3, BUCKET, prefix));
    }

    @Test
    void aKeyIsAnObjectUnderThePrefix() throws Exception {
        blobs.put("sessions/abc/7.chunk", bytes("seven"));

        assertThat(s3.objectFile(BUCKET, prefix + "sessions/abc/7.chunk")).hasContent("seven");
    }

    @Test
    void anObjectChangedAtRestIsAnErrorNotWrongBytes() throws Exception {
        blobs.put("sessions/x/1.chunk", bytes("the recorded output"));
        Path file = s3.objectFile(BUCKET, prefix + "sessions/x/1.chunk");
        Files.writeString(file, "the altered output!");

        assertThatThrownBy(() -> blobs.get("sessions/x/1.chunk")).isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("sessions/x/1.chunk").hasMessageContaining("s3://" + BUCKET + "/" + prefix)
                .hasMessageContaining("do not match the SHA-256");
    }

    @Test
    void aBatchLargerThanTheUploadThreadsIsStoredWhole() {
        Map<String, byte[]> entries = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            entries.put("many/" + i, random(i, 70_000));
        }

        blobs.putAll(entries);

        entries.forEach((k, v) -> assertThat(blobs.get(k)).as(k).hasValueSatisfying(b -> assertThat(b)
                .isEqualTo(v)));
    }
}
