package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.SessionId;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolUploaderTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private final FakeSleeper sleeper = new FakeSleeper();

    @BeforeEach
    void startServer() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private IngestClient client() {
        return new IngestClient(server.credential(), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private SpoolUploader drainer(Path file, SpoolUploader.Settings settings) {
        return new SpoolUploader(file, RecordProgress.finished(Long.MAX_VALUE), client(), new Backoff(() -> 1.0),
                sleeper, settings, new SpoolUploader.Listener() { });
    }

    private static SpoolUploader.Settings oneFramePerRequest() {
        return new SpoolUploader.Settings(Integer.MAX_VALUE, SpoolUploader.HEARTBEAT, 1);
    }

    private static void assertServerHoldsExactly(FakeIngestServer.Session s, Path file) throws Exception {
        Recording r = RecordFileReader.open(file);
        assertThat(s.chunks()).isEqualTo(r.chunks());
        assertThat(s.end()).isEqualTo(r.end());
        assertThat(s.header()).isEqualTo(r.headerRecordBytes());
    }

    @Test
    void finishedRecordGoesUpInOneRequestAfterAskingTheCommitPoint() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 3, true);

        UploadOutcome outcome = drainer(file, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 3));
        assertThat(server.requestLog()).containsExactly("GET 404", "POST 200 [h,0,1,2,e]");
        assertServerHoldsExactly(server.session(id).orElseThrow(), file);
    }

    @Test
    void requestsAreBoundedInSizeButAFrameIsNeverSplit() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 3, true);

        assertThat(drainer(file, oneFramePerRequest()).run()).isInstanceOf(UploadOutcome.Uploaded.class);

        assertThat(server.requestLog()).containsExactly("GET 404", "POST 200 [h]", "POST 200 [0]", "POST 200 [1]",
                "POST 200 [2]", "POST 200 [e]");
    }

    @Test
    void whatTheServerHoldsIsSkippedAfterCheckingItsHash() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 4, true);
        Path prefix = TestRecords.write(dir.resolve("prefix.tta"), id, 2, false);
        assertThat(drainer(prefix, SpoolUploader.Settings.persistent()).run())
                .isEqualTo(new UploadOutcome.Uploaded(id, false, 2));

        assertThat(drainer(file, SpoolUploader.Settings.persistent()).run())
                .isEqualTo(new UploadOutcome.Uploaded(id, true, 4));

        assertThat(server.requestLog()).containsExactly("GET 404", "POST 200 [h,0,1]", "GET 200", "POST 200 [2,3,e]");
        assertServerHoldsExactly(server.session(id).orElseThrow(), file);
    }

    @Test
    void anAnswerLostAfterTheCommitIsNotSentAgainAndALostRequestIsResent() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 4, true);
        server.dropNextPosts(1, FakeIngestServer.Drop.BEFORE_PROCESSING); // [h]: lost on the way, resent
        server.dropNextPosts(1, FakeIngestServer.Drop.AFTER_COMMIT);      // [h]: stored, answer lost
        server.dropNextPosts(1, FakeIngestServer.Drop.AFTER_COMMIT);      // [0]: stored, answer lost
        server.dropNextPosts(1, FakeIngestServer.Drop.BEFORE_PROCESSING); // [1]: lost on the way, resent

        UploadOutcome outcome = drainer(file, oneFramePerRequest()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 4));
        // After each failure: backoff, then the commit point first, then only what it does not cover.
        assertThat(server.requestLog()).containsExactly(
                "GET 404", "POST dropped before processing",
                "GET 404", "POST 200 [h]", "POST answer dropped after commit",
                "GET 200", "POST 200 [0]", "POST answer dropped after commit",
                "GET 200", "POST dropped before processing",
                "GET 200", "POST 200 [1]", "POST 200 [2]", "POST 200 [3]", "POST 200 [e]");
        // The server received every chunk exactly once and none is missing.
        assertThat(server.postedChunkSeqs()).containsExactly(0L, 1L, 2L, 3L);
        assertServerHoldsExactly(server.session(id).orElseThrow(), file);
        // Successful GETs in between do not reset the backoff: only a POST that gets through does.
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aConflictResumesFromTheCommitPointInTheAnswer() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 3, true);
        // Another client stores header, chunks 0 and 1 between this client's GET and its POST.
        byte[] firstThree = framesOf(file, 3);
        server.beforeNextPost(() -> assertThat(server.ingestDirectly(id, firstThree)).isEqualTo(200));

        UploadOutcome outcome = drainer(file, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 3));
        assertThat(server.requestLog()).containsExactly("GET 404", "DIRECT 200 [h,0,1]", "POST 409 [h,0,1,2,e] "
                + "chunk 0 is not 2", "POST 200 [2,e]");
        assertThat(sleeper.sleeps()).as("a 409 is not a failure: no backoff").isEmpty();
        assertServerHoldsExactly(server.session(id).orElseThrow(), file);
    }

    @Test
    void transientFailuresBackOffExponentiallyUpToThirtySecondsWithJitter() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 1, true);
        server.answerNextPosts(9, 503);

        UploadOutcome outcome = new SpoolUploader(file, RecordProgress.finished(Long.MAX_VALUE), client(),
                new Backoff(() -> 0.0), sleeper, SpoolUploader.Settings.persistent(),
                new SpoolUploader.Listener() { }).run();

        assertThat(outcome).isInstanceOf(UploadOutcome.Uploaded.class);
        // Jitter 0 gives the lower half of each step: 0.5 s, 1, 2, 4, 8, 16, 32 → capped at 30.
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(15));
    }

    @Test
    void backoffStepsAndJitterBounds() {
        Backoff full = new Backoff(() -> 1.0);
        List<Duration> steps = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            steps.add(full.next());
        }
        assertThat(steps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30));
        full.reset();
        assertThat(full.next()).isEqualTo(Duration.ofMillis(500));
        Backoff half = new Backoff(() -> 0.5);
        assertThat(half.next()).isEqualTo(Duration.ofMillis(375));
    }

    @Test
    void permanentRefusalStopsAtOnceAndSaysWhy() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 2, true);
        server.answerNextPosts(1, 422);

        UploadOutcome outcome = drainer(file, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isInstanceOf(UploadOutcome.Refused.class);
        assertThat(((UploadOutcome.Refused) outcome).reason()).contains("422").contains("injected failure");
        assertThat(((UploadOutcome.Refused) outcome).hostRefused()).isFalse();
        assertThat(server.requestLog()).containsExactly("GET 404", "POST 422 (injected)");
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aRefusedCredentialIsAProblemOfTheHost() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 1, true);
        HostCredential wrong = new HostCredential(server.uri(), server.fingerprint(), "h", "tth_wrong");

        UploadOutcome outcome = new SpoolUploader(file, RecordProgress.finished(Long.MAX_VALUE),
                new IngestClient(wrong), new Backoff(), sleeper, SpoolUploader.Settings.persistent(),
                new SpoolUploader.Listener() { }).run();

        assertThat(outcome).isInstanceOf(UploadOutcome.Refused.class);
        assertThat(((UploadOutcome.Refused) outcome).hostRefused()).isTrue();
        assertThat(outcome.describe()).contains("401").doesNotContain("tth_wrong");
    }

    @Test
    void anUnreachableServerIsGivenUpAfterTheAttemptsAllowed() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 1, true);
        server.goDown();

        UploadOutcome outcome = drainer(file, SpoolUploader.Settings.attempts(3)).run();

        assertThat(outcome).isInstanceOf(UploadOutcome.Unreachable.class);
        assertThat(outcome.describe()).contains("cannot reach " + server.uri());
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aServerHoldingAnotherChainIsRefusedNotOverwritten() throws Exception {
        SessionId id = TestRecords.newId();
        Path original = TestRecords.write(dir.resolve("a.tta"), id, 2, false);
        assertThat(drainer(original, SpoolUploader.Settings.persistent()).run())
                .isInstanceOf(UploadOutcome.Uploaded.class);
        // The same session id with different content (an edited or foreign file).
        Path other = dir.resolve("b.tta");
        try (RecordFileWriter w = RecordFileWriter.create(other, TestRecords.header(id))) {
            w.appendChunk(TestRecords.chunk(0));
            w.appendChunk(TestRecords.chunk(7));
            w.appendChunk(TestRecords.chunk(8));
        }

        UploadOutcome outcome = drainer(other, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isInstanceOf(UploadOutcome.Refused.class);
        assertThat(outcome.describe()).contains("chunk 1 is not this record's");
        assertThat(server.session(id).orElseThrow().chunks()).hasSize(2);
    }

    @Test
    void aFileThatIsNotARecordIsSaidToBeSo() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.tta"), "not a record at all");
        assertThat(drainer(junk, SpoolUploader.Settings.persistent()).run())
                .isInstanceOf(UploadOutcome.NotARecord.class)
                .satisfies(o -> assertThat(o.describe()).contains("bad magic"));

        SessionId id = TestRecords.newId();
        Path damaged = TestRecords.write(dir.resolve("damaged.tta"), id, 3, true);
        byte[] bytes = Files.readAllBytes(damaged);
        long chunk1 = frameOffsets(damaged).get(2);
        bytes[(int) chunk1 + 60] ^= 0x40;
        Files.write(damaged, bytes);
        UploadOutcome outcome = drainer(damaged, SpoolUploader.Settings.persistent()).run();
        assertThat(outcome).isInstanceOf(UploadOutcome.NotARecord.class);
        assertThat(outcome.describe()).contains("frame at byte " + chunk1 + " is damaged");
        // The intact frames before the damage went up; nothing after it.
        assertThat(server.requestLog()).containsExactly("GET 404", "POST 200 [h,0]");
    }

    @Test
    void liveSessionShipsOnlyDurableFramesAsTheyAppearThenTheEnd() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = dir.resolve("live.tta");
        RecordProgress progress = new RecordProgress();
        SpoolUploader uploader = new SpoolUploader(file, progress, client(), new Backoff(), sleeper,
                SpoolUploader.Settings.persistent(), new SpoolUploader.Listener() { });
        CompletableFuture<UploadOutcome> outcome = runInThread(uploader);

        try (RecordFileWriter w = RecordFileWriter.create(file, TestRecords.header(id))) {
            progress.durable(w.durableLength());
            awaitCommitted(id, -1);
            for (int i = 0; i < 3; i++) {
                w.appendChunk(TestRecords.chunk(i));
                long durable = w.durableLength();
                // Bytes past the durable length must not be shipped: append a frame not yet reported.
                if (i == 1) {
                    w.appendChunk(TestRecords.chunk(2));
                    i++;
                }
                progress.durable(i == 2 ? w.durableLength() : durable);
                awaitCommitted(id, i);
            }
            w.finish(TestRecords.end());
            progress.durable(w.durableLength());
            progress.closed();
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new UploadOutcome.Uploaded(id, true, 3));
        assertServerHoldsExactly(server.session(id).orElseThrow(), file);
        assertThat(server.postedChunkSeqs()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void onlyTheDurablePrefixIsSentEvenWhenTheFileHoldsMore() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 3, true);
        RecordProgress progress = new RecordProgress();
        progress.durable(frameOffsets(file).get(2)); // header and chunk 0 are durable, the rest not yet
        CompletableFuture<UploadOutcome> outcome = runInThread(new SpoolUploader(file, progress, client(),
                new Backoff(), sleeper, SpoolUploader.Settings.persistent(), new SpoolUploader.Listener() { }));

        awaitCommitted(id, 0);
        awaitHeartbeats(3);
        assertThat(server.session(id).orElseThrow().chunks()).hasSize(1);
        progress.durable(Files.size(file));
        progress.closed();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new UploadOutcome.Uploaded(id, true, 3));
    }

    @Test
    void aLiveSessionHearsWhenTheServerWantsShortChunksAndWhenNoLonger() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = dir.resolve("watched.tta");
        RecordProgress progress = new RecordProgress();
        List<Optional<Duration>> asked = new CopyOnWriteArrayList<>();
        SpoolUploader uploader = new SpoolUploader(file, progress, client(), new Backoff(), sleeper,
                SpoolUploader.Settings.persistent(), new SpoolUploader.Listener() {
                    @Override
                    public void flushWithin(Optional<Duration> latency) {
                        asked.add(latency);
                    }
                });
        CompletableFuture<UploadOutcome> outcome = runInThread(uploader);
        try (RecordFileWriter w = RecordFileWriter.create(file, TestRecords.header(id))) {
            progress.durable(w.durableLength());
            w.appendChunk(TestRecords.chunk(0));
            progress.durable(w.durableLength());
            awaitCommitted(id, 0);
            server.watched(id, 200);
            awaitHeartbeats(2);
            server.watched(id, null);
            awaitHeartbeats(2);
            w.finish(new org.ttyaudit.core.model.SessionEnd(TestRecords.START.plusSeconds(5), 0, 1, "exit"));
            progress.durable(w.durableLength());
            progress.closed();
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new UploadOutcome.Uploaded(id, true, 1));
        assertThat(asked).as("told once when it appears and once when it goes")
                .containsExactly(Optional.of(Duration.ofMillis(200)), Optional.empty());
    }

    @Test
    void idleLiveSessionAsksTheCommitPointEveryTwoSecondsAndHearsTerminate() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = dir.resolve("live.tta");
        RecordProgress progress = new RecordProgress();
        List<String> reasons = new CopyOnWriteArrayList<>();
        SpoolUploader uploader = new SpoolUploader(file, progress, client(), new Backoff(), sleeper,
                SpoolUploader.Settings.persistent(), new SpoolUploader.Listener() {
                    @Override
                    public void terminateRequested(String reason) {
                        reasons.add(reason);
                    }
                });
        CompletableFuture<UploadOutcome> outcome = runInThread(uploader);
        try (RecordFileWriter w = RecordFileWriter.create(file, TestRecords.header(id))) {
            progress.durable(w.durableLength());
            w.appendChunk(TestRecords.chunk(0));
            progress.durable(w.durableLength());
            awaitCommitted(id, 0);
            awaitHeartbeats(2);
            assertThat(reasons).isEmpty();

            server.terminate(id, "rule 'no rm -rf /' fired");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reasons.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(reasons).containsExactly("rule 'no rm -rf /' fired");
            assertThat(sleeper.progressWaits()).allMatch(d -> d.equals(Duration.ofSeconds(2)));

            w.finish(new org.ttyaudit.core.model.SessionEnd(TestRecords.START.plusSeconds(5), 129, 1,
                    "terminated"));
            progress.durable(w.durableLength());
            progress.closed();
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new UploadOutcome.Uploaded(id, true, 1));
        assertThat(server.session(id).orElseThrow().end().orElseThrow().end().reason()).isEqualTo("terminated");
        assertThat(reasons).hasSize(1);
    }

    @Test
    void aRecordThatCanNeverEndIsUploadedAsIncomplete() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 2, false);
        // A crash in the middle of a write leaves a torn frame: the intact prefix goes up.
        Files.write(file, new byte[] {0, 0, 1, 0, 2, 9, 9}, java.nio.file.StandardOpenOption.APPEND);

        assertThat(drainer(file, SpoolUploader.Settings.persistent()).run())
                .isEqualTo(new UploadOutcome.Uploaded(id, false, 2));
        assertThat(server.session(id).orElseThrow().chunks()).hasSize(2);
        assertThat(server.session(id).orElseThrow().end()).isEmpty();
    }

    // ---- helpers ----

    private static CompletableFuture<UploadOutcome> runInThread(SpoolUploader uploader) {
        CompletableFuture<UploadOutcome> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(uploader.run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-uploader");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private void awaitCommitted(SessionId id, long seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var s = server.session(id);
            if (s.isPresent() && s.get().chunks().size() - 1 >= seq) {
                assertThat(s.get().chunks().size() - 1).isEqualTo(seq);
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("chunk " + seq + " not committed; requests: " + server.requestLog());
    }

    private void awaitHeartbeats(int n) throws InterruptedException {
        long before = server.requestLog().stream().filter(l -> l.startsWith("GET")).count();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requestLog().stream().filter(l -> l.startsWith("GET")).count() < before + n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no heartbeats; requests: " + server.requestLog());
            }
            Thread.sleep(2);
        }
    }

    /** Offsets of the frames (header first) by the documented layout. */
    static List<Long> frameOffsets(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        List<Long> offsets = new ArrayList<>();
        int pos = 12;
        while (pos + 9 <= b.length) {
            int len = java.nio.ByteBuffer.wrap(b, pos, 4).getInt();
            if (pos + 9L + len > b.length) {
                break;
            }
            offsets.add((long) pos);
            pos += 9 + len;
        }
        return offsets;
    }

    /** The first {@code n} frames of {@code file}, as they are in it. */
    static byte[] framesOf(Path file, int n) throws Exception {
        byte[] b = Files.readAllBytes(file);
        List<Long> offsets = frameOffsets(file);
        long end = n < offsets.size() ? offsets.get(n) : b.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 12, (int) end - 12);
        return out.toByteArray();
    }

    @SuppressWarnings("unused")
    private static List<Chunk> chunks(Path file) throws Exception {
        return RecordFileReader.open(file).chunks();
    }
}
