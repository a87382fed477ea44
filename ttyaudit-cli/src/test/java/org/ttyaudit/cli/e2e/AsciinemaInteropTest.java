package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ttyaudit.cli.e2e.RecordFixture.cli;

/** The asciicast export of a real recording is played by the real asciinema CLI, and shows what was recorded. */
class AsciinemaInteropTest {
    @TempDir
    Path home;

    @Test
    void asciinemaCatPlaysTheExportWithTheRecordedOutput() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/asciinema")) && Files.isExecutable(Path.of("/usr/bin/script")),
                "asciinema or script is not installed (CI installs them)");
        Path record = home.resolve("s.tta");
        // UTF-8 split across writes, and bytes that are not UTF-8 at all.
        String script = "printf 'h\\303'; sleep 0.1; printf '\\251llo w\\303\\266rld \\346\\227'; sleep 0.1;"
                + " printf '\\245\\346\\234\\254\\n'; printf 'bad:\\377\\376:end\\n'";
        try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "sh", "-c",
                script), RecordFixture.environment(home, "/bin/sh"), new WindowSize(80, 24))) {
            assertThat(t.awaitExit().code()).isZero();
        }
        byte[] recordedBytes = RecorderRobustnessTest.outputBytes(RecordFixture.events(record));
        org.ttyaudit.core.asciicast.Utf8Carry utf8 = new org.ttyaudit.core.asciicast.Utf8Carry();
        String recorded = utf8.decode(recordedBytes) + utf8.flush();
        assertThat(recorded).contains("héllo wörld 日本");

        Path cast = home.resolve("s.cast");
        assertThat(cli("export", record.toString(), "--format", "asciicast-v2", "-o", cast.toString()).exitCode())
                .isZero();
        // asciinema 2.x's cat opens /dev/tty, so it runs under script(1) with a terminal of its own.
        Path printed = home.resolve("printed.txt");
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", "asciinema cat \"$CAST\" > \"$PRINTED\"",
                "/dev/null");
        pb.environment().put("CAST", cast.toString());
        pb.environment().put("PRINTED", printed.toString());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        String played = Files.readString(printed, StandardCharsets.UTF_8);
        assertThat(played).isEqualTo(recorded);
    }
}
