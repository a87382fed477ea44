package org.ttyaudit.server.blob.s3;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.testkit.S3Server;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong with S3, against a real S3 API server (s3proxy): each failure is a {@link BlobStoreException}
 * that names the bucket, the endpoint and the reason, and never holds the secret access key.
 */
class S3BlobStoreFailureTest {
    static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.shared();
        s3.createBucket("present");
    }

    private static S3Settings settings(URI endpoint, String bucket, String accessKeyId, String secret) {
        S3Settings s = S3BlobStoreTest.settings(s3, bucket, "");
        return new S3Settings(endpoint, s.region(), bucket, "", true, accessKeyId, new S3Settings.Secret(secret),
                null, s.encryption(), null, s.maxParallelUploads(), s.connectTimeout(), s.requestTimeout(),
                s.maxAttempts());
    }

    @Test
    void anUnreachableEndpointIsAClearErrorAtOpen() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> S3BlobStore.open(settings(nowhere, "present", s3.accessKeyId, s3.secretAccessKey)))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("s3://present/ at " + nowhere + " cannot be reached: cannot connect")
                .hasMessageNotContaining(s3.secretAccessKey);
    }

    @Test
    void aBucketThatDoesNotExistIsNamed() {
        assertThatThrownBy(() -> S3BlobStore.open(settings(s3.endpoint, "absent", s3.accessKeyId,
                s3.secretAccessKey))).isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("the bucket 'absent' does not exist")
                .hasMessageContaining(s3.endpoint.toString());
    }

    @Test
    void aWrongSecretIsDeniedWithoutShowingEitherSecret() {
        String wrong = "wrong-" + s3.secretAccessKey.substring(6);

        assertThatThrownBy(() -> S3BlobStore.open(settings(s3.endpoint, "present", s3.accessKeyId, wrong)))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("s3://present/ at " + s3.endpoint + " cannot be used: HTTP 403")
                .hasMessageContaining("access key id").hasMessageContaining("secret")
                .hasMessageNotContaining(wrong).hasMessageNotContaining(s3.secretAccessKey);
    }

    @Test
    void anUnknownAccessKeyIdIsDenied() {
        assertThatThrownBy(() -> S3BlobStore.open(settings(s3.endpoint, "present", "AKNOBODY",
                s3.secretAccessKey))).isInstanceOf(BlobStoreException.class).hasMessageContaining("HTTP 403")
                .hasMessageNotContaining(s3.secretAccessKey);
    }

    @Test
    void aFailedPutInABatchIsReportedWithItsKeyAfterTheOthersEnded() throws Exception {
        s3.createBucket("batch");
        try (S3BlobStore blobs = S3BlobStore.open(settings(s3.endpoint, "batch", s3.accessKeyId,
                s3.secretAccessKey))) {
            blobs.put("taken", "x".getBytes());
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                batch.put("ok/" + i, new byte[] {(byte) i});
            }
            // a file-backed S3 server cannot store an object below another one (a file is in the way)
            batch.put("taken/child", "y".getBytes());

            assertThatThrownBy(() -> blobs.putAll(batch)).isInstanceOf(BlobStoreException.class)
                    .hasMessageContaining("storing blob taken/child (s3://batch/taken/child at " + s3.endpoint)
                    .hasMessageContaining("HTTP 5");

            // every other PUT was answered before putAll threw
            for (int i = 0; i < 10; i++) {
                assertThat(blobs.get("ok/" + i)).isPresent();
            }
        }
    }

    @Test
    void aBucketRemovedUnderARunningStoreIsAnErrorNotAMissingBlob() throws Exception {
        s3.createBucket("doomed");
        try (S3BlobStore blobs = S3BlobStore.open(settings(s3.endpoint, "doomed", s3.accessKeyId,
                s3.secretAccessKey))) {
            blobs.put("k", "v".getBytes());
            try (Stream<Path> files = Files.walk(s3.baseDir.resolve("doomed"))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }

            assertThatThrownBy(() -> blobs.get("k")).isInstanceOf(BlobStoreException.class)
                    .hasMessageContaining("reading blob k (s3://doomed/k")
                    .hasMessageContaining("HTTP 404 NoSuchBucket");
        }
    }
}
