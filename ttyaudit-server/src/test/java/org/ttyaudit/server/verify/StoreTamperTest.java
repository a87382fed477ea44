package org.ttyaudit.server.verify;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.InMemoryTreeNodes;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.core.ledger.Node;
import org.ttyaudit.server.api.AuditedDataDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify --data} against real files: a data directory written by a real server through its API, then, on
 * a fresh copy each time, one way of tampering with it — a chunk file edited, deleted, swapped or truncated;
 * rows of the database updated or deleted (with sqlite-jdbc, as an operator with a shell would); the ledger
 * rewritten, even recomputed whole; the signing key replaced. Each must be detected and named precisely.
 */
class StoreTamperTest {
    @TempDir
    static Path root;
    static AuditedDataDirectory original;

    Path data;

    @BeforeAll
    static void runARealServer() throws Exception {
        original = AuditedDataDirectory.create(root.resolve("original"));
    }

    @BeforeEach
    void freshCopy(@TempDir Path dir) throws IOException {
        data = dir.resolve("data");
        try (Stream<Path> files = Files.walk(original.dataDir)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = data.resolve(original.dataDir.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    // ---------------------------------------------------------------- intact

    @Test
    void anUntouchedStoreIsIntactAndVerifyingChangesNothing() throws Exception {
        byte[] database = Files.readAllBytes(data.resolve("server.db"));
        List<String> files = files();

        StoreReport report = verify();

        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
        long auditEvents = count("SELECT count(*) FROM audit_events");
        assertThat(report.counts()).isEqualTo(new StoreReport.Counts(3, 7, auditEvents, 1,
                3 + 7 + 2 + auditEvents + 1, count("SELECT count(*) FROM signed_heads")));
        assertThat(report.counts().signedHeads()).isGreaterThanOrEqualTo(4);
        assertThat(report.summary()).startsWith("intact: 3 sessions, 7 chunks, ");
        assertThat(report.notes()).anyMatch(n -> n.startsWith("latest signed head: tree size "
                + report.counts().leaves() + ", root "));
        assertThat(report.notes()).anyMatch(n -> n.contains("signed heads are consistent"));
        assertThat(Files.readAllBytes(data.resolve("server.db"))).isEqualTo(database);
        assertThat(files()).isEqualTo(files);
    }

    /** Every file of the data directory with its size. */
    private List<String> files() throws IOException {
        try (Stream<Path> all = Files.walk(data)) {
            return all.filter(Files::isRegularFile).map(f -> {
                try {
                    return data.relativize(f) + " " + Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void theApisPublicKeyPinnedIsTheKeyFilesKey() {
        StoreReport report = DataDirectoryVerifier.verify(data, pinnedKey(), "ledger.pub");

        assertThat(report.problems()).isEmpty();
    }

    // ---------------------------------------------------------------- chunk files

    @Test
    void anEditedByteInAChunkFileIsAHashMismatch() throws Exception {
        Path file = blob(original.alice, 1);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x20;
        Files.write(file, bytes);

        assertThat(verify().problems()).contains(chunk(original.alice, 1) + ": hash mismatch — content altered");
    }

    @Test
    void aDeletedChunkFileIsMissing() throws Exception {
        Files.delete(blob(original.alice, 2));

        StoreReport report = verify();

        assertThat(report.problems()).containsExactly(chunk(original.alice, 2)
                + ": blob missing — the file was deleted or moved");
    }

    @Test
    void swappedChunkFilesHoldEachOthersChunk() throws Exception {
        Path zero = blob(original.alice, 0);
        Path one = blob(original.alice, 1);
        Path aside = zero.resolveSibling("aside");
        Files.move(zero, aside);
        Files.move(one, zero);
        Files.move(aside, one);

        assertThat(verify().problems()).containsExactly(
                chunk(original.alice, 0) + ": the file holds chunk 1 — blob files swapped or renamed",
                chunk(original.alice, 1) + ": the file holds chunk 0 — blob files swapped or renamed");
    }

    @Test
    void aTruncatedChunkFileDoesNotParse() throws Exception {
        Path file = blob(original.alice, 1);
        long size = Files.size(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 100));

        assertThat(verify().problems()).singleElement().asString()
                .startsWith(chunk(original.alice, 1) + ": does not parse (100 bytes, its row says " + size + "): ")
                .endsWith(" — truncated or damaged");
    }

    // ---------------------------------------------------------------- rows derived from the chunks

    @Test
    void anAlteredCommandLineDisagreesWithItsChunk() throws Exception {
        sql("UPDATE commands SET command_line = 'ls' WHERE command_line = 'cat /etc/passwd'");

        assertThat(verify().problems()).containsExactly("session " + original.alice + ": command 2: the command"
                + " index differs from chunk 1: commandLine is \"ls\" in the database but \"cat /etc/passwd\" in"
                + " chunk 1 — the index was altered");
    }

    @Test
    void aDeletedCommandIsMissingFromTheIndex() throws Exception {
        sql("DELETE FROM commands WHERE command_line = 'df -h'");

        assertThat(verify().problems()).containsExactly("session " + original.bob + ": command 2 (\"df -h\", in"
                + " chunk 1) is missing from the command index — deleted from the index");
    }

    @Test
    void alteredOrDeletedOutputTextDisagreesWithTheChunk() throws Exception {
        sql("UPDATE output_text SET text = replace(text, 'root', 'user') WHERE text LIKE '%root:x%'");
        sql("DELETE FROM output_text WHERE text LIKE '%up 3 days%'");

        assertThat(verify().problems()).containsExactlyInAnyOrder(
                chunk(original.alice, 1) + ": the search index's output text differs from the chunk's output from"
                        + " character 0: \"user:x:0:0:user:/user:/bin/bash\\n\" in the index,"
                        + " \"root:x:0:0:root:/root:/bin/bash\\n\" in the chunk — the index was altered",
                chunk(original.bob, 0) + ": its output text is missing from the search index — deleted from the"
                        + " index");
    }

    @Test
    void outputNotIndexedYetIsANoteButAlteredTextAfterTheCursorIsStillAProblem() throws Exception {
        // as a server stopped before its background indexer caught up: bob's rows gone, his cursor back
        sql("DELETE FROM output_text WHERE session_id = ?", original.bob.toString());
        sql("UPDATE sessions SET text_indexed_seq = -1 WHERE id = ?", original.bob.toString());
        sql("UPDATE sessions SET text_indexed_seq = 0 WHERE id = ?", original.alice.toString());
        sql("UPDATE output_text SET text = replace(text, 'root', 'user') WHERE text LIKE '%root:x%'");

        StoreReport report = verify();

        assertThat(report.problems()).containsExactly(chunk(original.alice, 1) + ": the search index's output text"
                + " differs from the chunk's output from character 0: \"user:x:0:0:user:/user:/bin/bash\\n\" in the"
                + " index, \"root:x:0:0:root:/root:/bin/bash\\n\" in the chunk — the index was altered");
        assertThat(report.notes()).contains("the output text of 2 chunks in 1 sessions is not indexed for search"
                + " yet (the server indexes output in the background after committing it; it catches up when it"
                + " runs)");
    }

    @Test
    void anAlteredExecEventDisagreesWithItsChunk() throws Exception {
        sql("UPDATE session_events SET detail_json = replace(detail_json, 'whoami', 'true')"
                + " WHERE detail_json LIKE '%whoami%'");

        assertThat(verify().problems()).singleElement().asString()
                .startsWith(chunk(original.carol, 0) + ": its exec event 1 differs from the event index: detailJson differs"
                        + " from character 33: \",\\\"argv\\\":[\\\"true\\\"],")
                .endsWith(" — the index was altered");
    }

    @Test
    void anAlteredSessionColumnDisagreesWithTheHeader() throws Exception {
        sql("UPDATE sessions SET user_name = 'mallory' WHERE id = ?", original.alice.toString());

        assertThat(verify().problems()).containsExactly("session " + original.alice + ": the session row differs"
                + " from its header record: user is \"mallory\" in the database but \"alice\" in the header — the"
                + " session row was altered");
    }

    // ---------------------------------------------------------------- chunk rows

    @Test
    void anAlteredChunkHashDisagreesWithTheChunkAndItsLeaf() throws Exception {
        long leaf = chunkLeaf(original.alice, 1);
        byte[] forged = new byte[32];
        sql("UPDATE chunks SET hash = ? WHERE session_id = ? AND seq = 1", forged, original.alice.toString());

        assertThat(verify().problems()).containsExactly(
                chunk(original.alice, 1) + ": its row's hash 0000000000000000… differs from the chunk's hash "
                        + shortHash(chunkOnDisk(original.alice, 1).hash()) + " — the chunk row was altered",
                chunk(original.alice, 1) + ": ledger leaf " + leaf + " records "
                        + shortHash(chunkOnDisk(original.alice, 1).hash())
                        + ", but the chunk row's hash is 0000000000000000… — changed after the ledger recorded it");
    }

    @Test
    void aDeletedChunkRowIsAGapThatItsLeafStillNames() throws Exception {
        long leaf = chunkLeaf(original.alice, 1);
        sql("DELETE FROM chunks WHERE session_id = ? AND seq = 1", original.alice.toString());

        List<String> problems = verify().problems();

        assertThat(problems).contains(
                "session " + original.alice + ": chunk 1 missing from the database (the rows jump from chunk 0 to"
                        + " chunk 2)",
                "session " + original.alice + ": chunk 1 missing from the database but ledger leaf " + leaf
                        + " names it — deleted");
    }

    @Test
    void cuttingOffASessionsLastChunkEverywhereIsCaughtByTheSignedHead() throws Exception {
        // a careful operator: the row, its blob, its index rows, its leaf and nodes, and a session row that fits
        UUID carol = original.carol;
        long leaf = chunkLeaf(carol, 1);
        assertThat(leaf).as("carol's last chunk is the ledger's last leaf").isEqualTo(count(
                "SELECT max(idx) FROM ledger_leaves"));
        Chunk first = chunkOnDisk(carol, 0);
        Files.delete(blob(carol, 1));
        sql("DELETE FROM chunks WHERE session_id = ? AND seq = 1", carol.toString());
        sql("DELETE FROM commands WHERE session_id = ? AND command_id = 2", carol.toString());
        sql("DELETE FROM session_events WHERE session_id = ? AND event_seq >= 4", carol.toString());
        sql("DELETE FROM output_text WHERE session_id = ? AND chunk_seq = 1", carol.toString());
        sql("UPDATE sessions SET committed_seq = 0, last_hash = ?, event_count = ? WHERE id = ?", first.hash(),
                first.eventCount(), carol.toString());
        sql("DELETE FROM ledger_leaves WHERE idx = ?", leaf);
        for (Node n : nodesCompletedBy(leaf)) {
            sql("DELETE FROM ledger_nodes WHERE level = ? AND idx = ?", n.level(), n.index());
        }

        List<String> problems = verify().problems();

        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p)
                .startsWith("signed head at tree size " + (leaf + 1) + " (signed ")
                .endsWith("): the ledger has only " + leaf + " leaves — leaves were removed after it was signed"));
    }

    // ---------------------------------------------------------------- alerts

    @Test
    void anAlertWhoseSeverityWasLoweredNoLongerMatchesItsLeaf() throws Exception {
        String id = string("SELECT id FROM alerts WHERE rule = 'sudo-use'");
        long leaf = count("SELECT ledger_index FROM alerts WHERE id = '" + id + "'");
        sql("UPDATE alerts SET severity = 'info' WHERE id = ?", id);

        assertThat(verify().problems()).singleElement().asString()
                .startsWith("alert " + id + " (rule \"sudo-use\" on session " + original.alice + " at ")
                .contains("): ledger leaf " + leaf + " records ")
                .contains(", but the alert as stored hashes to ");
    }

    @Test
    void aDeletedAlertLeavesItsLeafUnaccountedFor() throws Exception {
        String id = string("SELECT id FROM alerts WHERE rule = 'sudo-use'");
        long leaf = count("SELECT ledger_index FROM alerts WHERE id = '" + id + "'");
        sql("DELETE FROM alerts WHERE id = ?", id);

        assertThat(verify().problems()).singleElement().asString().isEqualTo("ledger leaf " + leaf + " names alert "
                + id + ", but the database has no such alert — deleted");
    }

    // ---------------------------------------------------------------- audit log

    @Test
    void anAlteredAuditActorNoLongerMatchesItsLeaf() throws Exception {
        String id = string("SELECT id FROM audit_events WHERE action = 'search'");
        long leaf = count("SELECT ledger_index FROM audit_events WHERE id = '" + id + "'");
        sql("UPDATE audit_events SET actor = 'mallory' WHERE id = ?", id);

        assertThat(verify().problems()).singleElement().asString()
                .startsWith("audit event " + id + " (search by \"mallory\" at ")
                .contains("): ledger leaf " + leaf + " records ")
                .contains(", but the event as stored hashes to ")
                .endsWith(" — changed after the ledger recorded it");
    }

    @Test
    void aDeletedAuditEventLeavesItsLeafUnaccountedFor() throws Exception {
        String id = string("SELECT id FROM audit_events WHERE action = 'session.view'");
        long leaf = count("SELECT ledger_index FROM audit_events WHERE id = '" + id + "'");
        sql("DELETE FROM audit_events WHERE id = ?", id);

        assertThat(verify().problems()).containsExactly("ledger leaf " + leaf + " names audit event " + id
                + ", but the database has no such audit event — deleted");
    }

    // ---------------------------------------------------------------- the ledger

    @Test
    void aRewrittenLeafIsNamedByItsRowItsNodeAndTheSignedHeads() throws Exception {
        long leaf = chunkLeaf(original.bob, 0);
        byte[] forgedHash = MerkleHashing.leafHash(new byte[] {1});   // any other 32 bytes
        byte[] forged = new LedgerEntry(LedgerEntry.Kind.CHUNK, original.bob, 0, forgedHash).leafData();
        byte[] before = bytes("SELECT data FROM ledger_leaves WHERE idx = " + leaf);
        sql("UPDATE ledger_leaves SET data = ? WHERE idx = ?", forged, leaf);

        List<String> problems = verify().problems();

        assertThat(problems).contains(
                chunk(original.bob, 0) + ": ledger leaf " + leaf + " records " + shortHash(forgedHash)
                        + ", but the chunk row's hash is " + shortHash(chunkOnDisk(original.bob, 0).hash())
                        + " — changed after the ledger recorded it",
                "ledger leaf " + leaf + ": node (level 0, index " + leaf + ") stored as "
                        + shortHash(MerkleHashing.leafHash(before)) + " but the leaf data hashes to "
                        + shortHash(MerkleHashing.leafHash(forged)));
        assertThat(problems).anyMatch(p -> p.startsWith("signed head at tree size ")
                && p.contains("root differs from the leaves — the ledger was rewritten after it was signed"));
        // one line for the changed leaf, not one more for every ancestor node that differs because of it
        assertThat(problems).filteredOn(p -> p.contains(": node (level")).hasSize(1);
    }

    @Test
    void aDeletedNodeIsMissing() throws Exception {
        sql("DELETE FROM ledger_nodes WHERE level = 1 AND idx = 0");

        assertThat(verify().problems()).containsExactly("ledger leaf 1: node (level 1, index 0) is missing from the"
                + " database");
    }

    @Test
    void aLedgerRecomputedWithoutASessionContradictsTheSignedHeads() throws Exception {
        long firstRemoved = count("SELECT ledger_index FROM sessions WHERE id = '" + original.bob + "'");
        deleteSessionAndRebuildTheLedger(original.bob);
        long size = count("SELECT count(*) FROM ledger_leaves");

        StoreReport report = verify();

        // every row agrees with the rebuilt ledger: only the signed heads tell
        assertThat(report.problems()).isNotEmpty().allMatch(p -> p.startsWith("signed head at tree size "));
        assertThat(report.problems()).anyMatch(p -> p.contains("root differs from the leaves — the ledger was"
                + " rewritten after it was signed") && p.contains("still matches, so what changed is among leaves "));
        assertThat(report.problems()).anyMatch(p -> p.endsWith("the ledger has only " + size + " leaves — leaves"
                + " were removed after it was signed"));
        // the heads signed before the removed session still match
        assertThat(report.problems()).noneMatch(p -> p.startsWith("signed head at tree size " + firstRemoved + " "));
        assertThat(report.counts().sessions()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- signatures

    @Test
    void aReplacedSigningKeyFailsEverySignature() throws Exception {
        Path keyFile = data.resolve("keys/ledger.key");
        Files.delete(keyFile);
        Ed25519Keys.writePrivateKey(keyFile, Ed25519Keys.generate().getPrivate());
        String newKey = Ed25519Keys.keyId(Ed25519Keys.publicKeyOf(Ed25519Keys.readPrivateKey(keyFile)));
        String oldKey = Ed25519Keys.keyId(pinnedKey());

        StoreReport report = verify();

        assertThat(report.problems()).hasSize((int) report.counts().signedHeads()).allSatisfy(p -> assertThat(p)
                .startsWith("signed head at tree size ")
                .endsWith("): signed by key " + oldKey + ", but the trusted key is keys/ledger.key (" + newKey
                        + ") — the signing key was replaced, or the head was not made by this server"));

        StoreReport pinned = DataDirectoryVerifier.verify(data, pinnedKey(), "ledger.pub");
        assertThat(pinned.problems()).containsExactly("keys/ledger.key is key " + newKey + ", not the pinned key "
                + oldKey + " — the signing key was replaced");
    }

    @Test
    void anAlteredSignatureDoesNotVerify() throws Exception {
        long id = count("SELECT min(id) FROM signed_heads WHERE tree_size > 0");
        long size = count("SELECT tree_size FROM signed_heads WHERE id = " + id);
        sql("UPDATE signed_heads SET signature = ? WHERE id = ?", new byte[64], id);

        assertThat(verify().problems()).singleElement().asString()
                .startsWith("signed head at tree size " + size + " (signed ")
                .endsWith("): signature does not verify with keys/ledger.key ("
                        + Ed25519Keys.keyId(pinnedKey()) + ") — the head was altered or forged");
    }

    // ---------------------------------------------------------------- helpers

    private StoreReport verify() {
        return DataDirectoryVerifier.verify(data, null, null);
    }

    private PublicKey pinnedKey() {
        return Ed25519Keys.decodePublicKeyPem(original.ledgerPublicKeyPem);
    }

    private Path blob(UUID session, long seq) {
        return data.resolve("blobs/sessions/" + session + "/" + seq + ".chunk");
    }

    private static String chunk(UUID session, long seq) {
        return "session " + session + ": chunk " + seq + " (blobs/sessions/" + session + "/" + seq + ".chunk)";
    }

    private Chunk chunkOnDisk(UUID session, long seq) throws IOException {
        return Chunk.fromBytes(Files.readAllBytes(original.dataDir.resolve("blobs/sessions/" + session + "/" + seq
                + ".chunk")));
    }

    private static String shortHash(byte[] hash) {
        return HexFormat.of().formatHex(hash).substring(0, 16) + "…";
    }

    private long chunkLeaf(UUID session, long seq) throws SQLException {
        return count("SELECT ledger_index FROM chunks WHERE session_id = '" + session + "' AND seq = " + seq);
    }

    /** The nodes appending leaf {@code index} stored: (0, index) and each parent while the index is odd. */
    private static List<Node> nodesCompletedBy(long index) {
        List<Node> out = new ArrayList<>();
        long position = index;
        int level = 0;
        out.add(new Node(0, position, new byte[32]));
        while ((position & 1) == 1) {
            position >>>= 1;
            level++;
            out.add(new Node(level, position, new byte[32]));
        }
        return out;
    }

    /**
     * What an operator who wants a session gone, and knows how the ledger works, does: deletes its rows and
     * leaves, renumbers every later leaf, recomputes every node, and points every row at its new leaf. Only the
     * signed heads (and copies of them kept elsewhere) still remember the old tree.
     */
    private void deleteSessionAndRebuildTheLedger(UUID victim) throws Exception {
        for (Path f : Files.list(data.resolve("blobs/sessions/" + victim)).toList()) {
            Files.delete(f);
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            for (String table : List.of("commands", "session_events", "output_text", "chunks")) {
                update(c, "DELETE FROM " + table + " WHERE session_id = ?", victim.toString());
            }
            update(c, "DELETE FROM sessions WHERE id = ?", victim.toString());
            Map<Long, Long> renumbered = new LinkedHashMap<>();
            List<byte[]> kept = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT idx, data FROM ledger_leaves ORDER BY idx");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] leafData = rs.getBytes(2);
                    if (!LedgerEntry.fromLeafData(leafData).subject().equals(victim)) {
                        renumbered.put(rs.getLong(1), (long) kept.size());
                        kept.add(leafData);
                    }
                }
            }
            update(c, "DELETE FROM ledger_leaves");
            update(c, "DELETE FROM ledger_nodes");
            InMemoryTreeNodes tree = new InMemoryTreeNodes();
            for (int i = 0; i < kept.size(); i++) {
                update(c, "INSERT INTO ledger_leaves (idx, data) VALUES (?, ?)", (long) i, kept.get(i));
                for (Node n : MerkleTree.nodesCompletedBy(tree, i, MerkleHashing.leafHash(kept.get(i)))) {
                    update(c, "INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)", n.level(), n.index(),
                            n.hash());
                }
                tree.append(kept.get(i));
            }
            // ascending: a row moves to a lower index that no row still to move has
            for (Map.Entry<Long, Long> e : renumbered.entrySet()) {
                for (String column : List.of("sessions.ledger_index", "sessions.end_ledger_index",
                        "chunks.ledger_index", "audit_events.ledger_index")) {
                    String[] tc = column.split("\\.");
                    update(c, "UPDATE " + tc[0] + " SET " + tc[1] + " = ? WHERE " + tc[1] + " = ?", e.getValue(),
                            e.getKey());
                }
            }
            c.commit();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
    }

    private void sql(String statement, Object... params) throws SQLException {
        try (Connection c = connect()) {
            update(c, statement, params);
        }
    }

    private static void update(Connection c, String statement, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
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

    private String string(String query) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private byte[] bytes(String query) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBytes(1);
        }
    }
}
