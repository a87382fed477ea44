package org.ttyaudit.server.verify;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.TreeHeadSigner;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.ingest.BatchParser;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.RecordedSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store larger than every page the verifier reads — more leaves and level-0 nodes than a page of 1000, chunk
 * rows over several pages of 256, signed heads in both leaf pages — written by the server's own services
 * (ingest, audit log, head publisher) into a data directory laid out as the server's. Damage placed past the
 * first page must be found and named as precisely as on the first.
 */
class PagedStoreVerifyTest {
    static final int BATCHES = 22;
    static final int CHUNKS_PER_BATCH = 50;
    static final int CHUNKS = BATCHES * CHUNKS_PER_BATCH;

    @TempDir
    static Path root;
    static Path original;
    static UUID session;

    Path data;

    @BeforeAll
    static void writeALargeStore() throws Exception {
        original = root.resolve("original");
        Files.createDirectories(original.resolve("keys"));
        KeyPair key = Ed25519Keys.generate();
        Ed25519Keys.writePrivateKey(original.resolve("keys/ledger.key"), key.getPrivate());
        Clock clock = Clock.systemUTC();
        try (SqliteStore store = SqliteStore.open(original.resolve("server.db"));
             DirectoryBlobStore blobs = DirectoryBlobStore.open(original.resolve("blobs"));
             TreeHeadPublisher heads = new TreeHeadPublisher(store, new TreeHeadSigner(key), clock);
             IngestService ingest = new IngestService(store, blobs, new Ledger(),
                     new BatchParser(new ChunkIndexer()), clock, new IngestMetrics(new PrometheusRegistry()))) {
            AuditLog audit = new AuditLog(store, new Ledger(), clock);
            RecordedSession s = new RecordedSession("alice", "web-1");
            session = s.id();
            ingest.ingest(s.id(), "host-1", s.headerFrame());
            for (int batch = 0; batch < BATCHES; batch++) {
                Chunk[] chunks = new Chunk[CHUNKS_PER_BATCH];
                for (int i = 0; i < chunks.length; i++) {
                    int n = batch * CHUNKS_PER_BATCH + i;
                    chunks[i] = s.command("echo " + n, "line " + n, n % 3);
                }
                ingest.ingest(s.id(), "host-1", RecordedSession.frames(chunks));
                audit.record("alice", "session.view", s.id(), Map.of("batch", Integer.toString(batch)));
                if (batch % 2 == 1) {
                    heads.signNow();
                }
            }
            ingest.ingest(s.id(), "host-1", RecordedSession.endFrame(s.end()));
            heads.signNow();
        }
    }

    @BeforeEach
    void freshCopy(@TempDir Path dir) throws IOException {
        data = dir.resolve("data");
        try (Stream<Path> files = Files.walk(original)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = data.resolve(original.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void aStoreOfManyPagesIsIntact() {
        StoreReport report = verify();

        assertThat(report.problems()).isEmpty();
        long leaves = 1 + CHUNKS + BATCHES + 1;
        assertThat(report.counts()).isEqualTo(new StoreReport.Counts(1, CHUNKS, BATCHES, 0, leaves,
                BATCHES / 2 + 1));
        assertThat(leaves).isGreaterThan(1000);
        assertThat(report.notes()).anyMatch(n -> n.startsWith("latest signed head: tree size " + leaves + ","));
    }

    @Test
    void anAlteredChunkOnALaterPageIsNamed() throws Exception {
        Path file = data.resolve("blobs/sessions/" + session + "/1000.chunk");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 1;
        Files.write(file, bytes);

        assertThat(verify().problems()).containsExactly("session " + session + ": chunk 1000 (blobs/sessions/"
                + session + "/1000.chunk): hash mismatch — content altered");
    }

    @Test
    void aLeafMissingOnTheSecondPageIsNamedAndTheTreeStillChecksWithItsStoredNode() throws Exception {
        long leaf = count("SELECT ledger_index FROM chunks WHERE seq = 1050");
        assertThat(leaf).isGreaterThan(1000);
        sql("DELETE FROM ledger_leaves WHERE idx = " + leaf);

        assertThat(verify().problems()).containsExactlyInAnyOrder(
                "session " + session + ": chunk 1050 (blobs/sessions/" + session + "/1050.chunk): points at ledger"
                        + " leaf " + leaf + ", which is missing from the database",
                "ledger leaf " + leaf + " is missing from the database — deleted");
    }

    @Test
    void anAlteredNodeOnTheSecondPageIsNamedOnce() throws Exception {
        sql("UPDATE ledger_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 1100");

        assertThat(verify().problems()).singleElement().asString()
                .startsWith("ledger leaf 1100: node (level 0, index 1100) stored as 0000000000000000… but the leaf"
                        + " data hashes to ");
    }

    @Test
    void aNodeNoLeafCompletesIsNamed() throws Exception {
        long leaves = count("SELECT count(*) FROM ledger_leaves");
        sql("INSERT INTO ledger_nodes (level, idx, hash) VALUES (3, 5000, zeroblob(32))");

        assertThat(verify().problems()).containsExactly("ledger node (level 3, index 5000) is stored, but the "
                + leaves + " leaves do not complete it — leaves were removed");
    }

    @Test
    void theReportListsTheFirstProblemsAndCountsThemAll() throws Exception {
        sql("UPDATE commands SET command_line = 'true'");

        StoreReport report = DataDirectoryVerifier.verify(data, null, null);

        assertThat(report.problemCount()).isEqualTo(CHUNKS);
        assertThat(report.problems()).hasSize(StoreVerifier.DEFAULT_MAX_PROBLEM_LINES);
        assertThat(report.summary()).isEqualTo("NOT intact: " + CHUNKS + " problems (the first "
                + StoreVerifier.DEFAULT_MAX_PROBLEM_LINES + " are listed) in " + report.counts());
    }

    private StoreReport verify() {
        return DataDirectoryVerifier.verify(data, null, null);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
