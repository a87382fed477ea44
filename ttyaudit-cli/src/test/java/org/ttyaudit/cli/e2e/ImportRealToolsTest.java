package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.session.HostFacts;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ttyaudit.cli.e2e.RecordFixture.cli;

/**
 * {@code ttyaudit import} of logs the real tools wrote in the test: asciinema's {@code rec}, sudo with an I/O log
 * ({@code log_output}), tlog's {@code tlog-rec -w file}. Each recorded command prints a line, waits, prints a
 * UTF-8 line; the import must hold both lines in order and apart in time, the tool's metadata, and verify.
 */
class ImportRealToolsTest {
    /** What every tool records: two lines 300 ms apart, the second with a non-ASCII character. */
    private static final String SCRIPT = "printf 'first-line\\n'; sleep 0.3; printf 'h\\303\\251llo second\\n'; exit 3\n";

    @TempDir
    Path tmp;

    /** Runs {@code command} under script(1), which gives it a terminal of 100x30, with stdin from /dev/null. */
    private Run underTerminal(String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", "stty cols 100 rows 30; " + command, "/dev/null");
        pb.environment().putAll(env);
        pb.environment().put("TERM", "xterm-256color");
        pb.directory(tmp.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        return new Run(p.exitValue(), out);
    }

    private record Run(int exitCode, String output) {
    }

    private Path script() throws Exception {
        Path s = tmp.resolve("recorded.sh");
        Files.writeString(s, "#!/bin/sh\n" + SCRIPT);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private static void assumeTools(String... paths) {
        for (String p : paths) {
            assumeTrue(Files.isExecutable(Path.of(p)), p + " is not installed (.ci/run installs it)");
        }
    }

    /** Imports {@code source} and checks what every import must hold; returns the record. */
    private Recording importAndCheck(Path source, String format) throws Exception {
        Path record = tmp.resolve(format + ".tta");
        RecordFixture.CliResult run = cli("import", source.toString(), "--format", format, "-o", record.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("as session ").contains(record.toString());
        RecordFixture.CliResult verify = cli("verify", record.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("intact, complete");

        Recording r = RecordFileReader.open(record);
        assertThat(r.header().kind()).isEqualTo("import");
        assertThat(r.header().tags()).containsKeys("import_format", "import_sha256", "import_source");
        List<OutputEvent> output = new ArrayList<>();
        long last = 0;
        for (Event e : r.events()) {
            assertThat(e.offsetMicros()).as("time order").isGreaterThanOrEqualTo(last);
            last = e.offsetMicros();
            if (e instanceof OutputEvent o) {
                output.add(o);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        output.forEach(o -> all.writeBytes(o.data()));
        String text = all.toString(StandardCharsets.UTF_8);
        assertThat(text).containsSubsequence("first-line\r\n", "héllo second\r\n");
        long first = output.stream().filter(o -> new String(o.data(), StandardCharsets.UTF_8).contains("first-line"))
                .findFirst().orElseThrow().offsetMicros();
        long second = output.stream().filter(o -> new String(o.data(), StandardCharsets.UTF_8).contains("second"))
                .findFirst().orElseThrow().offsetMicros();
        assertThat(second - first).as("the sleep between the lines").isBetween(250_000L, 5_000_000L);
        return r;
    }

    @Test
    void anAsciinemaRecording() throws Exception {
        assumeTools("/usr/bin/asciinema", "/usr/bin/script");
        Path cast = tmp.resolve("rec.cast");
        Run rec = underTerminal("asciinema rec -q -c \"sh $SCRIPT\" \"$CAST\"",
                Map.of("SCRIPT", script().toString(), "CAST", cast.toString()));
        assertThat(rec.exitCode()).as(rec.output()).isZero();
        boolean v3 = Files.readAllLines(cast).get(0).contains("\"version\": 3")
                || Files.readAllLines(cast).get(0).contains("\"version\":3");

        Recording r = importAndCheck(cast, "asciicast");
        assertThat(r.header().tags()).containsEntry("import_format", v3 ? "asciicast-v3" : "asciicast-v2");
        assertThat(r.header().cols()).isEqualTo(100);
        assertThat(r.header().rows()).isEqualTo(30);
        assertThat(r.header().term()).isEqualTo("xterm-256color");
        // asciinema 2 leaves "command" out of the header; the recording's start is its own timestamp.
        assertThat(r.header().tags()).doesNotContainKey("start_estimated");
        if (v3) {   // asciinema 3 records the exit status
            assertThat(r.end().orElseThrow().end().exitStatus()).isEqualTo(3);
        }
    }

    @Test
    void aSudoIoLog() throws Exception {
        assumeTools("/usr/bin/sudo", "/usr/sbin/visudo", "/usr/bin/script");
        assumeTrue(HostFacts.currentUid() == 0, "writing a sudoers drop-in needs root (CI runs the tests as root)");
        Path command = script();
        Path io = tmp.resolve("sudo-io");
        // Scoped to this one command, so no other sudo on the machine is logged while the test runs. The name has
        // no dot: sudo skips drop-ins whose name contains one.
        Path dropIn = Path.of("/etc/sudoers.d/ttyaudit-import-test-" + ProcessHandle.current().pid());
        Files.writeString(dropIn, "Defaults!" + command + " log_output, log_input, iolog_dir=" + io
                + ", iolog_file=session\n");
        try {
            Files.setPosixFilePermissions(dropIn, PosixFilePermissions.fromString("r--r-----"));
            Run check = run("visudo", "-cf", dropIn.toString());
            assertThat(check.exitCode()).as(check.output()).isZero();
            Run sudo = underTerminal("sudo \"$COMMAND\"", Map.of("COMMAND", command.toString()));
            assertThat(sudo.exitCode()).as(sudo.output()).isEqualTo(3);
        } finally {
            Files.deleteIfExists(dropIn);
        }
        Path log = io.resolve("session");
        assertThat(log.resolve("timing")).exists();

        Recording r = importAndCheck(log, "sudo");
        assertThat(r.header().user()).isEqualTo("root");
        assertThat(r.header().host()).isEqualTo(HostFacts.hostName());
        assertThat(r.header().tty()).startsWith("/dev/pts/");
        assertThat(r.header().cols()).isEqualTo(100);
        assertThat(r.header().rows()).isEqualTo(30);
        assertThat(r.header().term()).isEqualTo("xterm-256color");
        assertThat(r.header().command()).containsExactly(command.toString());
        assertThat(r.header().tags()).containsEntry("import_format", "sudo").containsEntry("run_as_user", "root")
                .containsEntry("cwd", tmp.toString());
    }

    @Test
    void aTlogRecording() throws Exception {
        assumeTools("/usr/bin/tlog-rec", "/usr/bin/script");
        Path json = tmp.resolve("tlog.json");
        Run rec = underTerminal("tlog-rec -w file -o \"$OUT\" sh \"$SCRIPT\"",
                Map.of("OUT", json.toString(), "SCRIPT", script().toString()));
        assumeTrue(!rec.output().contains("Failed adding a utmp record"),
                "tlog-rec needs /run/utmp, which this machine lacks (.ci/run creates it): " + rec.output());
        assertThat(rec.exitCode()).as(rec.output()).isEqualTo(3);

        Recording r = importAndCheck(json, "tlog");
        assertThat(r.header().user()).isEqualTo(HostFacts.userName(System.getenv()));
        assertThat(r.header().host()).isEqualTo(HostFacts.hostName());
        assertThat(r.header().cols()).isEqualTo(100);
        assertThat(r.header().rows()).isEqualTo(30);
        assertThat(r.header().term()).isEqualTo("xterm-256color");
        assertThat(r.header().tags()).containsEntry("import_format", "tlog").containsKey("tlog_rec");
    }

    @Test
    void anInteractiveTlogRecordingWithKeystrokesHasItsCommands() throws Exception {
        assumeTools("/usr/bin/tlog-rec", "/usr/bin/script", "/bin/bash");
        Path json = tmp.resolve("typed.json");
        // Keys typed into an interactive bash once its prompt is up (script(1) passes its stdin on to the pty).
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "(sleep 2; printf 'echo typed-$((6*7))\\r'; sleep 1; "
                + "printf 'exit\\r'; sleep 1) | script -qefc \"stty cols 100 rows 30; tlog-rec --log-input=true "
                + "-w file -o \\\"$OUT\\\" env PS1='prompt$ ' bash --norc -i\" /dev/null");
        pb.environment().put("OUT", json.toString());
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(!out.contains("Failed adding a utmp record"),
                "tlog-rec needs /run/utmp, which this machine lacks (.ci/run creates it): " + out);
        assertThat(json).as(out).exists();

        Path record = tmp.resolve("typed.tta");
        RecordFixture.CliResult run = cli("import", json.toString(), "--format", "tlog", "-o", record.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(cli("verify", record.toString()).exitCode()).isZero();
        RecordFixture.CliResult commands = cli("commands", record.toString(), "--json");
        assertThat(commands.out()).contains("\"command\" : \"echo typed-$((6*7))\"").contains("\"command\" : \"exit\"")
                .contains("\"source\" : \"screen\"");
        Recording r = RecordFileReader.open(record);
        StringBuilder typed = new StringBuilder();
        for (Event e : r.events()) {
            if (e instanceof org.ttyaudit.core.model.InputEvent i) {
                typed.append(new String(i.data(), StandardCharsets.UTF_8));
            }
        }
        assertThat(typed).hasToString("echo typed-$((6*7))\rexit\r");
    }

    private Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
