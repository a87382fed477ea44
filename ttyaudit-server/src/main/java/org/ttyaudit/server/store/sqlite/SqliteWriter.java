package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlWriter;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one connection that writes, and the lock that makes writes one at a time. Each {@link #transaction} is
 * {@code BEGIN IMMEDIATE … COMMIT}: the write lock of the file is taken up front, so a transaction never fails
 * half-way because another one got there first, and its reads are consistent with its writes.
 *
 * <p>Thread-safe. A transaction that throws is rolled back and the exception rethrown as it is (an
 * {@link SQLException} becomes a {@link StoreException} naming the operation).
 */
final class SqliteWriter implements SqlWriter, AutoCloseable {
    private final SqliteConnection connection;
    // fair: a steady stream of ingest writes must not starve an admin's account change
    private final ReentrantLock lock = new ReentrantLock(true);
    private boolean closed;

    SqliteWriter(SqliteConnection connection) {
        this.connection = connection;
    }

    /** Runs {@code work} as one durable transaction; {@code what} names it in error messages. */
    @Override
    public <T> T transaction(String what, Sql.Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            // SQLite has no nested transactions; a nested call would otherwise commit the outer work half-done
            throw new IllegalStateException("a write was started inside a write; use the transaction you were given");
        }
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("the store is closed");
            }
            try {
                connection.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                throw Sql.failure(what + ": starting the transaction", e);
            }
            T result;
            try {
                result = work.run(connection);
            } catch (SQLException e) {
                StoreException failure = Sql.failure(what, e);
                rollBack(failure);
                throw failure;
            } catch (Throwable e) {
                // Throwable, not RuntimeException: a checked exception thrown sneakily must not leave the
                // transaction open for the next work to commit
                rollBack(e);
                throw e;
            }
            try {
                connection.execute("COMMIT");
            } catch (SQLException e) {
                StoreException failure = Sql.failure(what + ": commit", e);
                rollBack(failure);
                throw failure;
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void rollBack(Throwable cause) {
        try {
            connection.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite already rolled back by itself after some errors (a full disk, an I/O error)
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Waits for the running transaction, then closes the connection; later transactions fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
