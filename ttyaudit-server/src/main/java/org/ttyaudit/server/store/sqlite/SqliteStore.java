package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.JdbcQueries;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;

/**
 * The embedded {@link Store}: one SQLite database file (WAL mode, {@code synchronous=FULL}, foreign keys on).
 * Writes go through one connection, one at a time ({@code BEGIN IMMEDIATE … COMMIT}); queries use a small pool of
 * query-only connections and never wait for a write. The schema is created or migrated when the store opens.
 *
 * <p>The file holds password and token hashes, so a new database is created with mode 0600 (SQLite gives its
 * {@code -wal} and {@code -shm} files the same mode).
 *
 * <p>Thread-safe. One process should open a database file at a time (SQLite would serialise two, but the second
 * process's writes would wait up to {@link SqliteConnection#BUSY_TIMEOUT_MILLIS} ms and then fail).
 */
public final class SqliteStore implements Store {
    /** Readers: the HTTP API's concurrent queries; more would only contend for the machine's cores. */
    private static final int READ_CONNECTIONS = 4;

    private final SqliteWriter writer;
    private final SqliteReaders readers;
    /** Null for a read-only store. */
    private final SqliteCheckpointer checkpointer;
    private final JdbcQueries queries;

    private final boolean readOnly;

    private SqliteStore(SqliteWriter writer, SqliteReaders readers, SqliteCheckpointer checkpointer,
                        boolean readOnly) {
        this.readOnly = readOnly;
        this.checkpointer = checkpointer;
        this.writer = writer;
        this.readers = readers;
        this.queries = new JdbcQueries(writer, readers, new SqliteSearch(readers),
                column -> "date(" + column + " / 1000000000, 'unixepoch')");
    }

    /**
     * Opens (creating when absent) the database at {@code databaseFile}, whose directory must exist.
     *
     * @throws StoreException when the file cannot be opened, is not a ttyaudit database that this version can
     *                        read (for example, a newer schema version), or the directory is missing
     */
    public static SqliteStore open(Path databaseFile) {
        Path file = databaseFile.toAbsolutePath();
        createPrivately(file);
        SqliteWriter writer = null;
        try {
            writer = new SqliteWriter(SqliteConnection.open(file, true));
            SqliteSchema.migrate(writer, file);
            // readers after the migration: they must never see a half-made schema
            SqliteReaders readers = new SqliteReaders(file, READ_CONNECTIONS);
            SqliteCheckpointer checkpointer;
            try {
                checkpointer = SqliteCheckpointer.start(file);
            } catch (SQLException e) {
                readers.close();
                throw e;
            }
            return new SqliteStore(writer, readers, checkpointer, false);
        } catch (SQLException e) {
            if (writer != null) {
                writer.close();
            }
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
    }

    /**
     * Opens an existing database so that nothing can change it: every connection is opened with SQLite's
     * read-only flag, the schema is checked but never migrated, and {@link #write} (and the account store's
     * changes) fail with a {@link StoreException}. For checking a store ({@code ttyaudit verify --data}) or a copy
     * of one. Reading a database in WAL mode still needs its {@code -shm} file, which SQLite creates beside the
     * database when it is missing (so the directory must be writable then); the database itself is untouched.
     *
     * @throws StoreException when the file does not exist, cannot be opened, or is not a ttyaudit database of
     *                        exactly this version's schema
     */
    public static SqliteStore openReadOnly(Path databaseFile) {
        Path file = databaseFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new StoreException("cannot open the database " + file + ": no such file");
        }
        SqliteWriter writer = null;
        try {
            // a writer on a read-only connection: the account store's changes then fail in SQLite, not halfway
            writer = new SqliteWriter(SqliteConnection.openReadOnly(file));
            SqliteReaders readers = new SqliteReaders(file, READ_CONNECTIONS, true);
            try {
                readers.read("checking the schema version of " + file, c -> {
                    SqliteSchema.requireCurrent(c, file);
                    return null;
                });
            } catch (RuntimeException e) {
                readers.close();
                throw e;
            }
            return new SqliteStore(writer, readers, null, true);
        } catch (SQLException e) {
            if (writer != null) {
                writer.close();
            }
            throw new StoreException("cannot open the database " + file + " read-only: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
    }

    private static void createPrivately(Path file) {
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new StoreException("cannot open the database " + file + ": the directory " + dir
                    + " does not exist");
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
            }
        } catch (FileAlreadyExistsException e) {
            // an existing database keeps the mode its administrator gave it
        } catch (IOException e) {
            throw new StoreException("cannot create the database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        if (readOnly) {
            throw new StoreException("the store is open read-only; nothing can be written");
        }
        return queries.write(work);
    }

    @Override
    public SessionQueries sessions() {
        return queries.sessions();
    }

    @Override
    public LedgerReader ledger() {
        return queries.ledger();
    }

    @Override
    public AuditQueries audit() {
        return queries.audit();
    }

    @Override
    public AlertQueries alerts() {
        return queries.alerts();
    }

    @Override
    public AccountStore accounts() {
        return queries.accounts();
    }

    @Override
    public RetentionQueries retention() {
        return queries.retention();
    }

    @Override
    public NotificationOutbox notifications() {
        return queries.notifications();
    }

    @Override
    public ForwardingStore forwarding() {
        return queries.forwarding();
    }

    /** Waits for a running write, then closes every connection; reads and writes after this fail. */
    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
        }
        readers.close();
        // last: the connection that closes last checkpoints the WAL into the database file
        writer.close();
    }
}
