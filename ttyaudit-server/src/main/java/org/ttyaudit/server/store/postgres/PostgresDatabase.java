package org.ttyaudit.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlReaders;
import org.ttyaudit.server.store.jdbc.SqlWriter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections to one PostgreSQL database: a pool for reads and a small one for writes, so that reads never
 * wait for a connection that a queue of writes holds.
 *
 * <p>Writes ({@link #transaction}) are serialised twice: within this process by a fair lock (a write waits here,
 * not holding a connection), and across every process that shares the database by the transaction-level advisory
 * lock {@link #WRITE_LOCK}, taken as the first statement of each write transaction and released by its commit or
 * rollback. A write therefore sees every write that committed before it took the lock (each statement of a READ
 * COMMITTED transaction reads the latest committed state), and no other write commits in between: the guarantee of
 * {@link org.ttyaudit.server.store.Store#write}, which the ledger (one append at the next index), the commit points
 * of chunks and the arrival order of search hits all rely on. Every commit waits for the WAL flush
 * ({@code synchronous_commit = on} is set on each connection, whatever the server's default).
 *
 * <p>Reads run with autocommit (each statement its own snapshot) or, with {@link #readSnapshot}, in one
 * read-only REPEATABLE READ transaction.
 *
 * <p>Thread-safe.
 */
final class PostgresDatabase implements SqlReaders, SqlWriter, AutoCloseable {
    /**
     * The advisory lock key of ttyaudit's writes ("ttyaudit" as ASCII bytes). Other applications in the same
     * database must not use it.
     */
    static final long WRITE_LOCK = 0x7474_7961_7564_6974L;
    /** Writes are serialised; one connection does them, a second serves migrations and maintenance beside it. */
    private static final int WRITE_CONNECTIONS = 2;
    static final int LOCK_TIMEOUT_SECONDS = 30;

    private final String displayUrl;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    // fair: a steady stream of ingest writes must not starve an admin's account change
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Per instance, not static: it guards against a write started inside a write of this store. */
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);

    private PostgresDatabase(String displayUrl, HikariDataSource readPool, HikariDataSource writePool) {
        this.displayUrl = displayUrl;
        this.readPool = readPool;
        this.writePool = writePool;
    }

    /**
     * Connects; fails when the database cannot be reached or refuses the credentials.
     *
     * @throws StoreException naming the database (without credentials) and the driver's reason
     */
    static PostgresDatabase connect(PostgresSettings settings) {
        HikariDataSource reads = null;
        try {
            reads = new HikariDataSource(config(settings, "ttyaudit-read", settings.poolSize(),
                    "SET synchronous_commit = on"));
            // a writer waits for the write lock at most this long: an instance that hangs holding it (a stopped
            // process, a stuck network) makes the others' writes fail and be retried, not wait for ever
            HikariDataSource writes = new HikariDataSource(config(settings, "ttyaudit-write", WRITE_CONNECTIONS,
                    "SET synchronous_commit = on; SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'"));
            return new PostgresDatabase(settings.displayUrl(), reads, writes);
        } catch (RuntimeException e) {
            if (reads != null) {
                reads.close();
            }
            throw new StoreException("cannot connect to the database " + settings.displayUrl() + ": "
                    + rootMessage(e), e);
        }
    }

    private static HikariConfig config(PostgresSettings settings, String name, int size, String initSql) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(settings.jdbcUrl());
        c.setUsername(settings.user());
        c.setPassword(settings.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setAutoCommit(true);
        c.setConnectionInitSql(initSql);
        settings.driverProperties().forEach(c::addDataSourceProperty);
        return c;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    String displayUrl() {
        return displayUrl;
    }

    @Override
    public <T> T read(String what, Sql.Work<T> work) {
        try (Connection jdbc = readPool.getConnection()) {
            PostgresConnection c = new PostgresConnection(jdbc);
            try {
                return work.run(c);
            } finally {
                c.release();
            }
        } catch (SQLException e) {
            throw Sql.failure(what, e);
        }
    }

    /** As {@link #read}, with every statement of {@code work} reading one snapshot. */
    <T> T readSnapshot(String what, Sql.Work<T> work) {
        return read(what, c -> {
            Connection jdbc = ((PostgresConnection) c).jdbc();
            jdbc.setAutoCommit(false);
            try {
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                return work.run(c);
            } finally {
                jdbc.rollback();
                jdbc.setAutoCommit(true);
            }
        });
    }

    @Override
    public <T> T transaction(String what, Sql.Work<T> work) {
        if (writing.get()) {
            // a nested write would need a second connection and wait forever for the lock this thread holds
            throw new IllegalStateException("a write was started inside a write; use the transaction you were given");
        }
        writeLock.lock();
        writing.set(true);
        try (Connection jdbc = writePool.getConnection()) {
            return inTransaction(what, jdbc, work);
        } catch (SQLException e) {
            throw Sql.failure(what + ": getting a connection", e);
        } finally {
            writing.set(false);
            writeLock.unlock();
        }
    }

    private static <T> T inTransaction(String what, Connection jdbc, Sql.Work<T> work) throws SQLException {
        PostgresConnection c = new PostgresConnection(jdbc);
        jdbc.setAutoCommit(false);
        try {
            T result;
            try {
                c.queryString("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                result = work.run(c);
            } catch (SQLException e) {
                StoreException failure = Sql.failure(what, e);
                rollBack(jdbc, failure);
                throw failure;
            } catch (Throwable e) {
                // Throwable: a checked exception thrown sneakily must not leave the transaction to be committed
                rollBack(jdbc, e);
                throw e;
            }
            try {
                jdbc.commit();
            } catch (SQLException e) {
                StoreException failure = Sql.failure(what + ": commit", e);
                rollBack(jdbc, failure);
                throw failure;
            }
            return result;
        } finally {
            c.release();
            jdbc.setAutoCommit(true);
        }
    }

    private static void rollBack(Connection jdbc, Throwable cause) {
        try {
            jdbc.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Waits for running work's connections to come back, then closes both pools. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            writePool.close();
        } finally {
            writeLock.unlock();
        }
        readPool.close();
    }
}
