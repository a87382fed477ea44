package org.ttyaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ttyaudit files} on a record file written by the real writer as the SSH gateway writes one (a gateway
 * session with file events among other events), and what the other reading commands make of file events.
 */
class FilesCommandTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;
    private Path record;

    @BeforeEach
    void writeGatewayRecord() throws Exception {
        record = dir.resolve("sftp.tta");
        SessionHeader h = new SessionHeader(new SessionId(UUID.fromString("0190f1c0-0000-7000-8000-00000000000f")),
                "gateway", "alice", -1, "db-1", null, "10.0.0.9 5122 10.0.0.2 2222", null, 80, 24, START, List.of(),
                "full", "gateway 0.1.0", Map.of("target_user", "root", "target_address", "10.0.0.5:22",
                "gateway", "gw-1", "channel", "sftp"));
        try (RecordFileWriter w = RecordFileWriter.create(record, h)) {
            w.appendChunk(List.of(
                    new MarkerEvent(100, "sftp-started", ""),
                    new FileEvent(1_500, "write", "/etc/sudoers", null, 120L, HexFormat.of().parseHex(SHA), "sftp"),
                    new OutputEvent(2_000, "x".getBytes(StandardCharsets.UTF_8))));
            w.appendChunk(List.of(
                    new FileEvent(2_000_000, "rename", "notes.txt", "old/\u001b[2Jnotes.txt", null, null, "sftp"),
                    new FileEvent(3_000_000, "read", "/var/log/syslog", null, 0L, null, "scp")));
            w.finish(new SessionEnd(START.plusSeconds(4), 0, null, "exit"));
        }
    }

    @Test
    void listsEachFileEventWithTimeOperationSizeHashSourceAndPaths() {
        CliRun r = CliRun.of("files", record.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).containsExactly(
                "2026-11-25T10:00:00.001500Z  write             120  9f86d081884c7d65  sftp  /etc/sudoers",
                "2026-11-25T10:00:02Z  rename              -  -                 sftp  notes.txt -> old/\\e[2Jnotes.txt",
                "2026-11-25T10:00:03Z  read                0  -                 scp   /var/log/syslog");
    }

    @Test
    void jsonHasEveryFieldAndTheWholeHash() throws Exception {
        CliRun r = CliRun.of("files", record.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode rows = Json.MAPPER.readTree(r.out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).toString()).isEqualTo("{\"at\":\"2026-11-25T10:00:00.001500Z\",\"offset_us\":1500,"
                + "\"operation\":\"write\",\"path\":\"/etc/sudoers\",\"target_path\":null,\"bytes\":120,"
                + "\"sha256\":\"" + SHA + "\",\"source\":\"sftp\"}");
        assertThat(rows.get(1).get("target_path").asText()).isEqualTo("old/\u001b[2Jnotes.txt");
        assertThat(rows.get(2).get("bytes").asLong()).isZero();
    }

    @Test
    void aRecordWithoutFileEventsListsNothing() throws Exception {
        Path plain = dir.resolve("plain.tta");
        SessionHeader h = new SessionHeader(SessionId.newId(java.time.Clock.systemUTC()), "recorder", "bob", 1000,
                "web-1", "/dev/pts/1", null, "xterm", 80, 24, START, List.of("/bin/bash"), "full", "0.1.0",
                Map.of());
        try (RecordFileWriter w = RecordFileWriter.create(plain, h)) {
            w.appendChunk(List.of(new OutputEvent(10, "hi".getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(CliRun.of("files", plain.toString()).out()).isEmpty();
        assertThat(Json.MAPPER.readTree(CliRun.of("files", plain.toString(), "--json").out())).isEmpty();
    }

    @Test
    void exportAndInfoReadARecordWithFileEvents() throws Exception {
        Path cast = dir.resolve("out.cast");
        CliRun export = CliRun.of("export", record.toString(), "--format", "asciicast-v2", "-o",
                cast.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<String> lines = Files.readAllLines(cast);
        assertThat(lines).as("the header, the marker and the output; file events are no terminal data")
                .hasSize(3).noneMatch(l -> l.contains("sudoers") || l.contains("syslog"));
        assertThat(lines.get(2)).isEqualTo("[0.002000,\"o\",\"x\"]");
        CliRun info = CliRun.of("info", record.toString());
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("kind:", "gateway", "target_user=root");
    }

    @Test
    void rulesTestFiresTheDefaultPackOnTheUploadToSudoers() {
        CliRun r = CliRun.of("rules", "test", "--record", record.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("\\+00:00\\.001 +high +auth-file-modified +file +/etc/sudoers");
    }

    @Test
    void aMissingFileIsAUsageError() {
        CliRun r = CliRun.of("files", dir.resolve("nope.tta").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("nope.tta: no such file");
    }
}
