package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.transport.PinnedTls;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ingest client and uploader with two server instances over one store: real HTTPS listeners on loopback
 * ({@link FakeIngestServer} and a second {@link FakeIngestServer.Front} over its sessions), one certificate pin.
 */
class IngestFailoverTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private FakeIngestServer.Front a;
    private FakeIngestServer.Front b;
    private final ServerRotationTest.MutableClock clock = new ServerRotationTest.MutableClock();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final FakeSleeper sleeper = new FakeSleeper();

    @BeforeEach
    void start() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        a = server.addFront();
        b = server.addFront();
    }

    @AfterEach
    void stop() {
        b.close();
        a.close();
        server.close();
    }

    private IngestClient client(URI... servers) {
        HostCredential credential = server.credential(List.of(servers));
        return new IngestClient(credential, Duration.ofSeconds(2), Duration.ofSeconds(5),
                new ServerRotation(credential.servers(), clock, Duration.ofMinutes(5), log::add));
    }

    private SpoolUploader uploader(Path file, IngestClient client, SpoolUploader.Settings settings) {
        return new SpoolUploader(file, RecordProgress.finished(Long.MAX_VALUE), client, new Backoff(() -> 1.0),
                sleeper, settings, new SpoolUploader.Listener() { });
    }

    private static SpoolUploader.Settings oneFramePerRequest() {
        return new SpoolUploader.Settings(Integer.MAX_VALUE, SpoolUploader.HEARTBEAT, 1);
    }

    @Test
    void aServerThatIsDownIsPassedOverAtOnceAndTheClientStaysWithTheOneThatAnswers() throws Exception {
        IngestClient client = client(a.uri(), b.uri());
        SessionId id = TestRecords.newId();
        a.goDown();

        assertThat(client.commitPoint(id)).isEmpty();

        assertThat(client.server()).isEqualTo(b.uri());
        assertThat(log).containsExactly("switched to " + b.uri() + " after " + a.uri() + " failed: connection "
                + "refused");
        a.up();
        int before = b.requests();
        client.commitPoint(id);
        client.commitPoint(id);
        assertThat(b.requests()).as("no flapping back to the preferred one at once").isEqualTo(before + 2);
        assertThat(log).hasSize(1);
    }

    @Test
    void busyAnswersMoveOnAsWell() throws Exception {
        IngestClient client = client(a.uri(), b.uri());
        server.answerNext(1, 503); // the first request, to a

        assertThat(client.commitPoint(TestRecords.newId())).isEmpty();

        assertThat(client.server()).isEqualTo(b.uri());
        assertThat(log).singleElement().asString().startsWith("switched to " + b.uri() + " after " + a.uri()
                + " failed: answered 503 (injected failure)");
    }

    @Test
    void anAnswerThatIsNotAboutTheServerDoesNotMoveTheClient() throws Exception {
        IngestClient client = client(a.uri(), b.uri());
        server.answerNext(1, 500);

        assertThatThrownBy(() -> client.commitPoint(TestRecords.newId())).isInstanceOfSatisfying(
                IngestException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.retryAtOnce()).isFalse();
                });
        assertThat(client.server()).isEqualTo(a.uri());
        assertThat(log).isEmpty();
    }

    @Test
    void whenEveryServerIsDownTheFailureNamesEachAndSaysBackOff() throws Exception {
        IngestClient client = client(a.uri(), b.uri());
        a.goDown();
        b.goDown();

        assertThatThrownBy(() -> client.commitPoint(TestRecords.newId())).isInstanceOfSatisfying(
                IngestException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.retryAtOnce()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("no server answered: cannot reach " + a.uri()
                            + ": connection refused; cannot reach " + b.uri() + ": connection refused")
                            .doesNotContain(FakeIngestServer.CREDENTIAL);
                });
    }

    @Test
    void thePreferredServerIsTriedAgainAfterThePeriod() throws Exception {
        IngestClient client = client(a.uri(), b.uri());
        SessionId id = TestRecords.newId();
        a.goDown();
        client.commitPoint(id);
        assertThat(client.server()).isEqualTo(b.uri());

        clock.advance(Duration.ofMinutes(5));
        client.commitPoint(id); // a is still down: straight back to b
        assertThat(client.server()).isEqualTo(b.uri());
        assertThat(log).last().isEqualTo("the preferred " + a.uri() + " still fails (connection refused); staying "
                + "with " + b.uri());

        a.up();
        clock.advance(Duration.ofMinutes(5));
        int before = a.requests();
        client.commitPoint(id);
        assertThat(a.requests()).isEqualTo(before + 1);
        assertThat(client.server()).isEqualTo(a.uri());
        assertThat(log).last().isEqualTo("switched back to the preferred " + a.uri() + " (it answers again) from "
                + b.uri());
    }

    @Test
    void aPostWhoseServerDiedAfterCommittingIsResumedFromTheOtherServersCommitPointWithoutBackoff()
            throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 4, true);
        FakeIngestServer.Front first = server.addFront();
        IngestClient client = client(first.uri(), b.uri());
        first.dieAfterCommittingPost(3); // [h], [0], then [1] is stored and the instance dies before answering

        UploadOutcome outcome = uploader(file, client, oneFramePerRequest()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 4));
        FakeIngestServer.Session s = server.session(id).orElseThrow();
        assertThat(s.chunks()).isEqualTo(RecordFileReader.open(file).chunks());
        assertThat(s.end()).isEqualTo(RecordFileReader.open(file).end());
        assertThat(server.postedChunkSeqs()).as("chunk 1 was stored once and never sent again")
                .containsExactly(0L, 1L, 2L, 3L);
        assertThat(server.requestLog()).containsExactly("GET 404", "POST 200 [h]", "POST 200 [0]", "POST 200 [1]",
                "POST answer dropped after commit", "GET 200", "POST 200 [2]", "POST 200 [3]", "POST 200 [e]");
        assertThat(sleeper.sleeps()).as("no backoff: the other server was there").isEmpty();
        assertThat(log).singleElement().asString().startsWith("switched to " + b.uri() + " after " + first.uri()
                + " failed: ");
    }

    @Test
    void aPostWhoseServerDiedBeforeStoringIsSentAgainToTheOtherServer() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 3, true);
        IngestClient client = client(a.uri(), b.uri());
        server.dropNextPosts(1, FakeIngestServer.Drop.BEFORE_PROCESSING);
        server.beforeNextPost(() -> new Thread(a::goDown).start()); // the instance dies as the request arrives

        UploadOutcome outcome = uploader(file, client, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 3));
        assertThat(server.requestLog()).containsExactly("GET 404", "POST dropped before processing", "GET 404",
                "POST 200 [h,0,1,2,e]");
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(client.server()).isEqualTo(b.uri());
    }

    @Test
    void serversThatAllFailAreRetriedWithBackoffAfterOnePassAndTheUploadCompletesWhenOneReturns()
            throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 2, true);
        IngestClient client = client(a.uri(), b.uri());
        a.goDown();
        b.goDown();
        sleeper.onSleep(() -> {
            if (sleeper.sleeps().size() == 2) {
                try {
                    b.up();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        UploadOutcome outcome = uploader(file, client, SpoolUploader.Settings.persistent()).run();

        assertThat(outcome).isEqualTo(new UploadOutcome.Uploaded(id, true, 2));
        assertThat(sleeper.sleeps()).as("one backoff per pass through both servers")
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(client.server()).isEqualTo(b.uri());
    }

    @Test
    void withOneServerNothingChanges() throws Exception {
        IngestClient client = client(a.uri());
        a.goDown();
        assertThatThrownBy(() -> client.commitPoint(TestRecords.newId())).isInstanceOfSatisfying(
                IngestException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("cannot reach " + a.uri() + ": connection refused");
                    assertThat(e.retryAtOnce()).isFalse();
                });
        assertThat(log).isEmpty();
    }

    @Test
    void enrollmentGoesToTheFirstServerThatAnswers() throws Exception {
        server.addEnrollmentToken("tte_one");
        a.goDown();

        IngestClient.Enrollment e = IngestClient.enroll(List.of(a.uri(), b.uri()), PinnedTls.of(server.fingerprint()),
                "tte_one", "web-1");

        assertThat(e.hostId()).isEqualTo(FakeIngestServer.HOST_ID);
        a.up();
        assertThatThrownBy(() -> IngestClient.enroll(List.of(a.uri(), b.uri()), PinnedTls.of(server.fingerprint()),
                "tte_one", "web-1")).as("a refusal is final: b is not asked").isInstanceOfSatisfying(
                IngestException.class, x -> assertThat(x.status()).isEqualTo(401));
    }
}
