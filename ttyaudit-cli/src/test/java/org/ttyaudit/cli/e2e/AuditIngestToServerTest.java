package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;
import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;

/**
 * {@code ttyaudit ingest-audit --server}: the recorded session is found on a real server by its
 * {@code audit_session} tag, and the attachment is uploaded there and listed under {@code attached_to}.
 */
class AuditIngestToServerTest {
    @TempDir
    Path tmp;

    private ServerUnderTest server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theAttachmentGoesToTheServerLinkedToTheRecordedSession() throws Exception {
        server = new ServerUnderTest(tmp.resolve("server"));
        Path credential = server.enrollHostInto(tmp.resolve("host.json"), "audited-1");
        Path data = tmp.resolve("client-data");
        Path spool = Files.createDirectories(data.resolve("spool"));
        // a session recorded in audit session 2, a few seconds before the captured log's events
        Instant start = Instant.parse("2026-12-06T21:36:50Z");
        SessionId recordedId = SessionId.newId(Clock.fixed(start, ZoneOffset.UTC));
        try (RecordFileWriter w = RecordFileWriter.create(spool.resolve(recordedId + ".tta"), new SessionHeader(
                recordedId, "recorder", "root", 0, "audited-1", "/dev/pts/1", null, "xterm", 80, 24, start,
                List.of("bash"), "full", "test", Map.of("audit_session", "2", "loginuid", "4242")))) {
            w.appendChunk(List.of(new OutputEvent(1000, "$ ".getBytes(StandardCharsets.UTF_8))));
            w.finish(new SessionEnd(start.plusSeconds(60), 0, null, "exit"));
        }
        Map<String, String> env = ServerUnderTest.homeEnvironment(tmp.resolve("home"));
        Run uploaded = cli(env, "", false, tmp, "upload", "--data", data.toString(), "--credential-file",
                credential.toString());
        assertThat(uploaded.exitCode()).as(uploaded.toString()).isZero();

        Path log = tmp.resolve("audit.log");
        try (InputStream in = Objects.requireNonNull(
                getClass().getResourceAsStream("/org/ttyaudit/cli/audit-sample.log"))) {
            Files.write(log, in.readAllBytes());
        }
        Map<String, String> admin = server.tokenEnvironment(tmp.resolve("admin-home"), server.adminApiToken());
        Run ingested = cli(admin, "", false, tmp, "ingest-audit", log.toString(), "--server", server.url,
                "--credential-file", credential.toString(), "--data", data.toString(), "--host", "audited-1");
        assertThat(ingested.exitCode()).as(ingested.toString()).isZero();
        assertThat(ingested.out()).contains("attached audit session 2 (2 exec, 1 file events) to session "
                + recordedId + " as ", "and uploaded it to " + server.url,
                "1 audit sessions (1 events) with no recorded session");

        // the server's attachment (its import_sha256) says this very log is attached already, also to an ingest
        // from another data directory (whose import history knows nothing of it)
        Run again = cli(admin, "", false, tmp, "ingest-audit", log.toString(), "--server", server.url,
                "--credential-file", credential.toString(), "--data", tmp.resolve("other-data").toString(), "--host",
                "audited-1");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString()).contains("audit session 2 of session " + recordedId
                + ": already attached from this log as ").doesNotContain("attached audit session");

        Run listed = cli(admin, "", false, tmp, "sessions", "--tag", "attached_to:" + recordedId, "--json", "--all");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        JsonNode items = ServerUnderTest.JSON.readTree(listed.out()).get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("kind").asText()).isEqualTo("import");
        assertThat(items.get(0).get("started_at").asText()).isEqualTo("2026-12-06T21:36:50Z");
        assertThat(items.get(0).get("tags").get("import_format").asText()).isEqualTo("linux-audit");
        Run files = cli(admin, "", false, tmp, "files", items.get(0).get("id").asText());
        assertThat(files.exitCode()).as(files.toString()).isZero();
        assertThat(files.out()).contains("/tmp/auditcap/work/with space.txt");
    }
}
