package org.ttyaudit.server.blob.s3;

import org.ttyaudit.server.blob.BlobBatches;
import org.ttyaudit.server.blob.BlobKeys;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.BlobStoreException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BlobStore} in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, s3proxy …): key {@code k} is the object
 * {@code <prefix>k}. For several server instances that share one store.
 *
 * <p>A PUT is atomic per object (a reader sees the old bytes or the new ones) and, once S3 answers 200, durable
 * as far as the service promises (AWS: stored redundantly before it answers). {@link #putAll} sends its PUTs in
 * parallel on at most {@code max_parallel_uploads} threads and returns only when every one of them has been
 * answered; when one failed it throws after the others ended, so nothing is in flight after it returns. Each PUT
 * carries a Content-MD5 (the server refuses bytes changed on the way) and the SHA-256 of the bytes as user
 * metadata, which {@link #get} checks (corruption on the way back or at rest is an error, never wrong bytes).
 * Retries with backoff on 5xx, throttling and connection errors are the SDK's standard strategy.
 *
 * <p>Not checked here: the contract's rule that a key is never a prefix directory of another ({@code a} and
 * {@code a/b}). AWS S3 stores both; S3 servers backed by a file system (s3proxy's file backends, MinIO) refuse the
 * second PUT, which is then a failed put like any other; no caller makes such keys. Objects without the SHA-256
 * metadata (copied in by another tool) are read unchecked.
 *
 * <p>Thread-safe. Failures are {@link BlobStoreException}s naming the key, the bucket and the reason (HTTP status
 * and S3 error code, or the connection problem), never a credential.
 */
public final class S3BlobStore implements BlobStore {
    /** User metadata (x-amz-meta-…) with the hex SHA-256 of the object's bytes. */
    static final String SHA256_METADATA = "ttyaudit-sha256";
    /** How often a GET whose bytes do not match their SHA-256 is made before that is taken for corruption. */
    private static final int READS_BEFORE_CORRUPT = 3;

    private final S3Settings settings;
    private final S3Client s3;
    private final ExecutorService io;
    private volatile boolean closed;

    private S3BlobStore(S3Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(settings.maxParallelUploads(), r -> {
            Thread t = new Thread(r, "s3-put-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the store and checks that its bucket is there and may be reached with its credentials (a HEAD of the
     * bucket), so a mistake stops the server's start, not its first ingest.
     *
     * @throws BlobStoreException naming the bucket, the endpoint and what is wrong (never the secret)
     */
    public static S3BlobStore open(S3Settings settings) {
        S3Client s3;
        try {
            s3 = S3Clients.build(settings);
        } catch (SdkException e) {
            throw new BlobStoreException("cannot set up the blob store " + settings.describe() + ": "
                    + S3Errors.describe(e), e);
        }
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            s3.close();
            throw new BlobStoreException("the blob store " + settings.describe() + " cannot be used: "
                    + (e.statusCode() == 404 ? "the bucket '" + settings.bucket() + "' does not exist (create it"
                    + " first; ttyaudit does not create buckets)" : S3Errors.describe(e)), e);
        } catch (SdkException e) {
            s3.close();
            throw new BlobStoreException("the blob store " + settings.describe() + " cannot be reached: "
                    + S3Errors.describe(e), e);
        }
        return new S3BlobStore(settings, s3);
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        checkOpen();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            BlobKeys.check(e.getKey());
            if (e.getValue() == null) {
                throw new BlobStoreException("no bytes (null) for blob " + e.getKey());
            }
        }
        if (entries.size() == 1) {
            Map.Entry<String, byte[]> only = entries.entrySet().iterator().next();
            putObject(only.getKey(), only.getValue());
            return;
        }
        List<CompletableFuture<Void>> puts = new ArrayList<>(entries.size());
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String key = e.getKey();
            byte[] bytes = e.getValue();   // RequestBody copies it; and no PUT is in flight once we return
            try {
                puts.add(CompletableFuture.runAsync(() -> putObject(key, bytes), io));
            } catch (RejectedExecutionException closedMeanwhile) {
                puts.add(CompletableFuture.failedFuture(closedError()));
            }
        }
        BlobBatches.awaitAll(puts);
    }

    private void putObject(String key, byte[] bytes) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(settings.objectKey(key))
                .contentLength((long) bytes.length)
                .contentType("application/octet-stream")
                .contentMD5(Base64.getEncoder().encodeToString(digest("MD5", bytes)))
                .metadata(Map.of(SHA256_METADATA, HexFormat.of().formatHex(digest("SHA-256", bytes))));
        switch (settings.encryption()) {
            case AES256 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case KMS -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(settings.kmsKeyId());
            case NONE -> { }
        }
        try {
            s3.putObject(request.build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("storing blob " + key, key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        checkOpen();
        BlobKeys.check(key);
        for (int attempt = 1; ; attempt++) {
            Optional<ResponseBytes<GetObjectResponse>> object = getObject(key);
            if (object.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = object.get().asByteArray();
            String expected = object.get().response().metadata().get(SHA256_METADATA);
            if (expected == null || expected.equalsIgnoreCase(HexFormat.of().formatHex(digest("SHA-256", bytes)))) {
                return Optional.of(bytes);
            }
            // Some S3-compatible servers (s3proxy's file backends) read an object's bytes and its metadata
            // separately, so a GET racing a PUT of the same key can pair old bytes with new metadata: read again.
            // Corruption stays (as do the torn objects of a server that writes in place); only then is it an error.
            if (attempt == READS_BEFORE_CORRUPT) {
                throw new BlobStoreException("reading blob " + key + " (" + where(key) + ") failed: its bytes do"
                        + " not match the SHA-256 stored with them — the object was corrupted or replaced");
            }
        }
    }

    private Optional<ResponseBytes<GetObjectResponse>> getObject(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(settings.bucket())
                    .key(settings.objectKey(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && isMissingKey(e)) {
                return Optional.empty();
            }
            throw failure("reading blob " + key, key, e);
        } catch (SdkException e) {
            throw failure("reading blob " + key, key, e);
        }
    }

    @Override
    public void delete(String key) {
        checkOpen();
        BlobKeys.check(key);
        try {
            // S3 answers 204 whether or not the object was there: idempotent as the contract wants
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(settings.objectKey(key)));
        } catch (SdkException e) {
            throw failure("deleting blob " + key, key, e);
        }
    }

    /** Waits for the PUTs in flight, then closes the connections; later calls fail. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        io.shutdown();
        try {
            io.awaitTermination(settings.requestTimeout().toMillis() * settings.maxAttempts(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s3.close();
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private BlobStoreException closedError() {
        return new BlobStoreException("the blob store " + settings.describe() + " is closed");
    }

    /** A 404 of the key, not of the bucket (a bucket deleted under a running server is an error, not "no blob"). */
    private static boolean isMissingKey(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null || code.equals("NoSuchKey");
    }

    private String where(String key) {
        return settings.location() + key + " at "
                + (settings.endpoint() != null ? settings.endpoint() : "AWS region " + settings.region());
    }

    private BlobStoreException failure(String what, String key, SdkException e) {
        return new BlobStoreException(what + " (" + where(key) + ") failed: " + S3Errors.describe(e), e);
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
