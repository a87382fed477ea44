package org.ttyaudit.server.index;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.ingest.BatchParser;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background output indexer: ingest commits without output text, the indexer adds it, resumes from the
 * store's durable cursor after a stop, bounds each round, and skips a chunk whose blob is gone.
 */
class OutputTextIndexerTest {
    private static final String HOST = "host-1";

    @TempDir
    Path dir;
    private SqliteStore store;
    private DirectoryBlobStore blobs;
    private IngestService ingest;
    private OutputTextIndexer indexer;

    @AfterEach
    void close() {
        stop();
    }

    private void open() {
        store = SqliteStore.open(dir.resolve("server.db"));
        blobs = DirectoryBlobStore.open(dir.resolve("blobs"));
        indexer = new OutputTextIndexer(store, blobs, new ChunkIndexer(), Duration.ofMinutes(10));
        ingest = new IngestService(store, blobs, new Ledger(), new BatchParser(new ChunkIndexer()),
                Clock.systemUTC(), new IngestMetrics(new PrometheusRegistry()), indexer::committed);
    }

    private void stop() {
        if (ingest != null) {
            ingest.close();
            indexer.close();
            blobs.close();
            store.close();
            ingest = null;
        }
    }

    private void send(RecordedSession s, Chunk... chunks) {
        ingest.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(chunks)));
    }

    private List<String> outputHits(String word) {
        return store.sessions().search(word, SessionFilter.all(), null, 100).items().stream()
                .filter(h -> h.kind().equals("output")).map(SearchHit::snippet).toList();
    }

    @Test
    void ingestCommitsWithoutOutputTextAndTheIndexerAddsIt() throws Exception {
        open();
        RecordedSession s = new RecordedSession("alice", "web-1");
        send(s, s.command("cat /etc/hostname", "\u001b[1mweb-1.example\u001b[0m", 0), s.command("true", "", 0));
        // the command is searchable at once (it is indexed in the commit); wake() was called, but the thread
        // has not been started, so nothing indexed the output
        assertThat(store.sessions().search("hostname", SessionFilter.all(), null, 10).items()).isNotEmpty();
        assertThat(store.sessions().outputTextIndexedSeq(s.id())).isEqualTo(-1);
        assertThat(outputHits("example")).isEmpty();

        indexer.start();
        assertThat(indexer.awaitIndexed(Duration.ofSeconds(30))).isTrue();

        assertThat(store.sessions().outputTextIndexedSeq(s.id())).isEqualTo(1);
        assertThat(store.sessions().outputText(s.id(), 0, 1)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(new OutputText(s.id(), 0, s.chunks.get(0).firstOffsetMicros(),
                        "web-1.example\n"));
        assertThat(outputHits("example")).hasSize(1);
        assertThat(indexer.indexedChunks()).isEqualTo(2);
    }

    @Test
    void aBacklogLeftByAStopIsIndexedOnceAfterTheRestart() throws Exception {
        open();
        RecordedSession a = new RecordedSession("alice", "web-1");
        RecordedSession b = new RecordedSession("bob", "web-2");
        send(a, a.command("ls", "first-output", 0), a.command("ls", "second-output", 0));
        send(b, b.command("ls", "third-output", 0));
        // one round by hand, then "crash": the rest stays in the store's backlog
        store.write(tx -> {
            tx.insertOutputText(new OutputText(a.id(), 0, a.chunks.get(0).firstOffsetMicros(), "first-output"));
            tx.outputTextIndexed(a.id(), 0);
            return null;
        });
        stop();

        open();
        indexer.start();
        assertThat(indexer.awaitIndexed(Duration.ofSeconds(30))).isTrue();

        assertThat(store.sessions().outputText(a.id(), 0, 10)).extracting(OutputText::text)
                .containsExactly("first-output", "second-output\n");
        assertThat(store.sessions().outputText(b.id(), 0, 10)).extracting(OutputText::text)
                .containsExactly("third-output\n");
        assertThat(store.sessions().outputTextBacklog(null, 10)).isEmpty();
    }

    @Test
    void eachRoundIsBoundedAndEverySessionGetsItsTurn() {
        open();
        String line = "x".repeat(1023) + "\n";
        int chunkChars = 256 * 1024;
        int sessions = 3;
        int chunksEach = 6;
        List<RecordedSession> all = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            RecordedSession s = new RecordedSession("user" + i, "web-1");
            List<Chunk> chunks = new ArrayList<>();
            for (int c = 0; c < chunksEach; c++) {
                chunks.add(s.command("cat big", line.repeat(chunkChars / line.length()), 0));
            }
            send(s, chunks.toArray(new Chunk[0]));
            all.add(s);
        }
        long total = (long) sessions * chunksEach;
        long maxChunksPerRound = OutputTextIndexer.MAX_TEXT_CHARS_PER_ROUND / chunkChars;
        List<Integer> rounds = new ArrayList<>();
        int done;
        while ((done = indexer.round()) > 0) {
            rounds.add(done);
            assertThat(done).as("chunks in one round").isLessThanOrEqualTo((int) maxChunksPerRound);
            assertThat(rounds).as("rounds").hasSizeLessThan(100);
        }
        assertThat(rounds.stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        assertThat(rounds).hasSizeGreaterThanOrEqualTo((int) (total / maxChunksPerRound));
        for (RecordedSession s : all) {
            assertThat(store.sessions().outputText(s.id(), 0, chunksEach)).hasSize(chunksEach);
        }
    }

    @Test
    void aChunkWhoseBlobIsGoneIsSkippedAndTheRestIsIndexed() throws Exception {
        open();
        RecordedSession s = new RecordedSession("alice", "web-1");
        send(s, s.command("ls", "lost-output", 0), s.command("ls", "kept-output", 0));
        Files.delete(dir.resolve("blobs").resolve(IngestService.blobKey(s.id(), 0)));

        while (indexer.round() > 0) {
            // until the backlog is empty
        }

        assertThat(store.sessions().outputTextIndexedSeq(s.id())).isEqualTo(1);
        assertThat(store.sessions().outputText(s.id(), 0, 1)).extracting(OutputText::text)
                .containsExactly("kept-output\n");
    }
}
