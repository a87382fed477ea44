package org.ttyaudit.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ttyaudit ingest-audit} against records in a spool, with lines of a log captured from a real auditd
 * (audit-sample.log: audit session 2 ran ls and touch 'with space.txt'; session 3 ran sudo).
 */
class IngestAuditCommandTest {
    /** A few seconds before the sample's first event (1796593015.691). */
    static final Instant RECORDED_START = Instant.parse("2026-12-06T21:36:50Z");

    @TempDir
    Path data;
    Path log;
    Path recorded;

    @BeforeEach
    void spoolWithRecordedSessions() throws IOException {
        log = data.resolve("audit.log");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("audit-sample.log"))) {
            Files.write(log, in.readAllBytes());
        }
        Path spool = Files.createDirectories(data.resolve("data/spool"));
        recorded = spool.resolve("recorded.tta");
        record(recorded, "recorder", "h1", RECORDED_START, Map.of("audit_session", "2", "loginuid", "4242"));
        // the same audit session id on another host, and one on this host that started after the events
        record(spool.resolve("other-host.tta"), "recorder", "h2", RECORDED_START, Map.of("audit_session", "2"));
        record(spool.resolve("later.tta"), "recorder", "h1", RECORDED_START.plusSeconds(3600),
                Map.of("audit_session", "3"));
    }

    @Test
    void attachesTheEventsOfAnAuditSessionToTheRecordedSessionWithItsId() throws IOException {
        CliRun r = CliRun.of("ingest-audit", log.toString(), "--data", data.resolve("data").toString(), "--host", "h1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String recordedId = RecordFileReader.open(recorded).header().sessionId().toString();
        assertThat(r.out()).contains("ttyaudit: attached audit session 2 (2 exec, 1 file events) to session "
                + recordedId + " as ", "read 4 audit events; 2 audit sessions attached to recorded sessions; "
                + "0 audit sessions (0 events) with no recorded session; 0 events outside any audit session; "
                + "records not used: BPRM_FCAPS 2, PROCTITLE 3");
        Recording attachment = RecordFileReader.open(attachment(recordedId));
        SessionHeader h = attachment.header();
        assertThat(h.kind()).isEqualTo("import");
        assertThat(h.startedAt()).isEqualTo(RECORDED_START);
        assertThat(h.tags()).containsEntry("import_format", "linux-audit").containsEntry("audit_session", "2")
                .containsEntry("import_source", log.toString()).containsKeys("import_sha256", "imported_at");
        assertThat(CliRun.of("verify", attachment(recordedId).toString()).exitCode()).isZero();
        List<Event> events = new ArrayList<>();
        attachment.forEachEvent((seq, e) -> events.add(e));
        long offset = 5_691_000; // 21:36:55.691 is 5.691 s after the recorded session's start
        assertThat(events).containsExactly(
                // uid, auid and the result from the SYSCALL record
                new ExecEvent(offset, 16308, 16307, List.of("ls", "-la"), "/tmp/auditcap/work", 0L, 4242L, true, 0),
                new ExecEvent(offset, 16309, 16307, List.of("touch", "with space.txt"), "/tmp/auditcap/work", 0L,
                        4242L, true, 0),
                new FileEvent(offset, "write", "/tmp/auditcap/work/with space.txt", null, null, null, "audit"));
        // session 3's sudo command came before its only recorded session started: it is attached at the start,
        // with a note
        assertThat(r.err()).contains("events happened before the recorded session started");
    }

    @Test
    void aSecondIngestOfTheGrownLogAttachesOnlyWhatIsNew() throws IOException {
        String dataDir = data.resolve("data").toString();
        assertThat(CliRun.of("ingest-audit", log.toString(), "--data", dataDir, "--host", "h1").exitCode()).isZero();
        String id = RecordFileReader.open(recorded).header().sessionId().toString();
        String first = attachment(id).getFileName().toString().replace(".tta", "");
        CliRun again = CliRun.of("ingest-audit", log.toString(), "--data", dataDir, "--host", "h1");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("audit session 2 of session " + id + ": already attached from this log as "
                + first).doesNotContain("attached audit session");
        // uploaded meanwhile (the spool no longer has it): the data directory's import history still knows
        Files.delete(attachment(id));
        CliRun afterUpload = CliRun.of("ingest-audit", log.toString(), "--data", dataDir, "--host", "h1");
        assertThat(afterUpload.out()).contains("audit session 2 of session " + id
                + ": already attached from this log as " + first).doesNotContain("attached audit session");
        assertThat(Files.readString(data.resolve("data/imports.tsv"))).contains("\taudit_session=2 attached_to=" + id
                + "\t" + first + "\n");
        record(data.resolve("data/spool/" + first + ".tta"), "import", "h1", RECORDED_START,
                Map.of("attached_to", id, "audit_session", "2", "audit_through", "1796593015691:13"));
        Files.writeString(log, """
                type=SYSCALL msg=audit(1796593016.000:50): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=77 auid=4242 uid=0 ses=2
                type=EXECVE msg=audit(1796593016.000:50): argc=1 a0="whoami"
                """, java.nio.file.StandardOpenOption.APPEND);
        CliRun grown = CliRun.of("ingest-audit", log.toString(), "--data", dataDir, "--host", "h1");
        assertThat(grown.out()).contains("attached audit session 2 (1 exec, 0 file events)");
        List<Path> attachments = records(data.resolve("data")).stream()
                .filter(p -> id.equals(header(p).tags().get("attached_to"))).toList();
        assertThat(attachments).hasSize(2).anySatisfy(p ->
                assertThat(header(p).tags()).containsEntry("audit_through", "1796593016000:50"));
    }

    @Test
    void anAuditSessionWithoutRecordingIsCountedOrKeptOnRequest() throws IOException {
        Path dataDir = data.resolve("data");
        CliRun counted = CliRun.of("ingest-audit", log.toString(), "--data", dataDir.toString(), "--host", "h3");
        assertThat(counted.exitCode()).as(counted.toString()).isZero();
        assertThat(counted.out()).doesNotContain("attached audit session")
                .contains("2 audit sessions (4 events) with no recorded session");
        assertThat(records(dataDir)).hasSize(3);

        CliRun kept = CliRun.of("ingest-audit", log.toString(), "--data", dataDir.toString(), "--host", "h3",
                "--keep-unmatched");
        assertThat(kept.out()).contains("attached audit session 3 (0 exec, 0 file, 1 sudo events) as session ");
        Path own = records(dataDir).stream().filter(p -> header(p).tags().getOrDefault("audit_session", "").equals("3")
                && header(p).kind().equals("import")).findFirst().orElseThrow();
        SessionHeader h = header(own);
        assertThat(h.tags()).doesNotContainKey("attached_to").containsEntry("loginuid", "4242");
        assertThat(h.host()).isEqualTo("h3");
        List<Event> events = new ArrayList<>();
        RecordFileReader.open(own).forEachEvent((seq, e) -> events.add(e));
        assertThat(events).containsExactly(new MarkerEvent(0, "sudo-command",
                "res=success cwd=/tmp/auditcap/work terminal=null cmd=/bin/true arg with space"));

        CliRun again = CliRun.of("ingest-audit", log.toString(), "--data", dataDir.toString(), "--host", "h3",
                "--keep-unmatched");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("audit session 3: already imported from this log as session "
                + h.sessionId()).doesNotContain("attached audit session");
        assertThat(records(dataDir)).hasSize(5);
    }

    /**
     * A log of 400,000 audit events (about 80 MB) generated as it is read from standard input: the command streams
     * it, and attaches the few events of the recorded audit session among the daemons' many.
     */
    @Test
    void aLargeLogStreamsThroughAndItsFewSessionEventsAreAttached() throws IOException {
        int count = 400_000;
        InputStream generated = new InputStream() {
            private long serial;
            private byte[] pending = new byte[0];
            private int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == pending.length) {
                    if (serial == count) {
                        return -1;
                    }
                    serial++;
                    long ms = 1796593016000L + serial;
                    String head = "msg=audit(" + ms / 1000 + "." + String.format("%03d", ms % 1000) + ":" + serial + "): ";
                    boolean ours = serial % 100_000 == 0;   // 4 execs in audit session 2, the rest a daemon's
                    pending = ("type=SYSCALL " + head + "arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid="
                            + serial + " auid=" + (ours ? "4242" : "4294967295") + " uid=0 ses="
                            + (ours ? "2" : "4294967295") + "\ntype=EXECVE " + head + "argc=2 a0=\"run\" a1=\"" + serial
                            + "\"\ntype=PROCTITLE " + head + "proctitle=72756E\ntype=EOE " + head + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    at = 0;
                }
                int n = Math.min(len, pending.length - at);
                System.arraycopy(pending, at, b, off, n);
                at += n;
                return n;
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(Map.of("USER", "tester"), generated, null, () -> false,
                Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC), ZoneId.of("UTC"), data);
        int code = Main.run(new String[]{"ingest-audit", "-", "--data", data.resolve("data").toString(), "--host",
                "h1"}, new PrintWriter(out, true), new PrintWriter(err, true), context);
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("attached audit session 2 (4 exec, 0 file events)",
                "read " + count + " audit events", (count - 4) + " events outside any audit session",
                "records not used: PROCTITLE " + count);
        String id = RecordFileReader.open(recorded).header().sessionId().toString();
        List<Event> events = new ArrayList<>();
        RecordFileReader.open(attachment(id)).forEachEvent((seq, e) -> events.add(e));
        assertThat(events).extracting(e -> ((ExecEvent) e).argv().get(1))
                .containsExactly("100000", "200000", "300000", "400000");
    }

    @Test
    void readsStandardInput() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(Map.of("USER", "tester"), new ByteArrayInputStream(Files.readAllBytes(log)),
                null, () -> false, Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC), ZoneId.of("UTC"),
                data);
        String[] args = {"ingest-audit", "-", "--data", data.resolve("data").toString(), "--host", "h1"};
        int code = Main.run(args,
                new PrintWriter(out, true), new PrintWriter(err, true), context);
        assertThat(code).as(err.toString()).isZero();
        String id = RecordFileReader.open(recorded).header().sessionId().toString();
        assertThat(header(attachment(id)).tags()).containsEntry("import_source", "-")
                .containsEntry("imported_at", "2026-12-07T00:00:00Z");
    }

    @Test
    void aMalformedLineIsOneMessageNamingItAndNothingIsWritten() throws IOException {
        Files.writeString(log, "type=CWD msg=audit(1796593015.691:11): cwd=\"/tmp\"\nnot audit\n",
                StandardCharsets.UTF_8);
        CliRun r = CliRun.of("ingest-audit", log.toString(), "--data", data.resolve("data").toString(), "--host", "h1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("ttyaudit: " + log
                + ": line 2: not an audit record (it should start with \"type=\"): not audit");
        assertThat(records(data.resolve("data"))).hasSize(3);
    }

    private static void record(Path file, String kind, String host, Instant start, Map<String, String> tags)
            throws IOException {
        SessionHeader h = new SessionHeader(SessionId.newId(Clock.fixed(start, ZoneOffset.UTC)), kind, "root", 0, host,
                "/dev/pts/1", null, "xterm", 80, 24, start, List.of("bash"), "full", "test", tags);
        try (RecordFileWriter w = RecordFileWriter.create(file, h)) {
            w.appendChunk(List.of(new OutputEvent(1000, "$ ".getBytes(StandardCharsets.UTF_8))));
            w.finish(new SessionEnd(start.plusSeconds(60), 0, null, "exit"));
        }
    }

    private Path attachment(String recordedId) throws IOException {
        return records(data.resolve("data")).stream()
                .filter(p -> recordedId.equals(header(p).tags().get("attached_to"))).reduce((a, b) -> {
                    throw new AssertionError("more than one attachment: " + a + ", " + b);
                }).orElseThrow();
    }

    private static List<Path> records(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("spool"))) {
            return s.filter(p -> p.toString().endsWith(".tta")).toList();
        }
    }

    private static SessionHeader header(Path p) {
        try {
            return RecordFileReader.open(p).header();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
