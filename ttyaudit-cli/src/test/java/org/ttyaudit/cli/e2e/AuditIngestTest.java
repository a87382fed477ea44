package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.session.HostFacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ttyaudit.cli.e2e.RecordFixture.cli;

/**
 * A real Linux audit trail for a real recorded session: as root, the test gives the recorder a fresh login uid
 * (so the kernel starts a new audit session for it), adds audit rules for that login uid, runs a bash session
 * under {@code ttyaudit record}, and ingests what auditd logged. The exec and file events must be attached to
 * exactly that recorded session. Where no auditd runs, the test starts one of its own on a log in a temporary
 * directory; the rules it added are removed in any case.
 */
class AuditIngestTest {
    static final String PROMPT = "au[#$] ";
    static final String KEY = "ttyaudit-test";

    @TempDir
    Path home;

    @Test
    void execAndFileEventsOfARealAuditLogAttachToTheRecordedSession() throws Exception {
        assumeTrue(HostFacts.currentUid() == 0, "audit rules and login uids need root (CI runs the tests as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/auditctl")) && Files.isExecutable(Path.of("/usr/sbin/auditd")),
                "auditd is not installed (.ci/run installs it)");
        String status = run("/usr/sbin/auditctl", "-s");
        assumeTrue(status.contains("enabled"), "the kernel refuses audit here (auditctl -s: " + status.trim() + ")");
        assumeTrue(status.contains("loginuid_immutable 0"), "login uids are immutable here, no new audit session");

        long auid = 3_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        List<List<String>> rules = List.of(
                List.of("-F", "arch=b64", "-S", "execve", "-F", "auid=" + auid, "-k", KEY),
                List.of("-F", "arch=b64", "-S", "openat", "-F", "a2&03", "-F", "auid=" + auid, "-k", KEY));
        Process ownDaemon = null;
        Path log = Path.of("/var/log/audit/audit.log");
        try {
            if (status.contains("pid 0")) {
                log = home.resolve("audit/audit.log");
                ownDaemon = startAuditd(home.resolve("audit"), log);
            }
            for (List<String> rule : rules) {
                auditctl("-a", "always,exit", rule);
            }
            Path data = home.resolve(".ttyaudit-data");
            Path work = Files.createDirectories(home.resolve("work"));
            RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='au\\$ '\n");
            try (TerminalSession t = TerminalSession.start(
                    List.of("/bin/sh", "-c", "echo " + auid + " > /proc/self/loginuid && exec \"$@\"", "sh"),
                    List.of("record", "--data", data.toString(), "--", "bash"),
                    RecordFixture.environment(home, "/bin/bash"), new WindowSize(80, 24))) {
                int at = t.awaitOutput(PROMPT);
                at = t.runLine(at, PROMPT, "cd " + work);
                at = t.runLine(at, PROMPT, "/bin/echo 'hello audit'");
                at = t.runLine(at, PROMPT, "touch audit-made.txt");
                t.type("exit\r");
                t.awaitExit();
            }
            Path recorded = onlyRecord(data);
            SessionHeader header = RecordFileReader.open(recorded).header();
            assertThat(header.tags()).containsEntry("loginuid", Long.toString(auid)).containsKey("audit_session");
            String ses = header.tags().get("audit_session");

            awaitInLog(log, "ses=" + ses + " ", "touch");
            RecordFixture.CliResult r = cli("ingest-audit", log.toString(), "--data", data.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("attached audit session " + ses + " (",
                    "to session " + header.sessionId() + " as ");

            Path attachment = attachmentOf(data, header.sessionId().toString());
            assertThat(cli("verify", attachment.toString()).exitCode()).isZero();
            SessionHeader ah = RecordFileReader.open(attachment).header();
            assertThat(ah.kind()).isEqualTo("import");
            assertThat(ah.startedAt()).isEqualTo(header.startedAt());
            assertThat(ah.tags()).containsEntry("import_format", "linux-audit").containsEntry("audit_session", ses);
            List<Event> events = RecordFixture.events(attachment);
            assertThat(events).filteredOn(ExecEvent.class::isInstance).map(ExecEvent.class::cast)
                    .anySatisfy(e -> {
                        assertThat(e.argv()).containsExactly("/bin/echo", "hello audit");
                        assertThat(e.cwd()).isEqualTo(work.toString());
                    })
                    .anySatisfy(e -> assertThat(e.argv()).containsExactly("touch", "audit-made.txt"));
            assertThat(events).filteredOn(FileEvent.class::isInstance).map(FileEvent.class::cast)
                    .anySatisfy(f -> {
                        assertThat(f.operation()).isEqualTo("write");
                        assertThat(f.path()).isEqualTo(work.resolve("audit-made.txt").toString());
                        assertThat(f.source()).isEqualTo("audit");
                    });
        } finally {
            for (List<String> rule : rules) {
                auditctl("-d", "always,exit", rule);
            }
            if (ownDaemon != null) {
                ownDaemon.destroy();
                ownDaemon.waitFor(10, TimeUnit.SECONDS);
                // auditd switched auditing on; without a daemon the kernel would log to the console instead
                if (status.contains("enabled 0")) {
                    run("/usr/sbin/auditctl", "-e", "0");
                }
            }
        }
    }

    /** Starts {@code auditd -n} with a configuration of its own writing to {@code log}. */
    private static Process startAuditd(Path dir, Path log) throws Exception {
        Files.createDirectories(dir);
        Path conf = dir.resolve("auditd.conf");
        Files.writeString(conf, """
                local_events = yes
                write_logs = yes
                log_file = %s
                log_format = ENRICHED
                flush = INCREMENTAL_ASYNC
                freq = 1
                max_log_file = 8
                num_logs = 1
                max_log_file_action = IGNORE
                space_left = 2
                space_left_action = IGNORE
                admin_space_left = 1
                admin_space_left_action = IGNORE
                disk_full_action = IGNORE
                disk_error_action = IGNORE
                """.formatted(log));
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Process p = new ProcessBuilder("/usr/sbin/auditd", "-n", "-c", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("auditd.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!run("/usr/sbin/auditctl", "-s").contains("pid " + p.pid())) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new AssertionError("auditd did not start: " + Files.readString(dir.resolve("auditd.out")));
            }
            Thread.sleep(100);
        }
        return p;
    }

    private static void auditctl(String op, String list, List<String> rule) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/sbin/auditctl", op, list));
        argv.addAll(rule);
        run(argv.toArray(String[]::new));
    }

    /** Waits for auditd to have written the session's records (it writes asynchronously). */
    private static void awaitInLog(Path log, String ses, String program) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .anyMatch(l -> l.contains(ses) && l.contains("comm=\"" + program + "\""))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("auditd did not log " + program + " of " + ses + " in " + log);
    }

    private static Path onlyRecord(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("spool"))) {
            List<Path> records = s.filter(p -> p.toString().endsWith(".tta")).toList();
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    private static Path attachmentOf(Path data, String sessionId) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("spool"))) {
            List<Path> found = new ArrayList<>();
            for (Path p : s.filter(p -> p.toString().endsWith(".tta")).toList()) {
                if (sessionId.equals(RecordFileReader.open(p).header().tags().get("attached_to"))) {
                    found.add(p);
                }
            }
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
