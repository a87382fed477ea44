package org.ttyaudit.server.retention;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.auth.Role;
import org.ttyaudit.server.ingest.IngestException;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.verify.StoreReport;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pruning job on a real store (real ingest, ledger, blobs on disk) with an injected clock: sessions of
 * various ages, users, hosts and tags; holds on a session, a user and a host. What is due is pruned and nothing
 * else, the content is gone but the chain and the ledger still verify with the real {@code verify --data}, and
 * the run is an audit event.
 */
class PrunerTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String POLICY = """
            retention:
              keep_days: 90
              minimum_keep_days: 30
              rules:
                - name: ci
                  match: {hosts: ['ci-*']}
                  keep_days: 30
                - name: pci
                  tags: ['env:pci']
                  keep_days: 400
                - name: dba
                  match: {groups: [dba]}
                  keep_days: 365
            """;

    @TempDir
    Path dir;
    RetentionFixture f;
    final Principal admin = Principal.user("u-1", "root", Role.ADMIN, false);

    @BeforeEach
    void open() throws Exception {
        f = new RetentionFixture(dir.resolve("data"), NOW);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private RecordedSession endedDaysAgo(long days, String user, String host, Map<String, String> tags) {
        // the session ends 5 minutes after it starts
        return f.session(user, host, NOW.minus(Duration.ofDays(days)).minusSeconds(300), tags);
    }

    @Test
    void dueSessionsArePrunedHeldAndYoungOnesKeptAndTheStoreStillVerifies() {
        RecordedSession old = endedDaysAgo(100, "alice", "web-1", Map.of());
        RecordedSession young = endedDaysAgo(80, "alice", "web-1", Map.of());
        RecordedSession ci = endedDaysAgo(40, "builder", "ci-7", Map.of());
        RecordedSession pci = endedDaysAgo(100, "alice", "ci-7", Map.of("env", "pci"));
        RecordedSession dba = endedDaysAgo(200, "dora", "db-1", Map.of("groups", "staff,dba"));
        RecordedSession heldSession = endedDaysAgo(100, "erin", "web-2", Map.of());
        RecordedSession heldUser = endedDaysAgo(100, "frank", "web-2", Map.of());
        RecordedSession heldHost = endedDaysAgo(100, "gina", "vault-1", Map.of());
        LegalHolds holds = new LegalHolds(f.store, f.audit, f.clock);
        holds.place(admin, LegalHold.Scope.SESSION, heldSession.id().toString(), "case 12");
        LegalHold onFrank = holds.place(admin, LegalHold.Scope.USER, "frank", "case 13");
        holds.place(admin, LegalHold.Scope.HOST, "vault-1", "case 14");
        Pruner pruner = f.pruner(POLICY);

        assertThat(pruner.pruneAll()).isEqualTo(2);

        assertPruned(old, "default");
        assertPruned(ci, "rule ci");
        for (RecordedSession kept : List.of(young, pci, dba, heldSession, heldUser, heldHost)) {
            assertKept(kept);
        }
        AuditRecord run = onlyPruneEvent();
        assertThat(run.actor()).isEqualTo(Pruner.ACTOR);
        assertThat(run.detailJson()).contains("\"sessions\":\"2\"")
                .contains("\"bytes_freed\":\"" + (bytes(old) + bytes(ci)) + "\"")
                .contains(old.id().toString()).contains(ci.id().toString())
                .contains("\"policies\":\"{default=1, rule ci=1}\"");
        assertThat(pruner.freedBytes()).isEqualTo(bytes(old) + bytes(ci));

        StoreReport report = f.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("2 sessions were pruned by retention"));

        // releasing the hold makes frank's session eligible again; a second run prunes it and nothing else
        holds.release(admin, onFrank.id());
        assertThat(pruner.pruneAll()).isEqualTo(1);
        assertPruned(heldUser, "default");
        assertKept(heldSession);
        assertThat(f.verify().problems()).isEmpty();
    }

    @Test
    void aSessionIsPrunedOnlyOnceItsLongestMatchingRuleAllows() {
        RecordedSession dba = endedDaysAgo(300, "dora", "ci-1", Map.of("groups", "dba"));
        Pruner pruner = f.pruner(POLICY);
        assertThat(pruner.pruneAll()).as("ci says 30 days, dba 365: the longer wins").isZero();

        f.clock.advance(Duration.ofDays(65));

        assertThat(pruner.pruneAll()).isEqualTo(1);
        assertPruned(dba, "rule dba");
        assertThat(f.verify().problems()).isEmpty();
    }

    @Test
    void withoutARetentionSectionNothingIsEverPruned() {
        RecordedSession ancient = endedDaysAgo(5000, "alice", "web-1", Map.of());
        assertThat(f.pruner("{}").pruneAll()).isZero();
        assertKept(ancient);
    }

    @Test
    void theTombstoneNamesTheLastChunkAndItsHash() {
        RecordedSession old = endedDaysAgo(100, "alice", "web-1", Map.of());
        f.pruner(POLICY).pruneAll();

        SessionRecord s = f.store.sessions().get(old.id()).orElseThrow();
        LedgerEntry tombstone = LedgerEntry.fromLeafData(f.store.ledger().leafData(s.pruned().ledgerIndex()));
        Chunk last = old.chunks.get(old.chunks.size() - 1);
        assertThat(tombstone).isEqualTo(new LedgerEntry(LedgerEntry.Kind.TOMBSTONE, old.id(), last.chunkSeq(),
                last.hash()));
        assertThat(s.pruned().ledgerIndex()).isGreaterThan(s.end().ledgerIndex());
    }

    @Test
    void verifyNamesAPrunedMarkThatWasRemoved() throws Exception {
        RecordedSession old = endedDaysAgo(100, "alice", "web-1", Map.of());
        f.pruner(POLICY).pruneAll();
        f.heads.signNow();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.dataDir.resolve("server.db"))) {
            c.createStatement().executeUpdate("UPDATE sessions SET pruned_at = NULL WHERE id = '" + old.id() + "'");
        }

        StoreReport report = f.verify();

        assertThat(report.problems()).anyMatch(p -> p.contains("chunk 0") && p.contains("blob missing"))
                .anyMatch(p -> p.contains("names the tombstone of session " + old.id())
                        && p.contains("not marked pruned"));
    }

    @Test
    void verifyNamesAnAlteredChunkRowOrLeftoverCommandsOfAPrunedSession() throws Exception {
        RecordedSession old = endedDaysAgo(100, "alice", "web-1", Map.of());
        f.pruner(POLICY).pruneAll();
        f.heads.signNow();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.dataDir.resolve("server.db"))) {
            c.createStatement().executeUpdate("UPDATE chunks SET hash = zeroblob(32) WHERE session_id = '" + old.id()
                    + "' AND seq = 0");
            c.createStatement().executeUpdate("INSERT INTO commands (session_id, command_id, source, started_at,"
                    + " start_offset_us, command_line) VALUES ('" + old.id() + "', 9, 'shell', 0, 0, 'planted')");
        }

        StoreReport report = f.verify();

        assertThat(report.problems())
                .anyMatch(p -> p.contains("session " + old.id() + ": chunk 0: ledger leaf")
                        && p.contains("but the chunk row's hash is 0000000000000000"))
                .anyMatch(p -> p.contains("session " + old.id() + ": chunk 1: its row's prev hash")
                        && p.contains("the chunk rows were altered"))
                .anyMatch(p -> p.contains("but the index still holds 1 commands"));
    }

    @Test
    void anAbandonedSessionIsPrunedByItsLastActivityStillVerifiesAndRefusesLaterChunks() {
        RecordedSession abandoned = f.abandoned("alice", "web-1", NOW.minusSeconds(60));
        RecordedSession held = f.abandoned("frank", "web-2", NOW.minusSeconds(60));
        f.clock.advance(Duration.ofDays(50));
        // started as long ago as the others, but its chunks arrived 50 days later: its age counts from them
        RecordedSession active = f.abandoned("alice", "web-1", NOW.minusSeconds(60));
        new LegalHolds(f.store, f.audit, f.clock).place(admin, LegalHold.Scope.USER, "frank", "case 21");
        f.clock.advance(Duration.ofDays(45));
        Pruner pruner = f.pruner(POLICY);

        assertThat(pruner.pruneAll()).as("95 days since its last chunk; the other 45, or held").isEqualTo(1);

        assertPruned(abandoned, "default");
        assertKept(held);
        assertKept(active);
        SessionRecord s = f.store.sessions().get(abandoned.id()).orElseThrow();
        assertThat(s.ended()).isFalse();
        Chunk last = abandoned.chunks.get(abandoned.chunks.size() - 1);
        assertThat(LedgerEntry.fromLeafData(f.store.ledger().leafData(s.pruned().ledgerIndex())))
                .isEqualTo(new LedgerEntry(LedgerEntry.Kind.TOMBSTONE, abandoned.id(), last.chunkSeq(), last.hash()));
        StoreReport report = f.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("1 sessions were pruned by retention"));

        // the recorder comes back: its next chunk, and its end, are refused for good (410) with the reason
        String refusal = "session " + abandoned.id() + " was pruned by retention on " + s.pruned().prunedAt()
                + "; later chunks are refused";
        byte[] late = RecordedSession.frames(abandoned.command("uptime", "up 95 days", 0));
        assertThatThrownBy(() -> f.ingest.ingest(abandoned.id(), RetentionFixture.HOST, late))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.problem()).isEqualTo(IngestException.Problem.ENDED))
                .hasMessage(refusal);
        byte[] end = RecordedSession.endFrame(abandoned.end());
        assertThatThrownBy(() -> f.ingest.ingest(abandoned.id(), RetentionFixture.HOST, end))
                .isInstanceOf(IngestException.class).hasMessage(refusal);
        assertThat(f.store.sessions().get(abandoned.id()).orElseThrow().committedSeq()).isEqualTo(last.chunkSeq());
        assertThat(f.verify().problems()).isEmpty();
    }

    @Test
    void verifyNamesAChunkAcceptedAfterTheTombstoneOfAnAbandonedSession() throws Exception {
        RecordedSession abandoned = f.abandoned("alice", "web-1", NOW.minusSeconds(60));
        f.clock.advance(Duration.ofDays(100));
        f.pruner(POLICY).pruneAll();
        long tombstone = f.store.sessions().get(abandoned.id()).orElseThrow().pruned().ledgerIndex();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.dataDir.resolve("server.db"))) {
            // the tombstone and the last chunk's leaf swap places, as if that chunk had come after the prune
            c.createStatement().executeUpdate("UPDATE sessions SET prune_ledger_index = (SELECT ledger_index FROM"
                    + " chunks WHERE session_id = '" + abandoned.id() + "' AND seq = 1) WHERE id = '"
                    + abandoned.id() + "'");
            c.createStatement().executeUpdate("UPDATE chunks SET ledger_index = " + tombstone + " WHERE session_id"
                    + " = '" + abandoned.id() + "' AND seq = 1");
        }

        assertThat(f.verify().problems())
                .anyMatch(p -> p.contains("session " + abandoned.id() + ": its tombstone (ledger leaf ")
                        && p.contains("comes before its last chunk"));
    }

    private long bytes(RecordedSession s) {
        return s.chunks.stream().mapToLong(c -> c.toBytes().length).sum();
    }

    private AuditRecord onlyPruneEvent() {
        List<AuditRecord> events = f.store.audit().list(null, "retention.prune", null, null, null, null, 10).items();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private void assertPruned(RecordedSession r, String policy) {
        SessionRecord s = f.store.sessions().get(r.id()).orElseThrow();
        assertThat(s.pruned()).as("session of %s", r.header.user()).isNotNull();
        assertThat(s.pruned().policy()).isEqualTo(policy);
        assertThat(s.pruned().prunedAt()).isNotNull();
        List<ChunkRecord> rows = f.store.sessions().chunks(r.id());
        assertThat(rows).as("the chunk rows carry the chain and stay").hasSize(r.chunks.size());
        for (ChunkRecord row : rows) {
            assertThat(f.blobs.get(row.blobKey())).as("blob of chunk %d", row.seq()).isEmpty();
        }
        assertThat(f.store.sessions().commands(r.id())).isEmpty();
        assertThat(f.store.sessions().events(r.id(), List.of())).isEmpty();
        assertThat(f.store.sessions().outputText(r.id(), 0, 10)).isEmpty();
    }

    private void assertKept(RecordedSession r) {
        SessionRecord s = f.store.sessions().get(r.id()).orElseThrow();
        assertThat(s.pruned()).as("session of %s on %s", r.header.user(), r.header.host()).isNull();
        assertThat(f.blobs.get(IngestService.blobKey(r.id(), 0))).isPresent();
        assertThat(f.store.sessions().commands(r.id())).hasSize(2);
    }
}
