package org.ttyaudit.server.blob.fs;

import org.ttyaudit.server.blob.BlobStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The child process of {@link DirectoryBlobStoreKillTest}: puts batches of blobs (each its own content, some
 * replacing earlier ones) and prints each batch number once {@code putAll} has returned, until it is killed.
 */
public final class BlobCrashWriter {
    static final int BATCH = 8;

    private BlobCrashWriter() {
    }

    /** Blob {@code j} of batch {@code i}: its own text, of a length that differs from batch to batch. */
    static byte[] content(int i, int j) {
        return ("batch " + i + " blob " + j + " ").repeat(1 + (i * 31 + j) % 300).getBytes(StandardCharsets.UTF_8);
    }

    static String key(int i, int j) {
        return "sessions/s" + (i % 5) + "/" + i + "-" + j;
    }

    public static void main(String[] args) {
        BlobStore blobs = DirectoryBlobStore.open(Path.of(args[0]));
        for (int i = 0; i < 1_000_000; i++) {
            Map<String, byte[]> batch = new HashMap<>();
            for (int j = 0; j < BATCH; j++) {
                batch.put(key(i, j), content(i, j));
            }
            // and one key replaced by every batch: after the kill it holds one whole version
            batch.put("latest", content(i, 99));
            blobs.putAll(batch);
            System.out.println(i);
            System.out.flush();
        }
    }
}
