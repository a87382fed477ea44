package org.ttyaudit.server.store.postgres;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.TestData;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.store.TestData.appendLeaf;
import static org.ttyaudit.server.store.TestData.command;
import static org.ttyaudit.server.store.TestData.end;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;
import static org.ttyaudit.server.store.TestData.nextChunk;

/**
 * What is particular to PostgreSQL: several store instances (as several server processes would, each with its own
 * pool and in-process lock) writing one database, and the monthly content partitions.
 */
class PostgresInstancesTest {

    @Test
    void ledgerAppendsOfTwoInstancesAreSerialisedIntoOneGaplessLedger() throws Exception {
        PostgresSettings db = PostgresCluster.get().newDatabase();
        int threadsPerInstance = 3;
        int appendsEach = 20;
        try (Store first = PostgresStore.open(db, Clock.systemUTC());
             Store second = PostgresStore.open(db, Clock.systemUTC())) {
            TestData.appendLeavesConcurrently(List.of(first, second), 2 * threadsPerInstance, appendsEach, 120);

            long size = 2L * threadsPerInstance * appendsEach;
            assertThat(first.ledger().size()).isEqualTo(size);
            assertThat(second.ledger().size()).isEqualTo(size);
            Set<String> leaves = new HashSet<>();
            for (long i = 0; i < size; i++) {
                leaves.add(new String(second.ledger().leafData(i), StandardCharsets.UTF_8));
            }
            assertThat(leaves).hasSize((int) size);
        }
    }

    @Test
    void contentOfAMonthsSessionsLivesInThatMonthsPartitionWhichIsDroppedOnceAllArePruned() throws Exception {
        PostgresCluster cluster = PostgresCluster.get();
        PostgresSettings db = cluster.newDatabase();
        Instant now = Instant.now();
        Instant lastMonth = now.atZone(ZoneOffset.UTC).minusMonths(1).toInstant();
        // the store makes partitions from its clock's month on: start it a month back, as if it ran then
        try (PostgresStore store = PostgresStore.open(db, Clock.fixed(lastMonth, ZoneOffset.UTC))) {
            UUID id = sessionIdAt(lastMonth);
            store.write(tx -> {
                tx.insertSession(newSession(header().id(id).startedAt(lastMonth).build(), "host-1",
                        appendLeaf(tx, "start")));
                SessionRecord s = tx.session(id).orElseThrow();
                tx.insertChunk(nextChunk(s, 10, appendLeaf(tx, "chunk")), lastMonth);
                tx.insertCommands(List.of(command(id, 0, "make deploy", 1_000)));
                return null;
            });
            String partition = ContentPartitions.partitionName("commands",
                    java.time.YearMonth.from(lastMonth.atZone(ZoneOffset.UTC)));
            assertThat(count(cluster, db, "SELECT count(*) FROM " + partition)).isEqualTo(1);
            assertThat(count(cluster, db, "SELECT count(*) FROM commands_default")).isZero();
            assertThat(store.sessions().search("deploy", org.ttyaudit.server.store.SessionFilter.all(), null, 10).items()).hasSize(1);

            assertThat(ContentPartitions.dropPruned(dbOf(store), now)).as("its session is not pruned").isEmpty();
            store.write(tx -> {
                SessionRecord s = tx.session(id).orElseThrow();
                tx.endSession(end(s, appendLeaf(tx, "end")));
                tx.pruneSession(id, new org.ttyaudit.server.store.PruneInfo(now, "test", appendLeaf(tx, "prune"), 0));
                return null;
            });
            assertThat(ContentPartitions.dropPruned(dbOf(store), now)).hasSize(1);
            assertThat(count(cluster, db, "SELECT count(*) FROM pg_class WHERE relname = '" + partition + "'"))
                    .isZero();
            assertThat(store.sessions().get(id)).as("the session row and its chain stay").isPresent();
        }
    }

    private static PostgresDatabase dbOf(PostgresStore store) {
        return store.database();
    }

    private static UUID sessionIdAt(Instant at) {
        long msb = (at.toEpochMilli() << 16) | 0x7000L;
        return new UUID(msb, 0x8000000000000001L);
    }

    private static long count(PostgresCluster cluster, PostgresSettings db, String sql) throws Exception {
        try (Connection c = cluster.connect(db.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
