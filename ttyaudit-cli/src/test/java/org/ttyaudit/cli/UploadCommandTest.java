package org.ttyaudit.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.FakeIngestServer;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import org.ttyaudit.recorder.upload.TestRecords;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UploadCommandTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private Path data;
    private Path credentialFile;
    private Spool spool;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        data = dir.resolve("data");
        spool = new Spool(data.resolve("spool"));
        spool.create();
        credentialFile = dir.resolve("host.json");
        HostCredentialFile.write(credentialFile, server.credential());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CliRun upload(String... extra) {
        String[] base = {"upload", "--data", data.toString(), "--credential-file", credentialFile.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private SessionId spooled(int chunks) throws Exception {
        SessionId id = TestRecords.newId();
        TestRecords.write(spool.entry(id.toString()).path(), id, chunks, true);
        return id;
    }

    @Test
    void drainsEverySessionAndExitsZero() throws Exception {
        SessionId a = spooled(2);
        SessionId b = spooled(1);

        CliRun run = upload();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(a + ": uploaded (2 chunks)").contains(b + ": uploaded (1 chunk)")
                .contains("uploaded 2 sessions to " + server.uri());
        assertThat(spool.entries()).isEmpty();
        assertThat(server.session(a).orElseThrow().end()).isPresent();
        assertThat(server.session(b).orElseThrow().end()).isPresent();
    }

    @Test
    void withSeveralServersTheSpoolGoesToTheOneThatAnswersAndTheSwitchIsLoggedOnce() throws Exception {
        FakeIngestServer.Front second = server.addFront();
        FakeIngestServer.Front first = server.addFront();
        first.goDown();
        HostCredentialFile.write(credentialFile, server.credential(java.util.List.of(first.uri(), second.uri())));
        SessionId a = spooled(2);
        SessionId b = spooled(1);

        CliRun run = upload();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("uploaded 2 sessions to " + second.uri());
        assertThat(run.out().lines().filter(l -> l.contains("switched to"))).containsExactly("ttyaudit: switched to "
                + second.uri() + " after " + first.uri() + " failed: connection refused");
        assertThat(server.session(a).orElseThrow().end()).isPresent();
        assertThat(server.session(b).orElseThrow().end()).isPresent();
        second.close();
    }

    @Test
    void anUnreachableServerExitsOneWithALinePerSession() throws Exception {
        SessionId a = spooled(1);
        SessionId b = spooled(1);
        server.goDown();

        CliRun run = upload();

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.out().lines().filter(l -> l.contains("not uploaded: cannot reach " + server.uri())))
                .hasSize(2).anyMatch(l -> l.contains(a.toString())).anyMatch(l -> l.contains(b.toString()));
        assertThat(spool.entries()).hasSize(2);
    }

    @Test
    void quietPrintsNothingWhenAllIsWell() throws Exception {
        spooled(1);
        CliRun run = upload("--quiet");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aSecondDrainerExitsZeroSayingAnotherRuns() throws Exception {
        spooled(1);
        try (Spool.Held other = spool.tryDrainLock().orElseThrow()) {
            CliRun run = upload();
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("another upload is running");
            assertThat(server.requestLog()).isEmpty();
        }
        assertThat(spool.entries()).hasSize(1);
    }

    @Test
    void withoutACredentialItSaysHowToEnroll() throws Exception {
        spooled(1);
        CliRun run = CliRun.of("upload", "--data", data.toString(), "--credential-file",
                dir.resolve("missing.json").toString());
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).contains("no host credential at " + dir.resolve("missing.json"))
                .contains("ttyaudit enroll");
    }

    @Test
    void anEmptySpoolIsNothingToDo() {
        CliRun run = CliRun.of("upload", "--data", dir.resolve("empty").toString(), "--credential-file",
                dir.resolve("missing.json").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("nothing to upload");
    }

    @Test
    void aRefusedSessionIsReportedAndKept() throws Exception {
        SessionId id = spooled(1);
        server.answerNextPosts(1, 422);

        CliRun run = upload("--wait");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.out()).contains(id + ": refused: ").contains("422");
        assertThat(spool.entries()).hasSize(1);
    }
}
