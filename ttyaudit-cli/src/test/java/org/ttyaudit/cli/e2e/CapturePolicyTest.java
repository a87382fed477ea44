package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.upload.CapturePolicyCache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Capture policies decided by root's policy file and by the audit server, applied to real sessions: a real
 * {@code ttyaudit} in a real terminal running a real bash, with real bulk output ({@code dd}, {@code head}).
 */
class CapturePolicyTest {
    static final String PROMPT = "tt[#$] ";
    private static final Pattern DROPPED = Pattern.compile(" dropped=(\\d+) ");

    @TempDir
    Path dir;

    @AfterEach
    void endBackgroundUploads() {
        TerminalSession.endProcessesUnder(dir);
    }

    /** A bash login session through {@code ttyaudit shell} under the capture policy file {@code capturePolicy}. */
    private TerminalSession shell(String capturePolicy) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy files must be root-owned: run as root");
        Path policyFile = dir.resolve("capture.yaml");
        Files.writeString(policyFile, capturePolicy);
        Path conf = dir.resolve("shell.conf");
        Files.writeString(conf, "shell = /bin/bash\ndata_dir = " + dir.resolve("data") + "\ncapture_policy = "
                + policyFile + "\n");
        for (String rc : List.of(".bashrc", ".bash_profile")) {
            RecordFixture.writeFile(dir.resolve(rc), "PS1='tt\\$ '\n");
        }
        return TerminalSession.start(List.of("shell", "--config", conf.toString()),
                RecordFixture.environment(dir, "/usr/local/bin/ttyaudit"), new WindowSize(80, 24));
    }

    private Path theRecord() throws Exception {
        try (var s = Files.list(dir.resolve("data/spool"))) {
            List<Path> records = s.filter(p -> p.toString().endsWith(".tta")).toList();
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    private static long zeros(List<Event> events) {
        long n = 0;
        for (byte b : RecorderRobustnessTest.outputBytes(events)) {
            n += b == 0 ? 1 : 0;
        }
        return n;
    }

    /** From the first to the last output event holding a zero byte, in seconds (the flood's span in the record). */
    private static double floodSeconds(List<Event> events) {
        long first = -1;
        long last = -1;
        for (Event e : events) {
            if (e instanceof OutputEvent o && new String(o.data(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .indexOf('\0') >= 0) {
                first = first < 0 ? o.offsetMicros() : first;
                last = o.offsetMicros();
            }
        }
        return first < 0 ? 0 : (last - first) / 1e6;
    }

    private static List<String> dropMarkers(List<Event> events) {
        return events.stream().filter(e -> e instanceof MarkerEvent m && m.name().equals("output-dropped"))
                .map(e -> ((MarkerEvent) e).detail()).toList();
    }

    /** The bytes the last marker of each span says were dropped, added up. */
    private static long droppedBytes(List<String> markers) {
        long sum = 0;
        for (String m : markers) {
            Matcher d = DROPPED.matcher(m);
            assertThat(d.find()).as(m).isTrue();
            sum += m.endsWith("ongoing=false") ? Long.parseLong(d.group(1)) : 0;
        }
        return sum;
    }

    @Test
    void aCommandsPolicyStoresTheCommandsButNoOutputAndNoKeystrokes() throws Exception {
        try (TerminalSession t = shell("""
                capture:
                  default: {mode: full}
                  policies:
                    - match: {users: [nobody-here]}
                      mode: output
                    - match: {users: [root], groups: [root]}
                      mode: commands
                """)) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "echo visible-$((6*7))");
            t.type("exit\r");
            assertThat(t.awaitExit().code()).isZero();
            assertThat(t.output()).as("the user's terminal gets everything").contains("visible-42");
        }
        Path record = theRecord();
        List<Event> events = RecordFixture.events(record);
        assertThat(events).noneMatch(e -> e instanceof OutputEvent || e instanceof InputEvent
                || e instanceof RedactedInputEvent);
        assertThat(RecordFixture.allEventText(events)).doesNotContain("visible-42");
        assertThat(RecordFixture.commandsJson(record).findValuesAsText("command")).contains("echo visible-$((6*7))");
        assertThat(RecordFixture.cli("info", record.toString()).out()).containsPattern("capture:\\s+commands");
        assertThat(RecordFileReader.open(record).header().tags().get("groups")).startsWith("root");
    }

    @Test
    void aBulkTransferKeepsItsHeadAndTheMarkerSaysExactlyHowMuchWasDropped() throws Exception {
        int total = 32 * 64 * 1024;   // 2 MiB: the test's terminal re-reads all it got at every wait, keep it modest
        try (TerminalSession t = shell("""
                capture:
                  bulk:
                    programs: [rsync, dd]
                    keep_head: 16KiB
                    then: drop
                """)) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "dd if=/dev/zero bs=64k count=32 status=none");
            at = t.runLine(at, PROMPT, "echo after-dd");
            t.type("exit\r");
            assertThat(t.awaitExit().code()).isZero();
        }
        List<Event> events = RecordFixture.events(theRecord());
        List<String> markers = dropMarkers(events);
        assertThat(markers).as("markers of a session that stored %d zeros: %s", zeros(events),
                events.stream().filter(e -> !(e instanceof OutputEvent) && !(e instanceof InputEvent)).toList())
                .isNotEmpty().allMatch(m -> m.startsWith("reason=bulk program=dd "));
        String last = markers.get(markers.size() - 1);
        assertThat(last).contains("keep_head=16384 then=drop", "kept=16384", "ongoing=false");
        long stored = zeros(events);
        // What dd wrote after the shell took the terminal back is the shell's (stored); the rest is accounted for.
        assertThat(stored + droppedBytes(markers)).isEqualTo(total);
        // The kept head may begin with the shell's last bytes before dd's (its command-start marker and line end,
        // 11 bytes in one run under load), when one read after dd took the terminal returned them with dd's first.
        // Above the head: what dd wrote before it exited that the recorder read after the shell took the terminal
        // back (the pty's buffer; 12-20 KiB under load here), stored as the shell's - the filter errs toward storing.
        // dd's output read while its leader was still named bash (forked, not yet exec'd) is no longer stored:
        // 404 KiB were, once, in CI (OutputFilter reads a new leader's name again at once until it execs).
        assertThat(stored).as("far fewer bytes than dd wrote; markers %s; output events %s", markers,
                outputSizes(events)).isBetween(16384L - 64, 16384L + 256 * 1024);
        assertThat(RecorderRobustnessTest.outputText(events)).contains("after-dd");
    }

    private static List<String> outputSizes(List<Event> events) {
        return events.stream().filter(e -> e instanceof OutputEvent || e instanceof MarkerEvent)
                .map(e -> e instanceof OutputEvent o ? String.valueOf(o.data().length) : "marker").toList();
    }

    @Test
    void outputAboveTheRateLimitIsNotStoredAndTheMarkerSaysHowMuch() throws Exception {
        int total = 2_000_000;
        try (TerminalSession t = shell("""
                capture:
                  default: {output_rate: 64KiB/s, output_burst: 128KiB}
                """)) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "head -c " + total + " /dev/zero; echo");
            at = t.runLine(at, PROMPT, "echo after-flood");
            t.type("exit\r");
            assertThat(t.awaitExit().code()).isZero();
        }
        List<Event> events = RecordFixture.events(theRecord());
        List<String> markers = dropMarkers(events);
        assertThat(markers).isNotEmpty().allMatch(m -> m.startsWith("reason=rate-limit rate=65536 burst=131072 "));
        long stored = zeros(events);
        // The flood's zeros, and perhaps the newline and prompt right after it, which the limit holds back too.
        assertThat(stored + droppedBytes(markers)).isBetween((long) total, total + 100L);
        // The bucket refills at 64 KiB/s for as long as the flood lasted, which depends on how fast this (shared)
        // machine drains the terminal: bound what was stored by the flood's own duration in the record.
        double seconds = floodSeconds(events);
        assertThat(stored).as("the burst and what the rate allowed in %.1f s", seconds)
                .isBetween(128L * 1024, 128L * 1024 + (long) (64 * 1024 * (seconds + 1)));
        assertThat(droppedBytes(markers)).as("what the limit held back").isPositive();
    }

    @Test
    void aBrokenPolicyFileStopsTheSessionWithFileLineAndReason() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy files must be root-owned: run as root");
        Path policyFile = dir.resolve("capture.yaml");
        Files.writeString(policyFile, "capture:\n  default:\n    mode: everything\n");
        Path conf = dir.resolve("shell.conf");
        Files.writeString(conf, "data_dir = " + dir.resolve("data") + "\ncapture_policy = " + policyFile + "\n");
        Path ran = dir.resolve("ran");
        RecordFixture.CliResult r = RecordFixture.cli("shell", "--config", conf.toString(), "-c", "touch " + ran);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("ttyaudit: invalid capture policy: " + policyFile
                + ":3: mode: unknown capture mode 'everything' (expected full, output or commands)");
        assertThat(ran).doesNotExist();
    }

    @Test
    void theServersPolicyWinsOverTheUsersChoiceAndStillAppliesWhenTheServerIsDown() throws Exception {
        Path data = Files.createDirectories(dir.resolve("server"));
        Files.writeString(data.resolve("server.yaml"), """
                capture:
                  policies:
                    - match: {hosts: ['web-*']}
                      mode: commands
                """);
        Path credential = dir.resolve("host.json");
        try (ServerUnderTest server = new ServerUnderTest(data)) {
            String token = server.post("/api/v1/enrollment-tokens", server.admin(), Map.of("ttl_hours", 1)).json()
                    .get("token").asText();
            RecordFixture.CliResult enrolled = RecordFixture.cli("enroll", "--server", server.url, "--token", token,
                    "--fingerprint", server.fingerprint, "--credential-file", credential.toString(), "--host",
                    "web-1");
            assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();

            Path mine = dir.resolve("mine.tta");
            try (TerminalSession t = TerminalSession.start(List.of("record", "--upload", "--credential-file",
                    credential.toString(), "--capture", "full", "-o", mine.toString(), "--", "sh", "-c",
                    "echo served-$((6*7))"), RecordFixture.environment(dir, "/bin/sh"), new WindowSize(80, 24))) {
                assertThat(t.awaitExit().code()).isZero();
                assertThat(t.output()).contains("served-42")
                        .contains("the capture policy (server.yaml:3) applies: commands, not --capture full");
            }
            assertThat(RecordFixture.events(mine)).noneMatch(e -> e instanceof OutputEvent);
            JsonNode sessions = server.get("/api/v1/sessions", server.admin()).json().get("items");
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).get("capture").asText()).isEqualTo("commands");
            Path cache = credential.resolveSibling(CapturePolicyCache.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        }

        // The server is gone: the policy it gave last still applies, and the session starts without waiting long.
        Path offline = dir.resolve("offline.tta");
        long started = System.nanoTime();
        try (TerminalSession t = TerminalSession.start(List.of("record", "--upload", "--credential-file",
                credential.toString(), "-o", offline.toString(), "--", "sh", "-c", "echo offline-$((6*7))"),
                RecordFixture.environment(dir, "/bin/sh"), new WindowSize(80, 24))) {
            t.awaitOutput("offline-42");
            assertThat((System.nanoTime() - started) / 1e9).as("seconds to start").isLessThan(15);
            t.awaitExit();
        }
        assertThat(RecordFileReader.open(offline).header().capture()).isEqualTo("commands");
        assertThat(RecordFixture.events(offline)).noneMatch(e -> e instanceof OutputEvent);
    }

}
