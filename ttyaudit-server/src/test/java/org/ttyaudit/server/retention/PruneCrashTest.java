package org.ttyaudit.server.retention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.testkit.ChildJvm;
import org.ttyaudit.server.verify.StoreReport;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.auth.Role;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of a prune: a child JVM prunes a real data directory and is killed with SIGKILL after
 * the transaction of its second batch committed and while it deletes that batch's blobs (one session's first chunk
 * gone, its second not). The store it leaves verifies; every session is either pruned (tombstone, no content rows)
 * or untouched; and a new run deletes the leftover blobs, prunes the rest, and the store still verifies.
 */
class PruneCrashTest {
    static final String POLICY = """
            retention:
              keep_days: 30
              batch: 3
            """;
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aKilledPruneLeavesAConsistentStoreThatTheNextRunCompletes(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        List<UUID> due = new ArrayList<>();
        UUID held;
        UUID young;
        try (RetentionFixture f = new RetentionFixture(data, NOW)) {
            for (int i = 0; i < 9; i++) {
                due.add(f.session("user" + i, "web-1", NOW.minus(Duration.ofDays(40 + i)), Map.of()).id());
            }
            held = f.session("held", "web-1", NOW.minus(Duration.ofDays(50)), Map.of()).id();
            new LegalHolds(f.store, f.audit, f.clock).place(Principal.user("u", "admin", Role.ADMIN, false),
                    LegalHold.Scope.USER, "held", "case 1");
            young = f.session("young", "web-1", NOW.minus(Duration.ofDays(3)), Map.of()).id();
            f.heads.signNow();
        }

        try (ChildJvm child = ChildJvm.start(dir, PruneCrashChild.class, data.toString(), NOW.toString())) {
            // "started", then batch 1's 6 deletes, then the first delete of batch 2 (session 4, chunk 0)
            child.awaitLines(1 + 6 + 1, Duration.ofSeconds(60));
            List<String> printed = child.killAndCollect();
            assertThat(printed).doesNotContain("done");
        }

        try (RetentionFixture f = new RetentionFixture(data, NOW)) {
            int pruned = 0;
            for (UUID id : due) {
                SessionRecord s = f.store.sessions().get(id).orElseThrow();
                if (s.isPruned()) {
                    pruned++;
                    assertThat(f.store.sessions().commands(id)).isEmpty();
                } else {
                    assertThat(f.store.sessions().commands(id)).hasSize(2);
                    for (ChunkRecord c : f.store.sessions().chunks(id)) {
                        assertThat(f.blobs.get(c.blobKey())).isPresent();
                    }
                }
            }
            assertThat(pruned).as("batches 1 and 2 committed before their blobs were deleted").isEqualTo(6);
            assertThat(f.store.retention().blobsPendingDeletion(100)).as("batch 2's blobs were not all deleted")
                    .hasSize(3);
            StoreReport afterCrash = f.verify();
            assertThat(afterCrash.problems()).isEmpty();

            Pruner again = new Pruner(f.store, f.blobs, f.ledger, f.audit, RetentionFixture.settings(POLICY),
                    f.clock);
            assertThat(again.pruneAll()).isEqualTo(3);

            assertThat(f.store.retention().blobsPendingDeletion(100)).isEmpty();
            for (UUID id : due) {
                assertThat(f.store.sessions().get(id).orElseThrow().isPruned()).isTrue();
                for (ChunkRecord c : f.store.sessions().chunks(id)) {
                    assertThat(f.blobs.get(c.blobKey())).as("blob %s", c.blobKey()).isEmpty();
                }
            }
            assertThat(f.store.sessions().get(held).orElseThrow().isPruned()).isFalse();
            assertThat(f.store.sessions().get(young).orElseThrow().isPruned()).isFalse();
            assertThat(f.blobs.get(IngestService.blobKey(held, 1))).isPresent();
            assertThat(f.store.audit().list(null, "retention.prune", null, null, null, null, 10).items())
                    .as("one audit event per committed batch").hasSize(3);
            assertThat(f.verify().problems()).isEmpty();
        }
    }
}
