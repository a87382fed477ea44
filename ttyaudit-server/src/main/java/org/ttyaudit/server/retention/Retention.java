package org.ttyaudit.server.retention;

import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.background.RoundWorker;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.Store;

import java.time.Clock;

/**
 * Retention as the server runs it: its settings, the legal holds, and the pruning job on its own thread, which
 * runs a round at start (deleting blobs a crash left) and then every {@code prune_every}, round after round while
 * sessions are due. Close it before the stores.
 */
public final class Retention implements AutoCloseable {
    private final RetentionSettings settings;
    private final LegalHolds holds;
    private final Pruner pruner;
    private final RoundWorker worker;

    public Retention(RetentionSettings settings, Store store, BlobStore blobs, Ledger ledger, AuditLog audit,
                     Clock clock) {
        this.settings = settings;
        this.holds = new LegalHolds(store, audit, clock);
        this.pruner = new Pruner(store, blobs, ledger, audit, settings, clock);
        this.worker = new RoundWorker("ttyaudit-retention", "pruning by retention", pruner::round,
                settings.pruneEvery());
    }

    public Retention start() {
        return start(Leadership.ALONE);
    }

    /** Starts the pruning thread; it prunes only while this instance leads the fleet. */
    public Retention start(Leadership leadership) {
        worker.start(leadership);
        return this;
    }

    public RetentionSettings settings() {
        return settings;
    }

    public LegalHolds holds() {
        return holds;
    }

    public Pruner pruner() {
        return pruner;
    }

    /** Stops the job after its current round. */
    @Override
    public void close() {
        worker.close();
    }
}
