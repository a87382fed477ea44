package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ttyaudit shell} obeys only the root-owned policy; {@code ttyaudit play} replays in a real terminal. */
class ShellAndPlayTest {
    @TempDir
    Path dir;

    private Path policy(String content) throws Exception {
        Path conf = dir.resolve("shell.conf");
        Files.writeString(conf, content);
        return conf;
    }

    private List<Path> spooled(Path dataDir) throws Exception {
        try (var s = Files.list(dataDir.resolve("spool"))) {
            return s.toList();
        }
    }

    @Test
    void shellTakesCaptureSettingsFromThePolicyNotTheUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy must be root-owned: run as root");
        Path data = dir.resolve("data");
        Path conf = policy("capture = output\nshell = /bin/bash\ndata_dir = " + data + "\n");
        Map<String, String> env = new HashMap<>(RecordFixture.environment(dir, "/usr/local/bin/ttyaudit"));
        // What the user sets in their environment has no say.
        env.put("TTYAUDIT_DATA_DIR", dir.resolve("user-chosen").toString());
        try (TerminalSession t = TerminalSession.start(List.of("shell", "--config", conf.toString(), "-c",
                "read x; echo got-$x; echo shell=$SHELL"), env, new WindowSize(80, 24))) {
            TerminalSession.pause(500);
            t.type("typed-text\r");
            ExitStatus status = t.awaitExit();
            assertThat(status.code()).as(t.output()).isZero();
            assertThat(t.output()).contains("got-typed-text").contains("shell=/bin/bash");
        }
        List<Path> records = spooled(data);
        assertThat(records).hasSize(1);
        assertThat(dir.resolve("user-chosen")).doesNotExist();
        List<Event> events = RecordFixture.events(records.get(0));
        assertThat(events).noneMatch(e -> e instanceof InputEvent || e instanceof RedactedInputEvent);
        assertThat(RecorderRobustnessTest.outputText(events)).contains("got-typed-text");
        assertThat(RecordFixture.cli("info", records.get(0).toString()).out()).containsPattern("capture:\\s+output");
    }

    @Test
    void shellRunsTheForcedCommandOfSsh() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy must be root-owned: run as root");
        Path data = dir.resolve("data");
        Path conf = policy("data_dir = " + data + "\n");
        Map<String, String> env = new HashMap<>(RecordFixture.environment(dir, "/bin/bash"));
        env.put("SSH_ORIGINAL_COMMAND", "echo forced-$((40+2))");
        try (TerminalSession t = TerminalSession.start(List.of("shell", "--config", conf.toString()), env,
                new WindowSize(80, 24))) {
            assertThat(t.awaitExit().code()).isZero();
            assertThat(t.output()).contains("forced-42");
        }
        assertThat(RecordFixture.commandsJson(spooled(data).get(0)).toString()).isNotNull();
        assertThat(RecorderRobustnessTest.outputText(RecordFixture.events(spooled(data).get(0))))
                .contains("forced-42");
    }

    @Test
    void policyFileTheUserCouldWriteIsRefusedAndNoShellStarts() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        Path marker = dir.resolve("shell-ran");
        Path conf = policy("capture = output\n");
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(conf, users.lookupPrincipalByName("nobody"));
        RecordFixture.CliResult r = RecordFixture.cli("shell", "--config", conf.toString(), "-c", "touch " + marker);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("refusing the shell policy").contains("owned by root");
        assertThat(marker).doesNotExist();

        Files.setOwner(conf, users.lookupPrincipalByName("root"));
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        RecordFixture.CliResult w = RecordFixture.cli("shell", "--config", conf.toString(), "-c", "touch " + marker);
        assertThat(w.exitCode()).isEqualTo(1);
        assertThat(w.err()).contains("not writable by group or others");
        assertThat(marker).doesNotExist();
    }

    @Test
    void playReplaysTheSessionInTheTerminalAndQuitsOnQ() throws Exception {
        Path record = dir.resolve("play.tta");
        try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "sh", "-c",
                "echo first-line; sleep 0.3; echo second-line; sleep 5; echo never-shown"),
                RecordFixture.environment(dir, "/bin/sh"), new WindowSize(80, 24))) {
            t.awaitOutput("second-line");   // not a fixed pause: a loaded machine may start the JVM slowly
            t.kill(15);
            t.awaitExit();
        }
        try (TerminalSession p = TerminalSession.start(List.of("play", record.toString(), "--idle-limit", "0.2"),
                RecordFixture.environment(dir, "/bin/sh"), new WindowSize(80, 24))) {
            p.awaitOutput("first-line");
            p.awaitOutput("second-line");
            p.type("q");
            assertThat(p.awaitExit().code()).isZero();
            assertThat(p.output()).doesNotContain("never-shown");
        }
    }
}
