package org.ttyaudit.server.store.sqlite;

import org.sqlite.SQLiteConfig;
import org.ttyaudit.server.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store opened for copying it elsewhere ({@code ttyaudit migrate}): one connection that holds
 * SQLite's EXCLUSIVE lock on the database file for as long as it is open, and runs only queries.
 *
 * <p>Why that lock: every connection of a running server holds a SHARED lock on the file (in WAL mode, from its
 * first read until it closes), so taking EXCLUSIVE fails at once while a server has the store open, and a server
 * started during the copy cannot open it (its first read waits, then fails). In exclusive locking mode SQLite
 * keeps the WAL index in this process's memory and needs no {@code -shm} file.
 *
 * <p>Nothing is written: the connection is {@code query_only}. It cannot be opened read-only, because a POSIX
 * write lock (EXCLUSIVE) needs a file opened for writing; the one thing SQLite may then do is what the server's
 * own last connection does when it stops: when this connection closes, fold a WAL left by a killed server into
 * the database file (the same rows, in the file instead of beside it). After a clean stop there is no such WAL
 * and the database file is not touched.
 *
 * <p>Not thread-safe: one thread reads through {@link #jdbc()}.
 */
public final class SqliteExport implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    private SqliteExport(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens and locks {@code databaseFile}, and checks it has this version's schema.
     *
     * @throws StoreException when it is missing, in use by another process (a running server), not a ttyaudit
     *                        database, or of another schema version
     */
    public static SqliteExport open(Path databaseFile) {
        Path file = databaseFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new StoreException("cannot open the database " + file + ": no such file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        config.setBusyTimeout(0);
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = ON");
                // the first read takes the lock
                s.executeQuery("SELECT count(*) FROM sqlite_master").close();
            } catch (SQLException e) {
                if (isBusy(e)) {
                    throw new StoreException("the database " + file + " is in use by another process: stop the"
                            + " ttyaudit server that runs on it (and anything else that has it open) first");
                }
                throw new StoreException("cannot read the database " + file + ": " + e.getMessage(), e);
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
                int version = rs.next() ? rs.getInt(1) : 0;
                if (version != SqliteSchema.VERSION) {
                    throw new StoreException("the database " + file + " has schema version " + version + ", this"
                            + " version reads " + SqliteSchema.VERSION + (version < SqliteSchema.VERSION
                            ? "; start this version's server on it once to migrate it, stop it, then copy it"
                            : "; use a newer ttyaudit"));
                }
            } catch (SQLException e) {
                throw new StoreException("the database " + file + " is not a ttyaudit database: "
                        + e.getMessage(), e);
            }
            return new SqliteExport(file, c);
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static boolean isBusy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked");
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The locked read-only connection (auto-commit; every statement sees the same, unchanging data). */
    public Connection jdbc() {
        return connection;
    }

    /** The names of the tables in the file (virtual tables and FTS5's shadow tables included), sorted. */
    public List<String> tables() {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot list the tables of " + file + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** The columns of {@code table}, in their order. */
    public List<String> columns(String table) {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot list the columns of " + table + " in " + file + ": " + e.getMessage(),
                    e);
        }
        return names;
    }

    /** Closes the connection, which releases the lock. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database " + file + ": " + e.getMessage(), e);
        }
    }
}
