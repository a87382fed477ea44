package org.ttyaudit.server.store.sqlite;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JDBC connection to the database file with the store's settings, and a cache of its prepared statements
 * (the store runs the same few dozen statements over and over).
 *
 * <p>Not thread-safe: one thread at a time, which {@link SqliteWriter}'s lock and {@link SqliteReaders}' pool
 * guarantee. Callers close every {@link ResultSet} they open, so that no read transaction stays open.
 */
final class SqliteConnection implements SqlConnection, AutoCloseable {
    /** How long a connection waits for a lock another connection holds (a checkpoint, a recovery) before failing. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Connection connection;
    /** Dynamic SQL (filters, IN lists) has a few hundred shapes at most; the least recently used are closed. */
    private static final int MAX_STATEMENTS = 200;

    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_STATEMENTS) {
                return false;
            }
            try {
                eldest.getValue().close();
            } catch (SQLException ignored) {
                // a statement that cannot close is finalised with the connection
            }
            return true;
        }
    };

    private SqliteConnection(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens a connection. The writer sets WAL mode (persistent in the file) and full synchronisation, so a commit
     * is on disk when it returns; readers are query-only, so a bug cannot write behind the writer's lock.
     */
    static SqliteConnection open(Path file, boolean writer) throws SQLException {
        return open(file, writer, false);
    }

    /**
     * Opens a connection that cannot write at all (SQLite's read-only open flag, and query-only), for checking a
     * database without changing it ({@link SqliteStore#openReadOnly}).
     */
    static SqliteConnection openReadOnly(Path file) throws SQLException {
        return open(file, false, true);
    }

    /**
     * Opens the connection of {@link SqliteCheckpointer}: it may write (a checkpoint writes the database file) but
     * runs no statement other than {@code PRAGMA wal_checkpoint}.
     */
    static SqliteConnection openCheckpointer(Path file) throws SQLException {
        return open(file, false, false, true);
    }

    private static SqliteConnection open(Path file, boolean writer, boolean readOnly) throws SQLException {
        return open(file, writer, readOnly, false);
    }

    private static SqliteConnection open(Path file, boolean writer, boolean readOnly, boolean checkpointer)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // synchronous=FULL: in WAL mode, NORMAL may lose the last commits on power loss; we promise they survive.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        SqliteConnection c = new SqliteConnection(DriverManager.getConnection("jdbc:sqlite:" + file,
                config.toProperties()));
        try {
            if (writer) {
                String mode = c.queryString("PRAGMA journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("the database " + file + " cannot use WAL mode (journal mode is " + mode
                            + "); is it on a network file system?");
                }
                // after a checkpoint, keep the WAL file from staying at its largest size forever
                c.execute("PRAGMA journal_size_limit = 67108864");
                // Checkpoints are SqliteCheckpointer's, off the commit path; this is the backstop that bounds the WAL.
                c.execute("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.WRITER_FALLBACK_PAGES);
                // The single writer revisits the same index pages (sessions, ledger, FTS5 segments) in every group
                // commit; SQLite's default cache (2 MiB) made it re-read them from the OS on each (pread was a
                // fifth of the committer's CPU). Bounded: 64 MiB for the one writer connection.
                c.execute("PRAGMA cache_size = -65536");
                // the durability promise rests on these two; a driver that ignored the settings must not start
                if (!"2".equals(c.queryString("PRAGMA synchronous"))
                        || !"1".equals(c.queryString("PRAGMA foreign_keys"))) {
                    throw new SQLException("the database " + file + " did not accept synchronous=FULL and"
                            + " foreign_keys=ON");
                }
            } else if (!checkpointer) {
                c.execute("PRAGMA query_only = ON");
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A cached statement for {@code sql}; its parameters are rebound by every use. */
    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs statements that return no rows (several may be separated by semicolons). */
    @Override
    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** The first column of the first row of a query, or null when it has no row. */
    @Override
    public String queryString(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public Violation violation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                return Violation.UNIQUE;
            }
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
                return Violation.FOREIGN_KEY;
            }
        }
        return Violation.OTHER;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing the connection below releases it anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing useful to do: the file is consistent whatever happens to this handle
        }
    }
}
