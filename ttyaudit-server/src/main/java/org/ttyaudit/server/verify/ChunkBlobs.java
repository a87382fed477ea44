package org.ttyaudit.server.verify;

import org.ttyaudit.server.blob.BlobStore;

import java.util.Optional;

/**
 * Where the verifier reads chunk bytes, and how it names a blob in a problem line (for the directory blob store:
 * the file's path relative to the data directory, e.g. {@code blobs/sessions/<id>/3.chunk}).
 */
public interface ChunkBlobs {

    /** The bytes under {@code key}, empty when there are none; an unreadable blob is a runtime exception. */
    Optional<byte[]> read(String key);

    /** How to name the blob under {@code key} in a message. */
    String location(String key);

    /** Reads from {@code store}, naming a blob by {@code locationPrefix} + its key. */
    static ChunkBlobs of(BlobStore store, String locationPrefix) {
        return new ChunkBlobs() {
            @Override
            public Optional<byte[]> read(String key) {
                return store.get(key);
            }

            @Override
            public String location(String key) {
                return locationPrefix + key;
            }
        };
    }

    /** No blob at all (a data directory whose blob directory is missing): every chunk's blob is missing. */
    static ChunkBlobs none(String locationPrefix) {
        return new ChunkBlobs() {
            @Override
            public Optional<byte[]> read(String key) {
                return Optional.empty();
            }

            @Override
            public String location(String key) {
                return locationPrefix + key;
            }
        };
    }
}
