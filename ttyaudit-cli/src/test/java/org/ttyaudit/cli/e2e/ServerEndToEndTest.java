package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.upload.CommitPoint;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import org.ttyaudit.recorder.upload.IngestClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server process and real recorders: nothing the server acknowledged is lost when it is killed with
 * SIGKILL at random moments, and a session recorded while the server is down reaches it when it comes back.
 */
class ServerEndToEndTest {
    private static final int KILLS = 20;

    @TempDir
    Path home;

    private ServerProcess server;
    private Path credentialFile;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        TerminalSession.endProcessesUnder(home);
    }

    private void startAndEnroll() throws Exception {
        server = new ServerProcess(home.resolve("server-data")).start();
        credentialFile = home.resolve("host.json");
        server.enroll(credentialFile, "e2e-host");
    }

    private TerminalSession record(Path output, String script) throws Exception {
        return TerminalSession.start(List.of("record", "--upload", "--credential-file", credentialFile.toString(),
                "-o", output.toString(), "--", "sh", "-c", script), RecordFixture.environment(home, "/bin/sh"),
                new WindowSize(80, 24));
    }

    @Test
    void killingTheServerTwentyTimesLosesNothingItAcknowledged() throws Exception {
        startAndEnroll();
        HostCredential credential = HostCredentialFile.read(credentialFile);
        Path stop = home.resolve("stop");
        Path local = home.resolve("live.tta");
        AckingClient acking = new AckingClient(new IngestClient(credential, Duration.ofSeconds(2),
                Duration.ofSeconds(5)));
        Thread ackThread = new Thread(acking, "acking-client");
        ackThread.start();
        Random random = new Random(42);
        try (TerminalSession recorder = record(local, "i=0; while [ ! -e " + stop + " ]; do echo tick-$i; "
                + "i=$((i+1)); sleep 0.02; done; echo done-ticking")) {
            recorder.awaitOutput("tick-3");
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(200 + random.nextInt(600));
                long acknowledged = acking.acknowledged.get();
                server.kill9();
                server.start();
                CommitPoint after = commitPoint(credential, acking.id);
                assertThat(after.committedSeq()).as("kill %d: the server acknowledged chunk %d", kill, acknowledged)
                        .isGreaterThanOrEqualTo(acknowledged);
            }
            Files.createFile(stop);
            recorder.awaitOutput("done-ticking");
            assertThat(recorder.awaitExit().code()).as(recorder.output()).isZero();
        } finally {
            acking.stop.set(true);
            ackThread.join(30_000);
        }
        assertThat(acking.acknowledged.get()).as("the acking client made progress").isGreaterThan(KILLS);
        assertThat(acking.failure).isNull();

        SessionId recorded = RecordFileReader.open(local).header().sessionId();
        awaitEnded(credential, recorded.uuid().toString());
        server.admin();
        byte[] onServer = server.getBytes("/api/v1/sessions/" + recorded + "/record");
        assertThat(onServer).as("the server holds exactly the recorder's record").isEqualTo(Files.readAllBytes(local));
        JsonNode proofs = server.getJson("/api/v1/sessions/" + recorded + "/proofs");
        assertThat(proofs.get("leaves").size()).isEqualTo(RecordFileReader.open(local).chunks().size() + 2);
    }

    @Test
    void aSessionRecordedWhileTheServerIsDownArrivesWhenItIsBack() throws Exception {
        startAndEnroll();
        server.stop();
        Path local = home.resolve("offline.tta");
        try (TerminalSession t = record(local, "echo recorded-offline; sleep 0.2")) {
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
            assertThat(t.output()).contains("continues in the background");
        }
        server.start();
        SessionId id = RecordFileReader.open(local).header().sessionId();
        awaitEnded(HostCredentialFile.read(credentialFile), id.uuid().toString());
        server.admin();
        assertThat(server.getBytes("/api/v1/sessions/" + id + "/record")).isEqualTo(Files.readAllBytes(local));
        // the output is indexed in the background after the commit: poll until it is searchable
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> found;
        do {
            found = new ArrayList<>();
            for (JsonNode h : server.getJson("/api/v1/search?q=recorded-offline").get("items")) {
                found.add(h.get("session_id").asText());
            }
            if (!found.contains(id.toString())) {
                Thread.sleep(100);   // one poll interval, not a wait for the indexer
            }
        } while (!found.contains(id.toString()) && System.nanoTime() < deadline);
        assertThat(found).contains(id.toString());
    }

    private static CommitPoint commitPoint(HostCredential credential, SessionId id) throws Exception {
        IngestClient client = new IngestClient(credential);
        return client.commitPoint(id).orElseThrow(() -> new AssertionError("the server lost session " + id));
    }

    private static void awaitEnded(HostCredential credential, String id) throws Exception {
        IngestClient client = new IngestClient(credential);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Optional<CommitPoint> p = Optional.empty();
            try {
                p = client.commitPoint(SessionId.parse(id));
            } catch (org.ttyaudit.recorder.upload.IngestException e) {
                // the server is not reachable yet
            }
            if (p.isPresent() && p.get().ended()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("session " + id + " did not reach the server: " + p);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Streams a synthetic session as fast as the server takes it and remembers the highest chunk the server
     * acknowledged; after a failed request it asks for the commit point and resumes from there, as a recorder does.
     */
    private static final class AckingClient implements Runnable {
        final IngestClient client;
        final SessionId id = SessionId.newId(Clock.systemUTC());
        final AtomicLong acknowledged = new AtomicLong(-1);
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Throwable failure;
        private final ChunkEncoder encoder;
        private final List<byte[]> frames = new ArrayList<>();

        AckingClient(IngestClient client) {
            this.client = client;
            this.encoder = new ChunkEncoder(new SessionHeader(id, "recorder", "acker", 1000, "e2e-host", null, null,
                    "xterm", 80, 24, Instant.now(), List.of("synthetic"), "full", "e2e", Map.of()));
        }

        @Override
        public void run() {
            try {
                byte[] header = WireFrames.encode(WireFrames.Type.SESSION_HEADER, encoder.headerRecordBytes());
                long next = -1;   // -1: the header
                while (!stop.get() || next < frames.size()) {
                    byte[] body;
                    if (next == -1) {
                        body = header;
                    } else {
                        while (frames.size() <= next) {
                            Chunk c = encoder.seal(List.of(new OutputEvent(frames.size() * 1000L,
                                    ("synthetic output " + frames.size() + "\r\n").repeat(20)
                                            .getBytes(StandardCharsets.UTF_8))));
                            frames.add(WireFrames.encode(WireFrames.Type.CHUNK, c.toBytes()));
                        }
                        body = frames.get((int) next);
                    }
                    try {
                        IngestClient.PostOutcome outcome = client.post(id, body);
                        CommitPoint p = outcome instanceof IngestClient.Committed c ? c.commit()
                                : ((IngestClient.Conflict) outcome).commit();
                        if (p != null) {
                            acknowledged.accumulateAndGet(p.committedSeq(), Math::max);
                            next = p.committedSeq() + 1;
                        }
                    } catch (org.ttyaudit.recorder.upload.IngestException e) {
                        Thread.sleep(50);
                        next = resume();
                    }
                    if (stop.get() && next >= frames.size()) {
                        break;
                    }
                }
                byte[] end = WireFrames.encode(WireFrames.Type.SESSION_END, encoder.end(new SessionEnd(Instant.now(),
                        0, null, "exit")).toBytes());
                client.post(id, end);
            } catch (Throwable t) {
                failure = t;
            }
        }

        private long resume() throws InterruptedException {
            while (true) {
                try {
                    return client.commitPoint(id).map(p -> p.committedSeq() + 1).orElse(-1L);
                } catch (org.ttyaudit.recorder.upload.IngestException e) {
                    Thread.sleep(100);
                }
            }
        }
    }
}
