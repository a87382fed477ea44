package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.verify.DataDirectoryVerifier;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File events (what the SSH gateway records of SFTP and SCP) on a real server in this JVM, ingested as the gateway
 * sends them: an upload to /etc/sudoers raises the default pack's alert, the events and the activity list the
 * files, gateway sessions are found by kind and target tags, and the index rows verify against the chunks (an
 * altered one is reported).
 */
class FileEventsApiTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;
    private ServerFixture server;
    private String admin;
    private RecordedSession sftp;
    private RecordedSession recorder;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        admin = server.admin();
        String gateway = server.host(admin, "gw-1");
        sftp = RecordedSession.gateway("alice", "db-1", "root", "sftp");
        sftp.file("write", "/etc/sudoers", null, 120L, HexFormat.of().parseHex(SHA), "sftp");
        sftp.file("read", "/etc/hostname", null, 5L, null, "sftp");
        sftp.file("rename", "notes.txt", "old/notes.txt", null, null, "sftp");
        ingest(gateway, sftp);
        recorder = new RecordedSession("bob", "web-1");
        recorder.command("ls", "x", 0);
        ingest(server.host(admin, "web-1"), recorder);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void ingest(String credential, RecordedSession s) throws Exception {
        server.ingestWhole(credential, s);
    }

    @Test
    void anSftpUploadToSudoersRaisesTheAuthFileAlert() throws Exception {
        JsonNode alerts = server.get("/api/v1/sessions/" + sftp.id() + "/alerts", admin).json();
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.get("rule").asText()).isEqualTo("auth-file-modified");
        assertThat(a.get("severity").asText()).isEqualTo("high");
        assertThat(a.get("trigger").asText()).isEqualTo("file");
        assertThat(a.get("matched").asText()).isEqualTo("/etc/sudoers");
        assertThat(a.get("command_id").isNull()).isTrue();
        assertThat(a.get("at").asText()).isEqualTo("2026-11-25T10:00:00.001Z");
        assertThat(server.get("/api/v1/sessions/" + recorder.id() + "/alerts", admin).json()).isEmpty();
    }

    @Test
    void theEventsListTheFileEventsWithEveryField() throws Exception {
        JsonNode events = server.get("/api/v1/sessions/" + sftp.id() + "/events?kind=file", admin).json();
        assertThat(events).hasSize(3);
        JsonNode write = events.get(0);
        assertThat(write.get("kind").asText()).isEqualTo("file");
        assertThat(write.get("seq").asLong()).isZero();
        assertThat(write.get("detail").toString()).isEqualTo("{\"operation\":\"write\",\"path\":\"/etc/sudoers\","
                + "\"target_path\":null,\"bytes\":120,\"sha256\":\"" + SHA + "\",\"source\":\"sftp\"}");
        assertThat(events.get(2).get("detail").get("target_path").asText()).isEqualTo("old/notes.txt");
        assertThat(server.get("/api/v1/sessions/" + sftp.id() + "/events?kind=exec", admin).json()).isEmpty();
    }

    @Test
    void theActivityListsTheFilesAndTheTargetOfAGatewaySession() throws Exception {
        JsonNode a = server.get("/api/v1/sessions/" + sftp.id() + "/activity", admin).json();
        assertThat(a.get("processes")).isEmpty();
        JsonNode files = a.get("files");
        assertThat(files).hasSize(3);
        JsonNode write = files.get(0);
        assertThat(write.get("operation").asText()).isEqualTo("write");
        assertThat(write.get("path").asText()).isEqualTo("/etc/sudoers");
        assertThat(write.get("bytes").asLong()).isEqualTo(120);
        assertThat(write.get("sha256").asText()).isEqualTo(SHA);
        assertThat(write.get("source").asText()).isEqualTo("sftp");
        assertThat(write.get("at").asText()).isEqualTo("2026-11-25T10:00:00.001Z");
        assertThat(files.get(1).get("sha256").isNull()).isTrue();
        assertThat(files.get(2).get("bytes").isNull()).isTrue();
        assertThat(a.get("target").toString()).isEqualTo("{\"host\":\"db-1\",\"user\":\"root\","
                + "\"address\":\"10.0.0.5:22\",\"gateway\":\"gw-1\",\"channel\":\"sftp\"}");

        JsonNode other = server.get("/api/v1/sessions/" + recorder.id() + "/activity", admin).json();
        assertThat(other.get("files").isNull()).as("not recorded, not 'none'").isTrue();
        assertThat(other.get("target").isNull()).isTrue();
    }

    @Test
    void sessionsAreFoundByKindAndTargetTags() throws Exception {
        assertThat(ids(server.get("/api/v1/sessions?kind=gateway", admin).json())).containsExactly(sftp.id());
        assertThat(ids(server.get("/api/v1/sessions?kind=recorder", admin).json())).containsExactly(recorder.id());
        assertThat(ids(server.get("/api/v1/sessions?tag=target_user:root", admin).json()))
                .containsExactly(sftp.id());
        assertThat(ids(server.get("/api/v1/sessions?tag=target_user:root&tag=target_address:10.0.0.5:22", admin)
                .json())).containsExactly(sftp.id());
        assertThat(ids(server.get("/api/v1/sessions?tag=target_user:bob", admin).json())).isEmpty();
        assertThat(server.get("/api/v1/sessions?tag=target_user", admin).status()).isEqualTo(400);
        assertThat(server.get("/api/v1/sessions?tag=a%22b:x", admin).status()).isEqualTo(400);
        assertThat(server.get("/api/v1/sessions?tag=a:1&tag=a:2", admin).status()).isEqualTo(400);
    }

    @Test
    void theFileEventRowsVerifyAgainstTheChunksAndTheSessionExportsAsAsciicast() throws Exception {
        JsonNode i = server.get("/api/v1/sessions/" + sftp.id() + "/integrity", admin).json();
        assertThat(i.get("problems")).as(i.toString()).isEmpty();
        assertThat(i.get("chain").get("ok").asBoolean()).isTrue();
        ServerFixture.Response cast = server.get("/api/v1/sessions/" + sftp.id() + "/export?format=asciicast-v2",
                admin);
        assertThat(cast.status()).isEqualTo(200);
        assertThat(cast.text().lines().count()).as("a header and no events: file events are not terminal data")
                .isEqualTo(1);
    }

    @Test
    void aFileEventRowAlteredInTheDatabaseIsReportedByTheOfflineVerifier() throws Exception {
        server.close();
        server = null;
        Path data = dir.resolve("data");
        assertThat(DataDirectoryVerifier.verify(data, null, null).problems()).isEmpty();
        // what an operator hiding the upload would do: point the row at a harmless file
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE session_events SET detail_json = replace(detail_json, "
                    + "'/etc/sudoers', '/tmp/notes') WHERE kind = 'file' AND detail_json LIKE '%sudoers%'"))
                    .isEqualTo(1);
        }
        assertThat(DataDirectoryVerifier.verify(data, null, null).problems()).singleElement().asString()
                .startsWith("session " + sftp.id() + ": chunk 0 ")
                .contains("its file event 0 differs from the event index: detailJson differs")
                .endsWith(" — the index was altered");
    }

    private static List<UUID> ids(JsonNode page) {
        List<UUID> out = new ArrayList<>();
        page.get("items").forEach(n -> out.add(UUID.fromString(n.get("id").asText())));
        return out;
    }
}
