package org.ttyaudit.server.blob;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test decorator after Teleport's "flaky" uploader: the first {@code putAll} that holds a key never seen
 * before fails, storing nothing; putting the same keys again succeeds. Code that writes blobs (ingest) is tested
 * with it to show that a failed put is retried or reported, never taken for stored.
 *
 * <p>Thread-safe.
 */
public final class FlakyBlobStore implements BlobStore {
    private final BlobStore delegate;
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();

    public FlakyBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    /** How many puts failed on purpose so far. */
    public int failures() {
        return failures.get();
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        boolean fresh = false;
        for (String key : entries.keySet()) {
            fresh |= failedOnce.add(key);
        }
        if (fresh) {
            failures.incrementAndGet();
            throw new BlobStoreException("flaky on purpose: the first put of " + entries.keySet() + " fails");
        }
        delegate.putAll(entries);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return delegate.get(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
