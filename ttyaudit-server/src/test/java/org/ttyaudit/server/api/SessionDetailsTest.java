package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/** The details page's endpoints on a real server: the processes a session ran, and its integrity. */
class SessionDetailsTest {
    @TempDir
    Path dir;
    private ServerFixture server;
    private String admin;
    private RecordedSession s;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        admin = server.admin();
        String host = server.host(admin, "web-1");
        s = new RecordedSession("alice", "web-1");
        assertThat(server.ingest(host, s.id(), concat(s.headerFrame(), frames(s.command("ls -la /tmp", "files", 0),
                s.command("uptime", "up", 0)), endFrame(s.end()))).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void activityListsTheProcessesRunAndSaysWhatIsNotRecorded() throws Exception {
        JsonNode a = server.get("/api/v1/sessions/" + s.id() + "/activity", admin).json();
        assertThat(a.get("session_id").asText()).isEqualTo(s.id().toString());
        JsonNode processes = a.get("processes");
        assertThat(processes).hasSize(2);
        JsonNode first = processes.get(0);
        assertThat(first.get("pid").asLong()).isEqualTo(4242);
        assertThat(first.get("ppid").asLong()).isEqualTo(4000);
        assertThat(first.get("argv").toString()).isEqualTo("[\"ls\",\"-la\",\"/tmp\"]");
        assertThat(first.get("cwd").asText()).isEqualTo("/home/alice");
        assertThat(first.get("offset_us").asLong()).isEqualTo(1_010);
        assertThat(first.get("at").asText()).isEqualTo("2026-11-25T10:00:00.001010Z");
        assertThat(processes.get(1).get("argv").toString()).isEqualTo("[\"uptime\"]");
        assertThat(a.get("files").isNull()).as("not recorded, not 'none'").isTrue();
        assertThat(a.get("target").isNull()).isTrue();
    }

    @Test
    void anIntactSessionIsVerifiedAndProvenInTheSignedLedger() throws Exception {
        JsonNode i = server.get("/api/v1/sessions/" + s.id() + "/integrity", admin).json();
        assertThat(i.get("chain").get("ok").asBoolean()).as(i.toString()).isTrue();
        assertThat(i.get("chain").get("chunks").asLong()).isEqualTo(2);
        assertThat(i.get("complete").asBoolean()).isTrue();
        JsonNode ledger = i.get("ledger");
        assertThat(ledger.get("ok").asBoolean()).isTrue();
        assertThat(ledger.get("leaves_checked").asLong()).as("start, two chunks, end").isEqualTo(4);
        assertThat(ledger.get("leaves_pending").asLong()).isZero();
        assertThat(ledger.get("tree_size").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(ledger.get("signed_at").asText()).isNotBlank();
        assertThat(i.get("problems")).isEmpty();
        assertThat(server.get("/api/v1/audit?session=" + s.id(), admin).json().toString())
                .contains("\"part\":\"integrity\"");
    }

    @Test
    void aChangedChunkIsReportedWithWhatIsWrong() throws Exception {
        Path blob;
        try (Stream<Path> files = Files.walk(dir.resolve("data/blobs"))) {
            blob = files.filter(p -> p.toString().contains(s.id().toString()) && p.getFileName().toString()
                    .startsWith("1.")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(blob, bytes);

        JsonNode i = server.get("/api/v1/sessions/" + s.id() + "/integrity", admin).json();
        assertThat(i.get("chain").get("ok").asBoolean()).isFalse();
        assertThat(i.get("problem_count").asLong()).isPositive();
        List<String> problems = Stream.of(ServerFixture.JSON.treeToValue(i.get("problems"), String[].class)).toList();
        assertThat(problems).anyMatch(p -> p.contains("session " + s.id()) && p.contains("chunk 1"));
        assertThat(i.get("ledger").get("ok").asBoolean()).as("the ledger itself is intact").isTrue();
    }
}
