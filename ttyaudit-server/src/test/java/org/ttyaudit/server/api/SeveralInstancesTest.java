package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.testkit.S3Server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Two real server instances sharing one real PostgreSQL database and one S3 bucket (s3proxy), as docs/DEPLOY.md
 * sets them up (the same ledger key; each its own TLS certificate here): a session ingested by one is watched live
 * on the other; one leads (signs, indexes) and a follower's ingest is taken up by the leader; when the leader
 * stops, the other takes over; an instance with another ledger key refuses to start.
 */
class SeveralInstancesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aSessionIngestedByOneInstanceIsWatchedLiveOnTheOtherWhichAsksForTheShortFlushBound() throws Exception {
        Path config = sharedSettings();
        try (ServerFixture a = start("a", config, null); ServerFixture b = start("b", config, a)) {
            String adminOnA = a.admin();
            String adminOnB = b.login("admin", ServerFixture.ADMIN_PASSWORD);
            String host = a.host(adminOnA, "web-1");
            RecordedSession s = new RecordedSession("alice", "web-1");
            a.ingest(host, s.id(), concat(s.headerFrame(), frames(s.command("ls", "before-watching", 0))));

            await(() -> b.get("/api/v1/sessions/" + s.id(), adminOnB).json().get("state").asText().equals("live"),
                    "the other instance shows the session as live");
            LiveViewTest.Viewer v = LiveViewTest.Viewer.open(b, s.id().toString(), adminOnB, b.base);
            assertThat(v.nextContaining("before-watching")).startsWith("[");
            await(() -> a.get("/api/v1/ingest/sessions/" + s.id(), host).json().get("flush_within_ms").asInt() == 200,
                    "the ingesting instance hears that the other one's viewer watches");

            a.ingest(host, s.id(), frames(s.command("make", "while-watching-elsewhere", 0)));
            assertThat(v.nextContaining("while-watching-elsewhere")).contains("\"o\"");
            a.ingest(host, s.id(), frames(s.command("make test", "and-more", 0)));
            assertThat(v.nextContaining("and-more")).contains("\"o\"");

            a.ingest(host, s.id(), endFrame(s.end()));
            assertThat(v.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @Test
    void theLeaderTakesUpWhatAFollowerIngestedAndAnotherInstanceTakesOverWhenItStops() throws Exception {
        Path config = sharedSettings();
        ServerFixture a = start("a", config, null);
        try (ServerFixture b = start("b", config, a)) {
            String admin;
            String host;
            try {
                assertThat(a.server.leading()).isTrue();
                Thread.sleep(1_000);   // b has tried the leader lock by now
                assertThat(b.server.leading()).as("a follower while a leads").isFalse();
                assertThat(a.get("/metrics", null).text()).contains("ttyaudit_cluster_leader 1.0");
                assertThat(b.get("/metrics", null).text()).contains("ttyaudit_cluster_leader 0.0");

                a.admin();   // sets the shared admin account's password
                admin = b.login("admin", ServerFixture.ADMIN_PASSWORD);
                host = b.host(admin, "web-1");
                RecordedSession s = new RecordedSession("alice", "web-1");
                b.ingest(host, s.id(), concat(s.headerFrame(), frames(s.command("ls", "unusual-output-word", 0)),
                        endFrame(s.end())));

                // the leader's output indexer heard of the follower's commit: the output becomes searchable
                await(() -> b.get("/api/v1/search?q=unusual-output-word", admin).json().get("items").size() > 0
                        && b.get("/api/v1/search?q=unusual-output-word", admin).json().get("items").toString()
                        .contains("output"), "the output indexed by the leader");
                // a head that covers the ledger as it is now, signed by the leader at the follower's request
                long size = ledgerSize(b, admin);
                JsonNode head = b.get("/api/v1/ledger/head", admin).json();
                assertThat(head.get("tree_size").asLong()).isGreaterThanOrEqualTo(size);
            } finally {
                a.close();
            }
            await(() -> b.server.leading(), "b takes over once a stopped");
            RecordedSession later = new RecordedSession("bob", "web-1");
            b.ingest(host, later.id(), concat(later.headerFrame(), frames(later.command("id", "uid=1000", 0))));
            long size = ledgerSize(b, admin);
            await(() -> b.get("/api/v1/ledger/head", admin).json().get("tree_size").asLong() >= size,
                    "the new leader signs");
        }
    }

    @Test
    void anInstanceWhoseLedgerKeyDiffersFromTheOneThatSignedRefusesToStart() throws Exception {
        Path config = sharedSettings();
        try (ServerFixture a = start("a", config, null)) {
            String admin = a.admin();
            await(() -> a.get("/api/v1/ledger/head", admin).status() == 200, "a signed a head");
            Path other = Files.createDirectories(dir.resolve("other"));
            Files.copy(config, other.resolve("server.yaml"));

            assertThatThrownBy(() -> new ServerFixture(other)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(other.resolve(AuditServer.LEDGER_KEY).toString())
                    .hasMessageContaining("every instance needs the same keys/ledger.key");
        }
    }

    /** A server.yaml naming a fresh database and a fresh bucket, which every instance of a test shares. */
    private Path sharedSettings() throws Exception {
        PostgresSettings db = PostgresCluster.get().newDatabase();
        S3Server s3 = S3Server.shared();
        String bucket = s3.createBucket("fleet-" + UUID.randomUUID().toString().substring(0, 8));
        Path dbPassword = Files.writeString(dir.resolve("db-password"), db.password() + "\n");
        Path s3Secret = Files.writeString(dir.resolve("s3-secret"), s3.secretAccessKey + "\n");
        return Files.writeString(dir.resolve("server.yaml"), PostgresCluster.databaseSection(db, dbPassword)
                + s3.blobsSection(bucket, null, s3Secret.toString()));
    }

    /** An instance with its own data directory; with {@code keyFrom}'s ledger key, as every instance must have. */
    private ServerFixture start(String name, Path settings, ServerFixture keyFrom) throws Exception {
        Path data = Files.createDirectories(dir.resolve(name));
        Files.copy(settings, data.resolve("server.yaml"));
        if (keyFrom != null) {
            Files.createDirectories(data.resolve(AuditServer.LEDGER_KEY).getParent());
            Files.copy(keyFrom.dataDir.resolve(AuditServer.LEDGER_KEY), data.resolve(AuditServer.LEDGER_KEY));
        }
        ServerFixture f = new ServerFixture(data);
        if (keyFrom == null) {
            await(f.server::leading, name + " leads");
        }
        return f;
    }

    private static long ledgerSize(ServerFixture f, String admin) throws Exception {
        JsonNode leaves = f.get("/api/v1/ledger/leaves?start=0&count=1", admin).json();
        return leaves.get("tree_size").asLong();
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
