package org.ttyaudit.server.blob;

import java.util.Map;
import java.util.Optional;

/**
 * Where chunk payloads live: immutable byte strings under string keys ({@code sessions/<id>/<seq>}: letters,
 * digits, {@code - _ . /}, no {@code .} or {@code ..} segment, no empty segment (leading, trailing or double
 * slash), at most 512 characters, at most 200 per segment; any other key is a {@link BlobStoreException} naming
 * it; {@link BlobKeys}). A key must not be a prefix directory of another key ({@code a} and {@code a/b}): callers
 * never make such keys; the directory store, and S3 servers backed by a file system, refuse the second one.
 * Implementations: a local directory (default, {@code blob.fs}) and S3-compatible storage ({@code blob.s3}),
 * picked by {@link BlobSettings}; both pass {@code BlobStoreContract} in this module's test jar.
 *
 * <p>Thread-safe. Failures are {@link BlobStoreException}s.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores every entry; when this returns, all of them are durable (they survive kill -9 and, as far as the
     * storage honours fsync, a power loss). Putting a key again with the same bytes is a no-op; with different
     * bytes it replaces them (only a writer that lost its acknowledgement does that, before the row that refers
     * to the key was committed). Batches let an implementation pay for durability once per batch. When it
     * throws, no entry is partly stored, but some entries may be stored whole. Every key is checked before
     * anything is written.
     */
    void putAll(Map<String, byte[]> entries);

    default void put(String key, byte[] bytes) {
        putAll(Map.of(key, bytes));
    }

    /** The bytes under {@code key}, or empty when there are none; a blob that cannot be read is an exception. */
    Optional<byte[]> get(String key);

    /** Removes the key (a no-op when absent); retention uses it. */
    void delete(String key);

    @Override
    void close();
}
