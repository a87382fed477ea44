package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.WindowSize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.RecordFixture.cli;

/** Crashes, tampering, pipes, signals and bad input: the record stays trustworthy and errors stay clear. */
class RecorderRobustnessTest {
    @TempDir
    Path home;

    private TerminalSession startShell(Path record) throws Exception {
        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='tt\\$ '\n");
        return TerminalSession.start(List.of("record", "-o", record.toString(), "--", "bash"),
                RecordFixture.environment(home, "/bin/bash"), new WindowSize(80, 24));
    }

    @Test
    void killedRecorderLeavesVerifiablePlayablePrefix() throws Exception {
        Path record = home.resolve("killed.tta");
        try (TerminalSession t = startShell(record)) {
            int at = t.awaitOutput("tt[#$] ");
            t.type("echo before-the-crash\r");
            at = t.awaitOutput(at, "before-the-crash\r\n");
            // Chunks are sealed at the latest after a second: wait for the command to be durable.
            TerminalSession.pause(1500);
            t.kill(9);
            t.awaitExit();
        }
        RecordFixture.CliResult verify = cli("verify", record.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("intact but incomplete");
        assertThat(outputText(RecordFixture.events(record))).contains("before-the-crash");
        assertThat(RecordFixture.commandsJson(record).toString()).contains("echo before-the-crash");
        Path cast = home.resolve("killed.cast");
        assertThat(cli("export", record.toString(), "--format", "asciicast-v2", "-o", cast.toString()).exitCode())
                .isZero();
        assertThat(Files.readString(cast)).contains("before-the-crash");
    }

    @Test
    void usersTerminalIsRawDuringTheSessionAndRestoredAfterASignal() throws Exception {
        for (int signal : new int[] {15, 1}) {
            Path record = home.resolve("raw-" + signal + ".tta");
            try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "sh",
                    "-c", "echo started; sleep 30"), RecordFixture.environment(home, "/bin/sh"),
                    new WindowSize(80, 24))) {
                assertThat(t.cookedWithEcho()).isTrue();
                t.awaitOutput("started");
                assertThat(t.cookedWithEcho()).as("raw while recording").isFalse();
                t.kill(signal);
                ExitStatus status = t.awaitExit();
                assertThat(status.code()).as("the shell was hung up").isEqualTo(128 + 1);
                assertThat(t.cookedWithEcho()).as("restored after signal " + signal).isTrue();
            }
            assertThat(cli("verify", record.toString()).out()).contains("intact, complete");
        }
    }

    @Test
    void fullDiskEndsTheSessionAndLeavesAVerifiableRecord() throws Exception {
        Path disk = Files.createDirectories(home.resolve("tiny-disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                "cannot mount a small tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        try {
            Path record = disk.resolve("full.tta");
            try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "sh",
                    "-c", "head -c 30000000 /dev/urandom | base64; sleep 5; echo not-reached"),
                    RecordFixture.environment(home, "/bin/sh"), new WindowSize(80, 24))) {
                ExitStatus status = t.awaitExit();
                assertThat(status.code()).isEqualTo(1);
                assertThat(t.output()).contains("the session cannot be recorded (No space left on device); ending it")
                        .doesNotContain("not-reached");
            }
            RecordFixture.CliResult verify = cli("verify", record.toString());
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).contains("intact but incomplete");
        } finally {
            new ProcessBuilder("umount", disk.toString()).start().waitFor();
        }
    }

    @Test
    void flippedByteAndTruncationAreDetected() throws Exception {
        Path record = home.resolve("tamper.tta");
        assertThat(recordCommand(record, "sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done")).isZero();
        assertThat(cli("verify", record.toString()).exitCode()).isZero();

        byte[] original = Files.readAllBytes(record);
        Path flipped = home.resolve("flipped.tta");
        byte[] copy = original.clone();
        copy[copy.length / 2] ^= 0x01;
        Files.write(flipped, copy);
        RecordFixture.CliResult f = cli("verify", flipped.toString());
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.err()).containsPattern("chunk \\d+|header|end record").contains("byte");

        Path truncated = home.resolve("truncated.tta");
        Files.write(truncated, java.util.Arrays.copyOf(original, original.length - 7));
        RecordFixture.CliResult tr = cli("verify", truncated.toString());
        assertThat(tr.exitCode()).isEqualTo(1);
        assertThat(tr.err()).containsIgnoringCase("truncated");
    }

    @Test
    void recordsWhenStdinIsNotATerminal() throws Exception {
        Path record = home.resolve("pipe.tta");
        ProcessBuilder pb = new ProcessBuilder(TerminalSession.ttyauditCommand(
                List.of("record", "-o", record.toString(), "--", "bash", "--norc", "-i")));
        pb.environment().putAll(RecordFixture.environment(home, "/bin/bash"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write("echo piped-$((1+2))\nexit 3\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(3);
        assertThat(out.toString()).contains("piped-3");
        assertThat(outputText(RecordFixture.events(record))).contains("piped-3");
        RecordFixture.CliResult info = cli("info", record.toString());
        assertThat(info.out()).containsPattern("tty:\\s+-");
    }

    @Test
    void signalDeathIsReportedAs128PlusSignal() throws Exception {
        Path record = home.resolve("signal.tta");
        assertThat(recordCommand(record, "sh", "-c", "kill -TERM $$")).isEqualTo(128 + 15);
        assertThat(cli("info", record.toString()).out()).contains("signal");
    }

    @Test
    void unwritableOutputIsReportedBeforeTheShellStarts() throws Exception {
        Path marker = home.resolve("shell-ran");
        ProcessBuilder pb = new ProcessBuilder(TerminalSession.ttyauditCommand(List.of("record", "-o",
                "/nonexistent-dir/x.tta", "--", "sh", "-c", "touch " + marker)));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.strip()).startsWith("ttyaudit: ").contains("/nonexistent-dir/x.tta").doesNotContain("\tat ");
        assertThat(marker).doesNotExist();
    }

    @Test
    void commandThatCannotStartExits127AndIsRecordedAsNotStarted() throws Exception {
        Path record = home.resolve("nostart.tta");
        ProcessBuilder pb = new ProcessBuilder(TerminalSession.ttyauditCommand(List.of("record", "-o",
                record.toString(), "--", "/nonexistent/program")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(127);
        assertThat(out.strip()).startsWith("ttyaudit: cannot start /nonexistent/program")
                .contains("No such file").doesNotContain("\tat ");
        assertThat(cli("verify", record.toString()).exitCode()).isZero();
        assertThat(cli("info", record.toString()).out()).contains("not-started").containsPattern("exit_status:\\s+127");
    }

    @Test
    void aNativeLibraryThatCannotBeLoadedIsOneLineNotAStackTrace() throws Exception {
        List<String> command = new ArrayList<>(TerminalSession.ttyauditCommand(List.of("record", "-o",
                home.resolve("nolib.tta").toString(), "--", "true")));
        // JNA told to look for its library only where there is none, and not to unpack its own.
        command.addAll(1, List.of("-Djna.boot.library.path=" + home.resolve("no-such-dir"), "-Djna.nounpack=true"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out.strip()).startsWith("ttyaudit: a library cannot be loaded: ").doesNotContain("\tat ")
                .hasLineCount(1);
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        RecordFixture.CliResult bad = cli("record", "--capture", "everything", "--", "true");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("ttyaudit: --capture");
        RecordFixture.CliResult unknown = cli("verify");
        assertThat(unknown.exitCode()).isEqualTo(2);
        RecordFixture.CliResult missing = cli("commands", home.resolve("nope.tta").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines().count()).isEqualTo(1);
    }

    @Test
    void damagedFileGivesClearMessageNotStackTrace() throws Exception {
        Path junk = home.resolve("junk.tta");
        Files.writeString(junk, "this is not a record\n");
        for (String cmd : List.of("commands", "info", "play", "verify")) {
            RecordFixture.CliResult r = cli(cmd, junk.toString());
            assertThat(r.exitCode()).as(cmd).isEqualTo(1);
            assertThat(r.err()).as(cmd).contains("junk.tta").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void defaultRecordGoesToTheSpoolAndItsPathIsPrinted() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(TerminalSession.ttyauditCommand(
                List.of("record", "--", "sh", "-c", "echo spooled")));
        pb.environment().putAll(RecordFixture.environment(home, "/bin/sh"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        Path spool = home.resolve(".ttyaudit-data/spool");
        List<Path> records;
        try (var s = Files.list(spool)) {
            records = s.toList();
        }
        assertThat(records).hasSize(1);
        assertThat(out).contains("session recorded to " + records.get(0));
        assertThat(outputText(RecordFixture.events(records.get(0)))).contains("spooled");
    }

    private int recordCommand(Path record, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("record", "-o", record.toString(), "--"));
        args.addAll(List.of(command));
        try (TerminalSession t = TerminalSession.start(args, RecordFixture.environment(home, "/bin/sh"),
                new WindowSize(80, 24))) {
            ExitStatus status = t.awaitExit();
            return status.shellStatus();
        }
    }

    static String outputText(List<Event> events) {
        return new String(outputBytes(events), StandardCharsets.UTF_8);
    }

    static byte[] outputBytes(List<Event> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Event e : events) {
            if (e instanceof OutputEvent o) {
                out.writeBytes(o.data());
            }
        }
        return out.toByteArray();
    }

}
