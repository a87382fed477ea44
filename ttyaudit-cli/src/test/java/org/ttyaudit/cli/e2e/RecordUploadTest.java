package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.FakeIngestServer;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ttyaudit record --upload} in a real terminal against the ingest protocol's test double. */
class RecordUploadTest {
    @TempDir
    Path home;

    private FakeIngestServer server;
    private Path credentialFile;
    private Spool spool;

    @BeforeEach
    void setUp() {
        credentialFile = home.resolve("host.json");
        spool = new Spool(home.resolve(".ttyaudit-data/spool"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        // A background drainer a test started (its command line names this test's directory) must not outlive it.
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(" upload ") && c.contains(home.toString()))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private void serverUp() throws Exception {
        server = FakeIngestServer.start(home.resolve("tls"));
        HostCredentialFile.write(credentialFile, server.credential());
    }

    private TerminalSession record(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("record", "--upload", "--credential-file",
                credentialFile.toString()));
        argv.addAll(List.of(args));
        return TerminalSession.start(argv, RecordFixture.environment(home, "/bin/sh"), new WindowSize(80, 24));
    }

    private static String outputText(List<Chunk> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            c.decodeEvents().stream().filter(e -> e instanceof OutputEvent)
                    .forEach(e -> all.writeBytes(((OutputEvent) e).data()));
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSessionIsShippedWhileRecordedAndLeavesNothingInTheSpool() throws Exception {
        serverUp();
        try (TerminalSession t = record("--", "sh", "-c", "echo hello-server; sleep 0.3")) {
            ExitStatus status = t.awaitExit();
            assertThat(status.code()).as(t.output()).isZero();
            assertThat(t.output()).contains("uploaded to " + server.uri());
        }
        assertThat(server.sessions()).singleElement().satisfies(s -> {
            assertThat(s.end()).isPresent();
            assertThat(s.end().get().end().reason()).isEqualTo("exit");
            assertThat(outputText(s.chunks())).contains("hello-server");
        });
        assertThat(spool.entries()).isEmpty();
        try (var files = Files.list(spool.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.equals(".upload.lock"));
        }
    }

    @Test
    void withOutputTheUsersFileStaysAndOnlyItsSpoolLinkGoes() throws Exception {
        serverUp();
        Path mine = home.resolve("mine.tta");
        try (TerminalSession t = record("-o", mine.toString(), "--", "sh", "-c", "echo kept-here")) {
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
        }
        assertThat(RecordFixture.cli("verify", mine.toString()).out()).contains("intact, complete");
        assertThat(spool.entries()).isEmpty();
        FakeIngestServer.Session s = server.sessions().get(0);
        assertThat(s.chunks()).isEqualTo(RecordFileReader.open(mine).chunks());
        assertThat(s.end()).isEqualTo(RecordFileReader.open(mine).end());
    }

    @Test
    void theServerCanEndTheSessionAndTheUserIsToldWhy() throws Exception {
        serverUp();
        try (TerminalSession t = record("--", "sh", "-c", "echo started; sleep 30")) {
            t.awaitOutput("started");
            FakeIngestServer.Session s = server.awaitAnySession(Duration.ofSeconds(10));
            server.terminate(s.id(), "rule no-long-sleeps fired");
            t.awaitOutput("the audit server ended this session: rule no-long-sleeps fired");
            ExitStatus status = t.awaitExit();
            assertThat(status.code()).as("hung up: " + t.output()).isEqualTo(128 + 1);
            FakeIngestServer.Session ended = server.awaitEnded(s.id(), Duration.ofSeconds(10));
            assertThat(ended.end().orElseThrow().end().reason()).isEqualTo("terminated");
            assertThat(ended.end().orElseThrow().end().exitStatus()).isEqualTo(129);
            assertThat(ended.chunks().stream().flatMap(c -> c.decodeEvents().stream())
                    .filter(e -> e instanceof MarkerEvent).map(e -> (MarkerEvent) e))
                    .anyMatch(m -> m.name().equals("terminated") && m.detail().equals("rule no-long-sleeps fired"));
        }
        assertThat(spool.entries()).isEmpty();
    }

    @Test
    void aServerDownAtExitIsLeftToABackgroundDrainerThatShipsItLater() throws Exception {
        server = FakeIngestServer.down(home.resolve("tls"));
        HostCredentialFile.write(credentialFile, server.credential());
        try (TerminalSession t = record("--", "sh", "-c", "echo while-offline")) {
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
            assertThat(t.output()).contains("continues in the background (log: " + home.resolve(".ttyaudit-data")
                    .resolve("upload.log"));
        }
        assertThat(spool.entries()).hasSize(1);
        // The drainer runs on after the recorder exited, and keeps trying while the server is down.
        Path log = home.resolve(".ttyaudit-data/upload.log");
        long tried = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("cannot reach")) && System.nanoTime() < tried) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(log)).contains(": cannot reach " + server.uri()).contains("retrying");

        server.up();
        FakeIngestServer.Session s = server.awaitAnySession(Duration.ofSeconds(30));
        FakeIngestServer.Session ended = server.awaitEnded(s.id(), Duration.ofSeconds(10));
        assertThat(outputText(ended.chunks())).contains("while-offline");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!spool.entries().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(spool.entries()).as("the drainer removes the entry once the server has it").isEmpty();
        // The drainer logs the upload after it has removed the entry: wait for the line, do not race it.
        while (!Files.readString(log).contains(s.id() + ": uploaded") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(log)).contains(s.id() + ": uploaded");
    }
}
