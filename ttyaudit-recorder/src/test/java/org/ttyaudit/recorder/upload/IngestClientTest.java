package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.transport.PinnedTls;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestClientTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private IngestClient client;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        client = new IngestClient(server.credential(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private byte[] headerFrame(SessionId id) throws Exception {
        return SpoolUploaderTest.framesOf(TestRecords.write(dir.resolve(id + ".tta"), id, 2, true), 1);
    }

    @Test
    void unknownSessionHasNoCommitPointAndAHeaderStartsIt() throws Exception {
        SessionId id = TestRecords.newId();
        assertThat(client.commitPoint(id)).isEmpty();
        IngestClient.PostOutcome posted = client.post(id, headerFrame(id));
        assertThat(posted).isInstanceOfSatisfying(IngestClient.Committed.class, c -> {
            assertThat(c.commit().committedSeq()).isEqualTo(-1);
            assertThat(c.commit().sessionId()).isEqualTo(id.toString());
            assertThat(c.commit().ended()).isFalse();
        });
        assertThat(client.commitPoint(id)).hasValueSatisfying(cp -> assertThat(cp.committedSeq()).isEqualTo(-1));
    }

    @Test
    void outOfOrderIsAConflictCarryingTheCommitPoint() throws Exception {
        SessionId id = TestRecords.newId();
        Path file = TestRecords.write(dir.resolve("s.tta"), id, 2, true);
        byte[] all = SpoolUploaderTest.framesOf(file, 3); // header, chunks 0 and 1
        assertThat(client.post(id, all)).isInstanceOf(IngestClient.Committed.class);

        IngestClient.PostOutcome again = client.post(id, all);

        assertThat(again).isInstanceOfSatisfying(IngestClient.Conflict.class, c -> {
            assertThat(c.commit().committedSeq()).isEqualTo(1);
            assertThat(c.error()).contains("chunk 0 is not 2");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 413, 415, 422})
    void clientErrorsOtherThan409ArePermanent(int status) throws Exception {
        server.answerNextPosts(1, status);
        SessionId id = TestRecords.newId();
        assertThatThrownBy(() -> client.post(id, headerFrame(id))).isInstanceOfSatisfying(IngestException.class,
                e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.credentialRefused()).isEqualTo(status == 401);
                    assertThat(e.getMessage()).contains(server.uri() + " answered " + status)
                            .contains("injected failure").doesNotContain(FakeIngestServer.CREDENTIAL);
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreTransient(int status) {
        server.answerNext(1, status);
        assertThatThrownBy(() -> client.commitPoint(TestRecords.newId()))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.status()).isEqualTo(status);
                });
    }

    @Test
    void theRequestsCarryTheContentTypeAndTheCredential() throws Exception {
        HostCredential wrong = new HostCredential(server.uri(), server.fingerprint(), "h", "tth_nope");
        assertThatThrownBy(() -> new IngestClient(wrong).commitPoint(TestRecords.newId()))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.credentialRefused()).isTrue());
        // The fake server answers 415 to any other content type, so a 200 here shows the header is right.
        SessionId id = TestRecords.newId();
        assertThat(client.post(id, headerFrame(id))).isInstanceOf(IngestClient.Committed.class);
    }

    @Test
    void noAnswerWithinTheTimeoutIsTransient() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept, then never say anything
                    }
                } catch (java.io.IOException ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HostCredential c = new HostCredential(URI.create("https://localhost:" + silent.getLocalPort()),
                    server.fingerprint(), "h", "tth_x");
            IngestClient slow = new IngestClient(c, Duration.ofMillis(300), Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThatThrownBy(() -> slow.commitPoint(TestRecords.newId()))
                    .isInstanceOfSatisfying(IngestException.class, e -> {
                        assertThat(e.permanent()).isFalse();
                        assertThat(e.status()).isEqualTo(IngestException.NO_ANSWER);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aWrongPinIsTransientAndNamesBothFingerprints() {
        String wrongPin = "sha256:" + "00".repeat(32);
        HostCredential c = new HostCredential(server.uri(), wrongPin, "h", "tth_x");
        assertThatThrownBy(() -> new IngestClient(c).commitPoint(TestRecords.newId()))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).contains("cannot connect securely to " + server.uri())
                            .contains(wrongPin).contains(server.fingerprint());
                });
    }

    @Test
    void enrollmentTradesATokenOnce() throws Exception {
        server.addEnrollmentToken("tte_once");
        PinnedTls tls = PinnedTls.of(server.fingerprint());
        IngestClient.Enrollment e = IngestClient.enroll(server.uri(), tls, "tte_once", "web-1");
        assertThat(e.credential()).isEqualTo(FakeIngestServer.CREDENTIAL);
        assertThat(e.hostId()).isEqualTo(FakeIngestServer.HOST_ID);
        assertThat(e.host()).isEqualTo("web-1");
        assertThat(e.toString()).doesNotContain(FakeIngestServer.CREDENTIAL);
        assertThatThrownBy(() -> IngestClient.enroll(server.uri(), tls, "tte_once", "web-1"))
                .isInstanceOfSatisfying(IngestException.class, x -> {
                    assertThat(x.status()).isEqualTo(401);
                    assertThat(x.getMessage()).contains("refused the enrollment token")
                            .doesNotContain("tte_once");
                });
    }
}
