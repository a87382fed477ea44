package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;

/** {@code ttyaudit verify --server}: a session's record and its proofs, signed heads, and a ledger that shrank. */
class VerifyRemoteTest {
    @TempDir
    Path tmp;

    private ServerUnderTest server;
    private int port;
    private String host;
    private String token;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = new ServerUnderTest(tmp.resolve("data"), port);
        port = Integer.parseInt(server.url.substring(server.url.lastIndexOf(':') + 1));
        if (token == null) {
            host = server.host("web-1");
            token = server.adminApiToken();   // an API token outlives restarts; login sessions do not
        }
    }

    private RecordedSession ingest(String command) throws Exception {
        RecordedSession s = new RecordedSession("alice", "web-1");
        s.command(command, "output of " + command, 0);
        s.command("true", "", 0);
        server.ingest(host, s);
        return s;
    }

    private Run verify(String... args) {
        Map<String, String> env = server.tokenEnvironment(tmp.resolve("home"), token);
        String[] argv = Stream.concat(Stream.of("verify"), Stream.of(args)).toArray(String[]::new);
        return cli(env, "", false, tmp, argv);
    }

    @Test
    void aSessionOnTheServerIsCheckedAgainstTheSignedLedger() throws Exception {
        start();
        RecordedSession s = ingest("cat /etc/hostname");
        Thread.sleep(1500);   // the next signed head covers the whole session

        Run first = verify(s.id().toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("session " + s.id() + ": intact")
                .contains("first verification against this server");

        Run again = verify(s.id().toString());
        assertThat(again.out()).contains("consistent with the head verified before");
        Run ledger = verify();
        assertThat(ledger.exitCode()).as(ledger.toString()).isZero();
        assertThat(ledger.out()).contains("ledger: intact");
    }

    @Test
    void aSessionPrunedByRetentionIsReportedAsPrunedWithItsLedgerLeavesIntact() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        // the test sessions ended on 2026-11-25, more than 5 days ago
        Files.writeString(tmp.resolve("data/server.yaml"), "retention: {keep_days: 5, minimum_keep_days: 1}\n");
        start();
        RecordedSession s = ingest("cat /etc/shadow");
        assertThat(server.server.pruneNow()).isEqualTo(1);

        Run r = verify(s.id().toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("session " + s.id() + ": pruned on ")
                .contains("by retention policy default (its ledger leaves and tombstone are intact)")
                .contains("checked its start, 2 chunk leaves, its end and its tombstone");
    }

    @Test
    void anAbandonedSessionPrunedByRetentionVerifiesAndItsLateChunkIsRefused() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/server.yaml"), "retention: {keep_days: 5, minimum_keep_days: 1}\n");
        start();
        RecordedSession s = new RecordedSession("alice", "web-1");
        s.command("tail -f /var/log/app.log", "lines", 0);
        byte[] frames = RecordedSession.concat(s.headerFrame(), RecordedSession.frames(s.chunks.get(0)));
        assertThat(server.postFrames(host, s, frames).status()).isEqualTo(200);   // no end: the recorder died
        assertThat(server.server.pruneNow()).as("its last chunk arrived just now").isZero();
        // ten days pass without a word from its recorder (the server's clock is the real one)
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/server.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE sessions SET last_activity = last_activity - " + Duration.ofDays(10).toNanos()
                    + " WHERE id = '" + s.id() + "'");
        }
        assertThat(server.server.pruneNow()).isEqualTo(1);

        Run r = verify(s.id().toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("session " + s.id() + ": pruned on ")
                .contains("checked its start, 1 chunk leaves, no end (it never ended) and its tombstone");
        ServerUnderTest.Response late = server.postFrames(host, s,
                RecordedSession.frames(s.command("uptime", "up 10 days", 0)));
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.json().get("error").asText()).startsWith("session " + s.id() + " was pruned by retention on ")
                .endsWith("; later chunks are refused");
    }

    @Test
    void aChunkAlteredOnTheServerIsNamed() throws Exception {
        start();
        RecordedSession s = ingest("id");
        server.close();
        Path blob = tmp.resolve("data/blobs/sessions/" + s.id() + "/0.chunk");
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 1;
        Files.write(blob, bytes);
        start();

        Run r = verify(s.id().toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("session " + s.id() + ": chunk 0").contains("hash mismatch")
                .contains("NOT intact");
    }

    @Test
    void aLedgerRolledBackSinceTheLastCheckIsCaught() throws Exception {
        start();
        ingest("ls");
        server.close();
        Path snapshot = tmp.resolve("snapshot");
        RecordFixture.copyTree(tmp.resolve("data"), snapshot);
        start();
        ingest("rm -rf /tmp/evidence");
        assertThat(verify().exitCode()).isZero();   // remembers the larger head
        server.close();
        delete(tmp.resolve("data"));
        RecordFixture.copyTree(snapshot, tmp.resolve("data"));   // the operator restores an older copy of the store
        start();

        Run r = verify();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("the ledger shrank from");
    }

    @Test
    void headsSignedByAnotherKeyThanThePinnedOneFail() throws Exception {
        start();
        ingest("w");
        Path other = tmp.resolve("other.pub");
        Ed25519Keys.writePublicKey(other, Ed25519Keys.generate().getPublic());

        Run r = verify("--ledger-key", other.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("signed tree head at size");
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
