package org.ttyaudit.server.store;

import org.ttyaudit.server.cluster.Coordination;

/**
 * The server's database, split by job: one way to write ({@link #write}), and separate read interfaces for
 * sessions, the ledger, the audit log, accounts and the notification outbox. Implementations: SQLite (embedded,
 * default) and PostgreSQL (several instances sharing one database); both pass the contract suite in this module's
 * test jar ({@code StoreContract}).
 *
 * <p>Chunk payloads are not kept here but in a {@link org.ttyaudit.server.blob.BlobStore}; rows refer to them by key.
 *
 * <p>Thread-safe. Reads see only committed writes. Failures are {@link StoreException}s.
 */
public interface Store extends AutoCloseable {

    /**
     * Runs {@code work} in one transaction. When this returns, everything the work wrote is committed and durable
     * (it survives kill -9 of the process and, as far as the storage underneath honours fsync, a power loss).
     * When the work throws, nothing it wrote is kept and the exception is rethrown (unchecked ones as they are).
     * Writes are serialised: the work sees the effects of every write that committed before it started, and no
     * other write runs in between, so read-check-write inside one work is safe (e.g. "is this chunk the next
     * one?", "what is the ledger's size?").
     */
    <T> T write(WriteWork<T> work);

    SessionQueries sessions();

    LedgerReader ledger();

    AuditQueries audit();

    AlertQueries alerts();

    AccountStore accounts();

    /** Prune candidates, legal holds and storage statistics (docs/RETENTION.md). */
    RetentionQueries retention();

    /** Alert notifications waiting for delivery (queued by {@link WriteTransaction#enqueueNotification}). */
    NotificationOutbox notifications();

    /** Forwarders' cursors and the reads of the forwarding feed. */
    ForwardingStore forwarding();

    /**
     * How the server instances sharing this store coordinate (leadership, messages); for a store that one
     * instance has to itself, {@link Coordination#single()}. Closed with the store.
     */
    default Coordination coordination() {
        return Coordination.single();
    }

    @Override
    void close();

    /** A unit of work for {@link #write}. */
    @FunctionalInterface
    interface WriteWork<T> {
        T run(WriteTransaction tx);
    }
}
