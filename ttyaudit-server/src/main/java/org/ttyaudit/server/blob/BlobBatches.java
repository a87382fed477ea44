package org.ttyaudit.server.blob;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** What every {@link BlobStore#putAll} that writes in parallel shares: waiting for all of a batch's writes. */
public final class BlobBatches {
    private BlobBatches() {
    }

    /**
     * Waits for every task, then rethrows the first failure: when it returns or throws, no write of the batch is
     * still running (a caller that retries a failed batch never races its own earlier writes).
     */
    public static void awaitAll(List<CompletableFuture<Void>> tasks) {
        RuntimeException first = null;
        for (CompletableFuture<Void> t : tasks) {
            try {
                t.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r
                            : new BlobStoreException("a blob write failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
