package org.ttyaudit.server.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.TestData;
import org.ttyaudit.server.testkit.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code write} acknowledged survives a SIGKILL of the process, and the database opens consistent. */
class SqliteKillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        Path db = dir.resolve("store.db");
        List<String> printed;
        try (ChildJvm child = ChildJvm.start(dir, SqliteCrashWriter.class, db.toString())) {
            child.awaitLines(1 + 40, Duration.ofSeconds(60));
            printed = child.killAndCollect();
        }
        long lastAcknowledged = printed.stream().skip(1).mapToLong(Long::parseLong).max().orElseThrow();
        assertThat(printed.get(0)).isEqualTo("started");

        try (Store store = SqliteStore.open(db)) {
            SessionRecord s = store.sessions().get(TestData.sessionId(0, 1)).orElseThrow();
            assertThat(s.committedSeq()).as("the commit point").isGreaterThanOrEqualTo(lastAcknowledged);
            // whatever the kill interrupted is either all there or not at all
            List<ChunkRecord> chunks = store.sessions().chunks(s.id());
            assertThat(chunks).hasSize((int) s.committedSeq() + 1);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).seq()).isEqualTo(i);
            }
            for (String line : printed.subList(1, printed.size())) {
                assertThat(chunks.get(Integer.parseInt(line)).seq()).isEqualTo(Long.parseLong(line));
            }
            assertThat(store.sessions().commands(s.id())).hasSize(chunks.size());
            assertThat(s.commandCount()).isEqualTo(chunks.size());
            assertThat(store.ledger().size()).isEqualTo(1 + chunks.size());
            assertThat(s.lastHash()).isEqualTo(chunks.get(chunks.size() - 1).hash());
        }
    }
}
