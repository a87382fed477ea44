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
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/asciinema")), "asciinema is not installed (CI installs it)");
        Path record = home.resolve("s.tta");
        // UTF-8 split across writes, and bytes that are not UTF-8 at all.
        String script = "printf 'h\\303'; sleep 0.1; printf '\\251llo w\\303\\266rld \\346\\227'; sleep 0.1;"
                + " printf '\\245\\346\\234\\254\\n'; printf 'bad:\\377\\376:end\\n'";
        try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "sh", "-c",
                script), RecordFixture.environment(home, "/bin/sh"), new WindowSize(80, 24))) {
            assertThat(t.awaitExit().code()).isZero();
        }
        String recorded = RecorderRobustnessTest.outputText(RecordFixture.events(record));
        assertThat(recorded).contains("héllo wörld 日本");

        Path cast = home.resolve("s.cast");
        assertThat(cli("export", record.toString(), "--format", "asciicast-v2", "-o", cast.toString()).exitCode())
                .isZero();
        Process p = new ProcessBuilder("asciinema", "cat", cast.toString()).redirectErrorStream(true).start();
        String played = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(played).isZero();
        assertThat(played).isEqualTo(recorded);
    }
}
