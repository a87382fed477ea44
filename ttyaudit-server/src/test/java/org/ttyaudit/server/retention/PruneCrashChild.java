package org.ttyaudit.server.retention;

import org.ttyaudit.server.blob.BlobStore;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVM of {@link PruneCrashTest}: prunes the data directory {@code args[0]} at the time {@code args[1]}
 * with the policy {@link PruneCrashTest#POLICY}, printing a line after each blob it deletes and pausing there, so
 * that the parent can kill it with SIGKILL between a committed prune and the end of its blob deletions.
 */
public final class PruneCrashChild {
    private PruneCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        try (RetentionFixture f = new RetentionFixture(Path.of(args[0]), Instant.parse(args[1]))) {
            BlobStore slow = new SlowDeletes(f.blobs);
            System.out.println("started");
            new Pruner(f.store, slow, f.ledger, f.audit, RetentionFixture.settings(PruneCrashTest.POLICY), f.clock)
                    .pruneAll();
            System.out.println("done");
        }
    }

    /** Deletes, says so, then waits long enough for the parent's kill to land before the next delete. */
    private record SlowDeletes(BlobStore inner) implements BlobStore {
        @Override
        public void putAll(Map<String, byte[]> entries) {
            inner.putAll(entries);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return inner.get(key);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
            System.out.println("deleted " + key);
            System.out.flush();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
