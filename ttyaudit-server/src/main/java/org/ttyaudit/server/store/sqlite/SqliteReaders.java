package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlReaders;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool of query-only connections. In WAL mode a reader sees the last committed state and never waits for
 * the writer, so queries run beside a long write. Each statement is its own read transaction, unless a caller
 * brackets several with {@code BEGIN}/{@code COMMIT} for one consistent snapshot.
 *
 * <p>Thread-safe: a connection is used by one thread at a time. When every connection is busy, a read waits up
 * to {@link #BORROW_TIMEOUT_SECONDS} seconds for one, then fails.
 */
final class SqliteReaders implements SqlReaders, AutoCloseable {
    static final int BORROW_TIMEOUT_SECONDS = 30;

    private final BlockingQueue<SqliteConnection> idle;
    private final List<SqliteConnection> all = new ArrayList<>();
    private volatile boolean closed;

    SqliteReaders(Path file, int size) throws SQLException {
        this(file, size, false);
    }

    /** @param readOnly connections opened with SQLite's read-only flag ({@link SqliteConnection#openReadOnly}) */
    SqliteReaders(Path file, int size, boolean readOnly) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                SqliteConnection c = readOnly ? SqliteConnection.openReadOnly(file) : SqliteConnection.open(file,
                        false);
                all.add(c);
                idle.add(c);
            }
        } catch (SQLException e) {
            all.forEach(SqliteConnection::close);
            throw e;
        }
    }

    /** Runs {@code work} on a free connection; {@code what} names it in error messages. */
    @Override
    public <T> T read(String what, Sql.Work<T> work) {
        SqliteConnection c = borrow();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.failure(what, e);
        } finally {
            giveBack(c);
        }
    }

    private SqliteConnection borrow() {
        if (closed) {
            throw new StoreException("the store is closed");
        }
        SqliteConnection c;
        try {
            c = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection");
        }
        if (c == null) {
            throw new StoreException("no database connection became free within " + BORROW_TIMEOUT_SECONDS + " s");
        }
        return c;
    }

    private void giveBack(SqliteConnection c) {
        if (closed) {
            c.close();
        } else {
            idle.add(c);
            if (closed && idle.remove(c)) {
                c.close();  // close() ran between the check and the add
            }
        }
    }

    /** Closes idle connections now and busy ones when their read ends. */
    @Override
    public void close() {
        closed = true;
        SqliteConnection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
