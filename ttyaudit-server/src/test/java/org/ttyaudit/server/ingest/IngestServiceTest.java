package org.ttyaudit.server.ingest;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.blob.FlakyBlobStore;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The committer's ordering of blobs and rows: a chunk row commits only with its bytes durable in the blob store,
 * also when many requests share a group and the blob batch is written while the rows are.
 */
class IngestServiceTest {
    private static final String HOST = "host-1";

    @TempDir
    Path dir;
    private SqliteStore store;
    private DirectoryBlobStore directory;
    private IngestService ingest;

    @AfterEach
    void close() {
        if (ingest != null) {
            ingest.close();
        }
        if (directory != null) {
            directory.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void open(boolean flaky) {
        store = SqliteStore.open(dir.resolve("server.db"));
        directory = DirectoryBlobStore.open(dir.resolve("blobs"));
        ingest = new IngestService(store, flaky ? new FlakyBlobStore(directory) : directory, new Ledger(),
                new BatchParser(new ChunkIndexer()), Clock.systemUTC(), new IngestMetrics(new PrometheusRegistry()));
    }

    @Test
    void aFailedBlobBatchCommitsNoRowAndTheRetryStoresBoth() {
        open(true);
        RecordedSession s = new RecordedSession("alice", "web-1");
        Chunk c0 = s.command("ls", "a b c", 0);
        byte[] body = RecordedSession.concat(s.headerFrame(), RecordedSession.frames(c0));

        assertThatThrownBy(() -> ingest.ingest(s.id(), HOST, body))
                .isInstanceOfSatisfying(IngestException.class,
                        e -> assertThat(e.problem()).isEqualTo(IngestException.Problem.UNAVAILABLE))
                .hasMessageContaining("flaky on purpose");
        assertThat(store.sessions().get(s.id())).isEmpty();

        CommitPoint point = ingest.ingest(s.id(), HOST, body);
        assertThat(point.committedSeq()).isZero();
        assertThat(directory.get(IngestService.blobKey(s.id(), 0))).hasValueSatisfying(
                b -> assertThat(b).isEqualTo(c0.toBytes()));
    }

    @Test
    void concurrentSessionsCommitEveryChunkWithItsBytes() throws Exception {
        open(false);
        int sessions = 24;
        int chunks = 6;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<RecordedSession>> running = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                running.add(pool.submit(() -> {
                    RecordedSession s = new RecordedSession("user" + n, "web-" + n);
                    ingest.ingest(s.id(), HOST, s.headerFrame());
                    for (int k = 0; k < chunks; k++) {
                        CommitPoint p = ingest.ingest(s.id(), HOST,
                                RecordedSession.frames(s.command("echo " + k, "out " + n + " " + k, 0)));
                        assertThat(p.committedSeq()).isEqualTo(k);
                    }
                    return s;
                }));
            }
            for (Future<RecordedSession> f : running) {
                RecordedSession s = f.get();
                List<ChunkRecord> rows = store.sessions().chunks(s.id());
                assertThat(rows).hasSize(chunks);
                for (ChunkRecord row : rows) {
                    assertThat(directory.get(row.blobKey())).hasValueSatisfying(
                            b -> assertThat(b).isEqualTo(s.chunks.get((int) row.seq()).toBytes()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
