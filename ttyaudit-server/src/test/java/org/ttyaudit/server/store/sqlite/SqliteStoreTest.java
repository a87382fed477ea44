package org.ttyaudit.server.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreContract;
import org.ttyaudit.server.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;
import static org.ttyaudit.server.store.TestData.sessionId;

/** The store contract on SQLite, and what is particular to SQLite: the file, its schema version, nanoseconds. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.db");
    }

    @Override
    protected Store openStore() {
        return SqliteStore.open(file());
    }

    @Test
    void aNewDatabaseIsInWalModeAndReadableOnlyByItsOwner() throws Exception {
        start(header().build());
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = Path.of(file() + suffix);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-------");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        start(header().build());   // the schema and a first commit
        Path wal = Path.of(file() + "-wal");
        long before = Files.size(file());
        // about 1.5 MB of WAL: under SQLite's own 4 MiB threshold and the writer's backstop, so only the
        // background checkpointer moves these pages into the database file
        store.write(tx -> {
            for (int i = 0; i < 3000; i++) {
                // no tags: their session_tags rows would take the WAL past the 4 MiB this test must stay under
                tx.insertSession(newSession(header().id(sessionId(i, i)).tags(java.util.Map.of()).build(), "host-1", 0));
            }
            return null;
        });
        assertThat(Files.size(wal)).isLessThan(4L << 20);

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (Files.size(file()) < before + 1_000_000 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.size(file())).as("the database file after the checkpoint").isGreaterThan(before + 1_000_000);
        assertThat(store.sessions().get(sessionId(2999, 2999))).isPresent();
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefusedClearly() throws Exception {
        store.close();
        store = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE schema_version SET version = " + (SqliteSchema.VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteStore.open(file())).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + (SqliteSchema.VERSION + 1))
                .hasMessageContaining("newer than this server's " + SqliteSchema.VERSION)
                .hasMessageContaining(file().toString());
    }

    @Test
    void reopeningKeepsTheSchemaVersion() throws Exception {
        reopen();
        reopen();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(SqliteSchema.VERSION);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws Exception {
        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "this is not a database, just some text that is long enough ".repeat(20));

        assertThatThrownBy(() -> SqliteStore.open(other)).isInstanceOf(StoreException.class)
                .hasMessageContaining(other.toString());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = dir.resolve("no/such/dir/store.db");

        assertThatThrownBy(() -> SqliteStore.open(missing)).isInstanceOf(StoreException.class)
                .hasMessageContaining("does not exist").hasMessageContaining(missing.getParent().toString());
    }

    @Test
    void instantsRoundTripToTheNanosecond() {
        Instant precise = Instant.parse("2024-05-01T12:00:00.123456789Z");
        SessionRecord s = start(header().startedAt(precise).build());

        assertThat(s.header().startedAt()).isEqualTo(precise);
        assertThat(store.sessions().list(new SessionFilter(null, null, precise.plusNanos(1), null, null), null, 5)
                .items()).isEmpty();
    }

    @Test
    void aReadOnlyStoreReadsEverythingAndChangesNothing() throws Exception {
        SessionRecord s = start(header().build());
        addChunks(s.id(), 2);
        store.close();
        store = null;
        byte[] before = Files.readAllBytes(file());

        try (SqliteStore readOnly = SqliteStore.openReadOnly(file())) {
            assertThat(readOnly.sessions().get(s.id())).get().extracting(SessionRecord::committedSeq).isEqualTo(1L);
            assertThat(readOnly.ledger().size()).isEqualTo(3);
            assertThatThrownBy(() -> readOnly.write(tx -> null)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> readOnly.accounts().putSetting("k", "v")).isInstanceOf(StoreException.class);
        }

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        try (SqliteStore again = SqliteStore.open(file())) {
            assertThat(again.accounts().setting("k")).isEmpty();
        }
    }

    @Test
    void aReadOnlyStoreNeedsAnExistingDatabaseOfThisSchemaVersion() throws Exception {
        Path missing = dir.resolve("missing.db");
        assertThatThrownBy(() -> SqliteStore.openReadOnly(missing)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no such file").hasMessageContaining(missing.toString());
        assertThat(missing).doesNotExist();

        Path empty = dir.resolve("empty.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + empty);
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t (x INTEGER)");
        }
        assertThatThrownBy(() -> SqliteStore.openReadOnly(empty)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a ttyaudit database");

        store.close();
        store = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE schema_version SET version = " + (SqliteSchema.VERSION + 1));
        }
        assertThatThrownBy(() -> SqliteStore.openReadOnly(file())).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version " + (SqliteSchema.VERSION + 1));
    }
}
