package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.spool.Spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolDrainerTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private Spool spool;
    private final FakeSleeper sleeper = new FakeSleeper();

    @BeforeEach
    void setUp() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        spool = new Spool(dir.resolve("data/spool"));
        spool.create();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private List<SpoolDrainer.EntryReport> drain(boolean wait) throws Exception {
        IngestClient client = new IngestClient(server.credential(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        return new SpoolDrainer(spool, client, () -> new Backoff(() -> 1.0), sleeper, wait,
                new SpoolDrainer.Listener() { }).drain();
    }

    private Spool.Entry spoolSession(SessionId id, int chunks, boolean finish) throws Exception {
        Spool.Entry e = spool.entry(id.toString());
        TestRecords.write(e.path(), id, chunks, finish);
        return e;
    }

    @Test
    void serverDownForTheWholeSessionThenUpDrainsItAndRemovesTheEntry() throws Exception {
        SessionId id = TestRecords.newId();
        Spool.Entry entry = spoolSession(id, 3, true);
        server.goDown();

        List<SpoolDrainer.EntryReport> down = drain(false);
        assertThat(down).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SpoolDrainer.Status.UNREACHABLE);
            assertThat(r.line()).startsWith(id + ": not uploaded: cannot reach " + server.uri());
        });
        assertThat(entry.path()).exists();

        server.up();
        List<SpoolDrainer.EntryReport> up = drain(false);
        assertThat(up).singleElement().extracting(SpoolDrainer.EntryReport::status)
                .isEqualTo(SpoolDrainer.Status.UPLOADED);
        assertThat(entry.path()).doesNotExist();
        assertThat(spool.entries()).isEmpty();
        assertThat(server.session(id).orElseThrow().end()).isPresent();
        assertThat(server.session(id).orElseThrow().chunks()).hasSize(3);
    }

    @Test
    void aSessionPrunedByRetentionIsRefusedOnceKeptInTheSpoolAndNotRetried() throws Exception {
        SessionId id = TestRecords.newId();
        Spool.Entry entry = spoolSession(id, 2, false);
        String pruned = "session " + id + " was pruned by retention on 2026-12-06T12:00:00Z; later chunks are refused";
        server.answerNextPosts(1, 410, pruned);

        List<SpoolDrainer.EntryReport> reports = drain(true);

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SpoolDrainer.Status.REFUSED);
            assertThat(r.line()).contains("410").contains(pruned).contains("the record stays in " + entry.path());
        });
        assertThat(entry.path()).exists();
        assertThat(spool.failure(entry)).hasValueSatisfying(reason -> assertThat(reason).contains(pruned));
        assertThat(sleeper.sleeps()).as("a refusal is not retried").isEmpty();

        assertThat(drain(true)).as("a refused entry is not sent again").singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(SpoolDrainer.Status.REFUSED_EARLIER));
        assertThat(server.requestLog()).containsExactly("GET 404", "POST 410 (injected)");
    }

    @Test
    void withoutWaitOneUnreachableServerIsReportedForEverySessionWithoutTryingEach() throws Exception {
        SessionId a = TestRecords.newId();
        SessionId b = TestRecords.newId();
        spoolSession(a, 1, true);
        spoolSession(b, 1, true);
        server.goDown();

        List<SpoolDrainer.EntryReport> reports = drain(false);

        assertThat(reports).extracting(SpoolDrainer.EntryReport::status)
                .containsExactly(SpoolDrainer.Status.UNREACHABLE, SpoolDrainer.Status.UNREACHABLE);
        assertThat(reports).allSatisfy(r -> assertThat(r.detail()).contains("cannot reach"));
        assertThat(sleeper.sleeps()).as("only the first session is tried, " + SpoolDrainer.ATTEMPTS_WITHOUT_WAIT
                + " times").hasSize(SpoolDrainer.ATTEMPTS_WITHOUT_WAIT - 1);
    }

    @Test
    void withWaitItRetriesWithBackoffUntilTheServerIsBack() throws Exception {
        SessionId id = TestRecords.newId();
        Spool.Entry entry = spoolSession(id, 2, true);
        server.goDown();
        AtomicInteger sleeps = new AtomicInteger();
        sleeper.onSleep(() -> {
            if (sleeps.incrementAndGet() == 6) {
                try {
                    server.up();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        List<SpoolDrainer.EntryReport> reports = drain(true);

        assertThat(reports).singleElement().extracting(SpoolDrainer.EntryReport::status)
                .isEqualTo(SpoolDrainer.Status.UPLOADED);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16));
        assertThat(entry.path()).doesNotExist();
    }

    @Test
    void aPermanentRefusalKeepsTheEntryReportsItAndIsNotRetriedForever() throws Exception {
        SessionId id = TestRecords.newId();
        Spool.Entry entry = spoolSession(id, 2, true);
        server.answerNextPosts(1, 422);

        List<SpoolDrainer.EntryReport> first = drain(true);

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SpoolDrainer.Status.REFUSED);
            assertThat(r.detail()).contains("422").contains("the record stays in " + entry.path());
        });
        assertThat(entry.path()).exists();
        assertThat(spool.failure(entry)).hasValueSatisfying(reason -> assertThat(reason).contains("422"));
        int requests = server.requestLog().size();

        List<SpoolDrainer.EntryReport> second = drain(true);
        assertThat(second).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SpoolDrainer.Status.REFUSED_EARLIER);
            assertThat(r.detail()).contains("422").contains("delete " + spool.failureMarker(entry));
        });
        assertThat(server.requestLog()).hasSize(requests);
        assertThat(spool.pending()).isEmpty();

        Files.delete(spool.failureMarker(entry)); // the administrator fixed the cause
        assertThat(drain(true)).singleElement().extracting(SpoolDrainer.EntryReport::status)
                .isEqualTo(SpoolDrainer.Status.UPLOADED);
    }

    @Test
    void aCorruptSpoolFileIsQuarantinedWithTheReason() throws Exception {
        Spool.Entry junk = spool.entry(TestRecords.newId().toString());
        Files.writeString(junk.path(), "this is not a record");
        SessionId id = TestRecords.newId();
        Spool.Entry damaged = spoolSession(id, 3, true);
        byte[] bytes = Files.readAllBytes(damaged.path());
        long chunk2 = SpoolUploaderTest.frameOffsets(damaged.path()).get(3);
        bytes[(int) chunk2 + 40] ^= 0x10;
        Files.write(damaged.path(), bytes);

        List<SpoolDrainer.EntryReport> reports = drain(true);

        assertThat(reports).extracting(SpoolDrainer.EntryReport::status)
                .containsOnly(SpoolDrainer.Status.QUARANTINED).hasSize(2);
        assertThat(spool.entries()).isEmpty();
        Path q = spool.quarantineDir();
        assertThat(q.resolve(junk.path().getFileName())).exists();
        assertThat(Files.readString(q.resolve(junk.path().getFileName() + ".reason"))).contains("bad magic");
        assertThat(Files.readString(q.resolve(damaged.path().getFileName() + ".reason")))
                .contains("frame at byte " + chunk2 + " is damaged");
        // The intact part before the damage reached the server.
        assertThat(server.session(id).orElseThrow().chunks()).hasSize(2);
        assertThat(drain(true)).isEmpty();
    }

    @Test
    void aLiveSessionIsLeftToItsOwnRecorder() throws Exception {
        SessionId id = TestRecords.newId();
        try (Spool.Held live = spool.holdLive(id.toString())) {
            spoolSession(id, 1, false);
            assertThat(spool.pending()).isEmpty();
            assertThat(drain(false)).isEmpty();
            assertThat(server.requestLog()).isEmpty();
        }
        assertThat(spool.pending()).hasSize(1);
    }

    @Test
    void anOutputLinkIsRemovedButTheUsersFileStays() throws Exception {
        SessionId id = TestRecords.newId();
        Path users = TestRecords.write(dir.resolve("mine.tta"), id, 2, true);
        Spool.Entry link = spool.link(id.toString(), users);
        assertThat(link.isLink()).isTrue();

        assertThat(drain(false)).singleElement().extracting(SpoolDrainer.EntryReport::status)
                .isEqualTo(SpoolDrainer.Status.UPLOADED);

        assertThat(Files.exists(link.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(users).exists();
        assertThat(server.session(id).orElseThrow().end()).isPresent();
    }

    @Test
    void aLinkWhoseRecordIsGoneIsQuarantinedNotRetried() throws Exception {
        SessionId id = TestRecords.newId();
        Path users = TestRecords.write(dir.resolve("mine.tta"), id, 1, true);
        spool.link(id.toString(), users);
        Files.delete(users);

        assertThat(drain(false)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(SpoolDrainer.Status.QUARANTINED);
            assertThat(r.detail()).contains("no longer exists");
        });
        assertThat(spool.entries()).isEmpty();
    }
}
