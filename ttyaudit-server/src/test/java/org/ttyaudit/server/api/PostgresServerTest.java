package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.store.postgres.PostgresStore;
import org.ttyaudit.server.verify.ChunkBlobs;
import org.ttyaudit.server.verify.StoreReport;
import org.ttyaudit.server.verify.StoreVerifier;
import org.ttyaudit.server.verify.TrustedKey;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/** A server configured with a {@code database:} section keeps everything in a real PostgreSQL. */
class PostgresServerTest {
    @TempDir
    Path dir;

    @Test
    void aServerWithADatabaseSectionIngestsASessionIntoPostgresAndServesItBack() throws Exception {
        PostgresCluster cluster = PostgresCluster.get();
        PostgresSettings db = cluster.newDatabase();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path passwordFile = Files.writeString(dir.resolve("db-password"), db.password() + "\n");
        Files.writeString(data.resolve("server.yaml"), PostgresCluster.databaseSection(db, passwordFile));

        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.admin();
            String host = server.host(admin, "web-1");
            RecordedSession s = new RecordedSession("alice", "web-1");
            Chunk a = s.command("cat /etc/passwd", "root:x:0:0:root:/root:/bin/bash", 0);
            server.ingest(host, s.id(), concat(s.headerFrame(), frames(a), endFrame(s.end())));

            JsonNode session = server.get("/api/v1/sessions/" + s.id(), admin).json();
            assertThat(session.get("user").asText()).isEqualTo("alice");
            assertThat(session.get("state").asText()).isEqualTo("ended");
            JsonNode commands = server.get("/api/v1/sessions/" + s.id() + "/commands", admin).json();
            assertThat(commands).extracting(c -> c.get("command").asText()).containsExactly("cat /etc/passwd");
            JsonNode hits = server.get("/api/v1/search?q=passwd", admin).json().get("items");
            assertThat(hits).extracting(h -> h.get("session_id").asText()).contains(s.id().toString());
            server.awaitOutputIndexed();
            assertThat(server.get("/api/v1/search?q=%2Fbin%2Fbash", admin).json().get("items"))
                    .extracting(h -> h.get("kind").asText()).contains("output");
            assertThat(server.get("/api/v1/sessions/" + s.id() + "/record", admin).status()).isEqualTo(200);
        }
        // the rows are in PostgreSQL, not in an embedded database beside the data
        assertThat(data.resolve("server.db")).doesNotExist();
        try (Connection c = cluster.connect(db.database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_name, committed_seq FROM sessions")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("alice");
            assertThat(rs.getLong(2)).isZero();
        }
        // and what the server wrote there verifies: chains, blobs, ledger and signed heads
        try (PostgresStore store = PostgresStore.open(db, Clock.systemUTC());
             DirectoryBlobStore blobs = DirectoryBlobStore.open(data.resolve(AuditServer.BLOBS))) {
            StoreReport report = new StoreVerifier(store, ChunkBlobs.of(blobs, AuditServer.BLOBS + "/"),
                    TrustedKey.fromDataDirectory(data, null, null)).verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.intact()).isTrue();
        }
    }
}
