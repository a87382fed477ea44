package org.ttyaudit.server.migrate;

import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.blob.BlobSettings;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.postgres.PostgresImport;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.store.postgres.PostgresStore;
import org.ttyaudit.server.store.sqlite.SqliteExport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a server's embedded store (SQLite {@code server.db} and the chunk files under {@code blobs/}) into a
 * PostgreSQL store, and the chunk bytes into the blob store the settings name (S3; with the default directory
 * store they stay where they are, since the server keeps its data directory for its ledger key). Steps:
 * <ol>
 *   <li>lock the source ({@link SqliteExport}: refused while a server runs on it; never changed);</li>
 *   <li>make the target schema by opening the {@link PostgresStore} (the server's own code), compare both with the
 *       {@link CopyPlan}, refuse a target that holds rows (unless it is this source's finished migration);</li>
 *   <li>copy the blobs (resumable, {@link BlobCopy}), then every table in one transaction ({@link RowCopy});</li>
 *   <li>check: rows per table, blobs, and the ledger against the latest signed head ({@link LedgerCheck}).</li>
 * </ol>
 */
public final class Migration {
    private final Path dataDir;
    private final PostgresSettings database;
    private final BlobSettings blobs;
    private final BlobSettings sourceBlobs;
    private final Clock clock;
    private final MigrationProgress progress;

    /**
     * @param blobs       where the target server keeps chunk bytes (the settings' {@code blobs:})
     * @param sourceBlobs where the source server keeps them (its own server.yaml's {@code blobs:})
     */
    public Migration(Path dataDir, PostgresSettings database, BlobSettings blobs, BlobSettings sourceBlobs,
                     Clock clock, MigrationProgress progress) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.database = database;
        this.blobs = blobs;
        this.sourceBlobs = sourceBlobs;
        this.clock = clock;
        this.progress = progress;
    }

    /** What was copied and checked. */
    public record Report(Map<String, Long> rows, long blobs, String blobPlace, String ledger, boolean resumed) {
    }

    /**
     * @throws MigrationException when the migration is refused or a check fails
     * @throws StoreException     when a database cannot be opened or fails (named, never its password)
     * @throws org.ttyaudit.server.blob.BlobStoreException when a blob store fails
     */
    public Report run() {
        Path db = dataDir.resolve(AuditServer.DATABASE);
        if (!Files.isRegularFile(db)) {
            throw new MigrationException(dataDir + " is not a ttyaudit server's data directory: it has no "
                    + AuditServer.DATABASE);
        }
        try (SqliteExport source = SqliteExport.open(db)) {
            List<String> sourceTables = source.tables();
            requirePlanned("the embedded store " + db, sourceTables, CopyPlan.SQLITE_DERIVED);
            Map<String, Long> counts = counts(source);
            // the server's code makes (or migrates) the schema, and refuses a newer one
            PostgresStore.open(database, clock).close();
            try (PostgresImport target = PostgresImport.connect(database, "ttyaudit-migrate")) {
                requirePlanned("the database " + target.displayUrl(), target.tables(), CopyPlan.POSTGRES_DERIVED);
                requireSameColumns(source, target);
                return migrate(source, target, counts);
            }
        } catch (SQLException e) {
            throw new MigrationException("copying into " + database.displayUrl() + " failed: " + reasons(e)
                    + "; no row was committed: run the same command again to continue", e);
        }
    }

    private Report migrate(SqliteExport source, PostgresImport target, Map<String, Long> counts)
            throws SQLException {
        MigrationMarker marker = new MigrationMarker(target);
        Optional<MigrationMarker.State> earlier = marker.read();
        String sourceId = sourceId(source);
        requireEmpty(target, earlier, sourceId);
        boolean resumed = earlier.isPresent() && earlier.get().sameSource(sourceId);
        if (!resumed) {
            marker.start(sourceId, dataDir.toString(), clock.instant());
        }
        MigrationMarker.State state = marker.read().orElseThrow();
        if (resumed) {
            progress.note("resuming the interrupted migration of " + state.sourcePath() + ": " + state.blobsCopied()
                    + " blobs are already copied; the rows are copied again");
        }
        createPartitions(source, target);
        long chunks = contentChunks(source);
        long blobCount;
        String blobPlace;
        if (sourceBlobs instanceof BlobSettings.S3 already) {
            if (!(blobs instanceof BlobSettings.S3 s3) || !s3.settings().location().equals(already.settings()
                    .location())) {
                throw new MigrationException("the source server keeps its chunk bytes in "
                        + already.settings().location() + "; give the target the same blobs: section (migrate"
                        + " does not copy between buckets); nothing was copied");
            }
            blobCount = chunks;
            blobPlace = already.settings().location() + " (already there)";
        } else if (blobs instanceof BlobSettings.S3 s3) {
            blobCount = copyBlobs(source, s3, marker, state, chunks);
            blobPlace = s3.settings().location();
        } else {
            // the directory store of a server on PostgreSQL is still DIR/blobs: nothing moves
            blobCount = chunks;
            blobPlace = dataDir.resolve(AuditServer.BLOBS) + " (left in place: blobs: type directory)";
            progress.note("blobs: type directory: the chunk files stay in " + dataDir.resolve(AuditServer.BLOBS)
                    + "; run the server on PostgreSQL with --data " + dataDir);
        }
        try {
            new RowCopy(source, target, progress).copyAll(counts, () -> marker.finished(clock.instant()));
        } catch (StoreException e) {
            // a statement of the copy failed (the connection too, perhaps): the transaction is gone
            throw new MigrationException(e.getMessage() + "; no row was committed: run the same command again to"
                    + " continue", e);
        }
        Map<String, Long> copied = check(target, counts);
        if (blobCount != chunks) {
            throw new MigrationException("blobs: " + blobCount + " in the target, the source has " + chunks
                    + " chunks with content");
        }
        String ledger;
        try (PostgresStore store = PostgresStore.open(database, clock)) {
            ledger = LedgerCheck.check(store.ledger(), ledgerKey(), progress);
        }
        return new Report(copied, blobCount, blobPlace, ledger, resumed);
    }

    private long copyBlobs(SqliteExport source, BlobSettings.S3 s3, MigrationMarker marker,
                           MigrationMarker.State state, long chunks) throws SQLException {
        Path dir = dataDir.resolve(AuditServer.BLOBS);
        if (!Files.isDirectory(dir)) {
            if (chunks > 0) {
                throw new MigrationException("the data directory has " + chunks + " chunks but no " + dir
                        + " (are its blobs elsewhere?)");
            }
            return 0;
        }
        try (BlobStore from = DirectoryBlobStore.open(dir); BlobStore to = s3.open(null)) {
            return new BlobCopy(source.jdbc(), from, AuditServer.BLOBS + "/", to, marker, progress)
                    .copy(state, chunks);
        }
    }

    private static void requirePlanned(String where, List<String> tables, java.util.Set<String> derived) {
        List<String> unknown = CopyPlan.unknown(tables, derived);
        if (!unknown.isEmpty()) {
            throw new MigrationException(where + " has tables this version of migrate does not know how to copy: "
                    + String.join(", ", unknown) + " (its copy plan must list them); nothing was copied");
        }
        List<String> missing = CopyPlan.missing(tables);
        if (!missing.isEmpty()) {
            throw new MigrationException(where + " lacks tables of the copy plan: " + String.join(", ", missing)
                    + "; nothing was copied");
        }
    }

    private static void requireSameColumns(SqliteExport source, PostgresImport target) {
        for (CopyPlan.Table t : CopyPlan.TABLES) {
            List<String> from = new ArrayList<>(source.columns(t.name()));
            List<String> to = new ArrayList<>(target.columnTypes(t.name()).keySet());
            from.sort(null);
            to.sort(null);
            if (!from.equals(to)) {
                throw new MigrationException("table " + t.name() + " has the columns " + from + " in the embedded"
                        + " store but " + to + " in PostgreSQL; this version of migrate cannot copy it");
            }
        }
    }

    private void requireEmpty(PostgresImport target, Optional<MigrationMarker.State> earlier, String sourceId) {
        List<String> filled = new ArrayList<>();
        for (CopyPlan.Table t : CopyPlan.TABLES) {
            if ("t".equals(target.queryString("SELECT EXISTS (SELECT 1 FROM \"" + t.name() + "\")"))) {
                filled.add(t.name() + " (" + target.queryString("SELECT count(*) FROM \"" + t.name() + "\"")
                        + " rows)");
            }
        }
        if (filled.isEmpty()) {
            return;
        }
        if (earlier.isPresent() && earlier.get().finishedAt() != null && earlier.get().sameSource(sourceId)) {
            throw new MigrationException("the database " + target.displayUrl() + " already holds this store,"
                    + " migrated from " + earlier.get().sourcePath() + " at " + earlier.get().finishedAt()
                    + "; nothing to do (check it with ttyaudit verify --data DIR --config FILE)");
        }
        throw new MigrationException("the database " + target.displayUrl() + " is not empty: "
                + String.join(", ", filled) + "; migrate only into a new database (or drop and recreate it)");
    }

    /** The message and its causes' (a lost connection's is in the cause: "Connection reset", "terminating …"). */
    private static String reasons(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !b.toString().contains(t.getMessage())) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }

    private static long contentChunks(SqliteExport source) throws SQLException {
        try (Statement s = source.jdbc().createStatement(); ResultSet rs = s.executeQuery(BlobCopy.CONTENT_CHUNKS)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> counts(SqliteExport source) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CopyPlan.Table t : CopyPlan.TABLES) {
            try (Statement s = source.jdbc().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t.name() + "\"")) {
                rs.next();
                counts.put(t.name(), rs.getLong(1));
            }
        }
        return counts;
    }

    private Map<String, Long> check(PostgresImport target, Map<String, Long> expected) {
        Map<String, Long> copied = new LinkedHashMap<>();
        List<String> differ = new ArrayList<>();
        progress.phase("row counts", expected.size());
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            long n = Long.parseLong(target.queryString("SELECT count(*) FROM \"" + e.getKey() + "\""));
            copied.put(e.getKey(), n);
            if (n != e.getValue()) {
                differ.add(e.getKey() + ": " + n + " rows in the target, " + e.getValue() + " in the source");
            }
            progress.advance(copied.size());
        }
        if (!differ.isEmpty()) {
            throw new MigrationException("the copy differs: " + String.join("; ", differ));
        }
        return copied;
    }

    /**
     * Which store this is: the hash of its first ledger leaf (a session's header or an audit event, with its
     * random id and time) and the ledger's size, so a rerun knows its own unfinished migration of this very state
     * from another store's (or from this store after it grew).
     */
    private String sourceId(SqliteExport source) throws SQLException {
        try (Statement s = source.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT data FROM ledger_leaves WHERE idx = 0")) {
            if (!rs.next()) {
                return "empty:" + dataDir;
            }
            String first = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rs.getBytes(1)));
            // with its size: a store that grew since the interrupted run is copied from scratch
            try (ResultSet size = s.executeQuery("SELECT count(*) FROM ledger_leaves")) {
                size.next();
                return first + ":" + size.getLong(1);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the content partitions of every month the source has sessions of (by their UUIDv7 ids), so that old
     * content lands in its month's partition (which retention can drop), not in the default partition.
     */
    private void createPartitions(SqliteExport source, PostgresImport target) throws SQLException {
        String first;
        String last;
        try (Statement s = source.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM sessions WHERE substr(id, 15, 1) = '7'")) {
            rs.next();
            first = rs.getString(1);
            last = rs.getString(2);
        }
        if (first == null) {
            return;
        }
        YearMonth month = monthOf(first);
        YearMonth end = monthOf(last);
        for (int i = 0; !month.isAfter(end) && i < 1200; i++, month = month.plusMonths(1)) {
            String[] range = PostgresImport.monthIdRange(month);
            try (Statement s = source.jdbc().createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM sessions WHERE id >= '" + range[0] + "' AND id < '"
                         + range[1] + "' LIMIT 1")) {
                if (rs.next()) {
                    target.createPartitions(month);
                }
            }
        }
    }

    private static YearMonth monthOf(String uuidV7) {
        long millis = Long.parseLong(uuidV7.substring(0, 8) + uuidV7.substring(9, 13), 16);
        return YearMonth.from(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
    }

    private PublicKey ledgerKey() {
        Path file = dataDir.resolve(AuditServer.LEDGER_KEY);
        if (!Files.exists(file)) {
            progress.note("no " + file + ": the signed head's signature is not checked");
            return null;
        }
        try {
            return Ed25519Keys.publicKeyOf(Ed25519Keys.readPrivateKey(file));
        } catch (IOException | RuntimeException e) {
            throw new MigrationException("cannot read the ledger key " + file + ": " + e.getMessage(), e);
        }
    }
}
