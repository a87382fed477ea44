package org.ttyaudit.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.ingest.BatchParser;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * The hub between the real ingest service (SQLite store, blob directory) and viewers: replay then live without
 * gap or repeat, characters split across chunks arrive whole, the end closes with 1000, and a viewer that does
 * not keep up is dropped with 1008 while ingest goes on undisturbed.
 */
class LiveHubTest {
    private static final String HOST = "host-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private SqliteStore store;
    private DirectoryBlobStore blobs;
    private IngestService ingest;
    private LiveHub hub;

    private void open(LiveHub.Limits limits) {
        store = SqliteStore.open(dir.resolve("server.db"));
        blobs = DirectoryBlobStore.open(dir.resolve("blobs"));
        hub = new LiveHub(store, blobs, limits, new PrometheusRegistry());
        ingest = new IngestService(store, blobs, new Ledger(), new BatchParser(new ChunkIndexer()),
                Clock.systemUTC(), new IngestMetrics(new PrometheusRegistry()), () -> { }, hub);
    }

    @AfterEach
    void close() {
        if (ingest != null) {
            hub.close();
            ingest.close();
            blobs.close();
            store.close();
        }
    }

    @Test
    void aViewerSeesTheStoredPartThenEachCommitThenTheEnd() throws Exception {
        open(LiveHub.Limits.defaults());
        RecordedSession s = new RecordedSession("alice", "web-1");
        ingest.ingest(s.id(), HOST, concat(s.headerFrame(), frames(s.command("ls", "already-stored", 0))));

        RecordingSocket socket = new RecordingSocket();
        LiveViewer viewer = hub.watch(s.id(), socket).orElseThrow();
        assertThat(hub.flushWithinMillis(s.id())).hasValue(LiveHub.WATCHED_FLUSH_MILLIS);
        socket.awaitText("already-stored");

        ingest.ingest(s.id(), HOST, frames(s.command("make", "arrived-live", 0)));
        socket.awaitText("arrived-live");
        ingest.ingest(s.id(), HOST, endFrame(s.end()));
        assertThat(viewer.awaitEnd(10_000)).isTrue();

        List<String> frames = socket.frames();
        JsonNode header = JSON.readTree(frames.get(0));
        assertThat(header.get("version").asInt()).isEqualTo(2);
        assertThat(header.get("width").asInt()).isEqualTo(80);
        assertThat(header.get("height").asInt()).isEqualTo(24);
        assertThat(header.get("timestamp").asLong()).isEqualTo(s.header.startedAt().getEpochSecond());
        assertThat(header.get("env").get("TERM").asText()).isEqualTo("xterm-256color");
        List<JsonNode> events = new ArrayList<>();
        for (String f : frames.subList(1, frames.size())) {
            events.add(JSON.readTree(f));
        }
        assertThat(events).extracting(e -> e.get(1).asText() + ":" + e.get(2).asText()).containsExactly(
                "m:ls", "o:\u001b[1malready-stored\u001b[0m\r\n", "m:make", "o:\u001b[1marrived-live\u001b[0m\r\n");
        assertThat(events.get(0).get(0).asDouble()).isEqualTo(0.001);   // seconds since the start
        assertThat(events.get(2).get(0).asDouble()).isEqualTo(1.001);
        assertThat(socket.closed).isEqualTo(1000);
        assertThat(hub.viewers()).isZero();
        assertThat(hub.flushWithinMillis(s.id())).isEmpty();
    }

    @Test
    void aCharacterSplitAcrossChunksArrivesWhole() throws Exception {
        open(LiveHub.Limits.defaults());
        RecordedSession s = new RecordedSession("alice", "web-1");
        ingest.ingest(s.id(), HOST, s.headerFrame());
        RecordingSocket socket = new RecordingSocket();
        LiveViewer viewer = hub.watch(s.id(), socket).orElseThrow();
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        ingest.ingest(s.id(), HOST, frames(s.output(new byte[]{'c', 'a', 'f', e[0]})));
        ingest.ingest(s.id(), HOST, frames(s.output(new byte[]{e[1], '!', (byte) 0xFF})));
        ingest.ingest(s.id(), HOST, endFrame(s.end()));
        assertThat(viewer.awaitEnd(10_000)).isTrue();
        StringBuilder text = new StringBuilder();
        for (String f : socket.frames().subList(1, socket.frames().size())) {
            text.append(JSON.readTree(f).get(2).asText());
        }
        assertThat(text.toString()).isEqualTo("café!\uFFFD");
    }

    @Test
    void aViewerThatStopsReadingIsDroppedAndIngestGoesOn() throws Exception {
        open(new LiveHub.Limits(4, 3, 1024 * 1024, 60_000));
        RecordedSession s = new RecordedSession("alice", "web-1");
        ingest.ingest(s.id(), HOST, s.headerFrame());
        RecordingSocket stuck = new RecordingSocket();
        stuck.stuck = true;   // the network takes nothing: every send stays pending
        LiveViewer viewer = hub.watch(s.id(), stuck).orElseThrow();
        RecordingSocket reading = new RecordingSocket();
        hub.watch(s.id(), reading).orElseThrow();

        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            ingest.ingest(s.id(), HOST, frames(s.command("echo " + i, "line-" + i, 0)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("ingest never waits for a viewer")
                    .isLessThan(Duration.ofSeconds(5));
            reading.awaitText("line-" + i);   // this one keeps up
        }
        assertThat(viewer.awaitEnd(10_000)).isTrue();
        assertThat(stuck.closed).isEqualTo(1008);
        assertThat(stuck.reason).contains("fell behind");
        assertThat(hub.viewers()).as("the reading viewer stays").isEqualTo(1);
    }

    @Test
    void theHubRefusesViewersBeyondItsLimit() {
        open(new LiveHub.Limits(1, 8, 1024, 1_000));
        RecordedSession s = new RecordedSession("alice", "web-1");
        ingest.ingest(s.id(), HOST, s.headerFrame());
        assertThat(hub.watch(s.id(), new RecordingSocket())).isPresent();
        assertThat(hub.full()).isTrue();
        assertThat(hub.watch(s.id(), new RecordingSocket())).isEmpty();
    }

    /** A socket that keeps what is sent (or, stuck, never completes a send) and how it was closed. */
    private static final class RecordingSocket implements ViewerSocket {
        private final List<String> sent = new ArrayList<>();
        volatile boolean stuck;
        volatile int closed;
        volatile String reason;

        @Override
        public synchronized CompletableFuture<Void> send(String text) {
            if (stuck) {
                return new CompletableFuture<>();
            }
            sent.add(text);
            notifyAll();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized void close(int code, String why) {
            closed = code;
            reason = why;
            notifyAll();
        }

        @Override
        public void ping() {
        }

        @Override
        public void disconnect() {
            closed = -1;
        }

        synchronized List<String> frames() {
            return new ArrayList<>(sent);
        }

        synchronized void awaitText(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent.stream().noneMatch(f -> f.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no frame with " + text + " in " + sent);
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

}
