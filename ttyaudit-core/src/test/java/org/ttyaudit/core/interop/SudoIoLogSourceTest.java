package org.ttyaudit.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.ResizeEvent;

class SudoIoLogSourceTest {
    @TempDir
    Path dir;

    static Path sample(String name) throws URISyntaxException {
        return Path.of(SudoIoLogSourceTest.class.getResource(name).toURI());
    }

    @Test
    void aRealCompressedLogOfACommandOnATerminal() throws Exception {
        // sudo 1.9.13 (Debian), Defaults log_output, log_input: sudo -u nobody bash -c '...' under script(1)
        Drained d = Drained.of(new SudoIoLogSource(sample("sudo-tty")));
        SourceMetadata m = d.metadata();
        assertThat(m.format()).isEqualTo("sudo");
        assertThat(m.user()).isEqualTo("root");
        assertThat(m.host()).isEqualTo("vm");
        assertThat(m.tty()).isEqualTo("/dev/pts/0");
        assertThat(m.term()).isEqualTo("xterm");
        assertThat(m.cols()).isEqualTo(80);
        assertThat(m.rows()).isEqualTo(24);
        assertThat(m.startedAt()).isEqualTo(Instant.ofEpochSecond(1796588978, 535244952));
        assertThat(m.command()).containsExactly("/usr/bin/bash", "-c",
                "echo hi; printf \"h\\xc3\\xa9\\n\"; sleep 0.2; exit 3");
        assertThat(m.capture()).isEqualTo("full");
        assertThat(m.tags()).containsEntry("run_as_user", "nobody").containsEntry("run_as_uid", "65534")
                .containsEntry("cwd", "/tmp");
        assertThat(d.output()).isEqualTo("\u0000hi\r\nhé\r\n".replace("\u0000", "^@"));
        assertThat(d.input()).isEqualTo("\u0000");
        // 3 0.004373913 1 / 4 0.000257984 2 / 4 0.002519416 9: the clock adds up in nanoseconds.
        assertThat(d.events()).extracting(e -> e.kind() + "@" + e.offsetMicros())
                .containsExactly("input@4374", "output@4632", "output@7151");
        assertThat(d.end().durationMicros()).isEqualTo(7151);
        assertThat(d.end().exitStatus()).isNull();
    }

    @Test
    void aRealLogWithoutATerminalHasStdinStdoutAndStderr() throws Exception {
        Drained d = Drained.of(new SudoIoLogSource(sample("sudo-pipe").resolve("timing")));
        assertThat(d.metadata().tty()).isNull();
        assertThat(d.input()).isEqualTo("notty\n");
        assertThat(d.output()).isEqualTo("notty\nerr\n");
        assertThat(d.inTimeOrder()).isTrue();
    }

    @Test
    void plainFilesLegacyLogWindowChangesAndSuspends() throws Exception {
        Files.writeString(dir.resolve("log"), "1700000000:alice:root:wheel:/dev/pts/4:30:100\n/home/alice\n"
                + "/usr/bin/vi /etc/hosts\n");
        Files.writeString(dir.resolve("timing"), "4 0.5 3\n5 0,25 40 120\n7 1.0 TSTP\n3 0.000001 2\n4 0 2\n");
        Files.writeString(dir.resolve("ttyout"), "abcde");
        Files.writeString(dir.resolve("ttyin"), ":q");
        Drained d = Drained.of(new SudoIoLogSource(dir));
        assertThat(d.metadata().user()).isEqualTo("alice");
        assertThat(d.metadata().cols()).isEqualTo(100);
        assertThat(d.metadata().rows()).isEqualTo(30);
        assertThat(d.metadata().command()).containsExactly("/usr/bin/vi /etc/hosts");
        assertThat(d.metadata().tags()).containsEntry("cwd", "/home/alice").containsEntry("run_as_user", "root");
        assertThat(d.events()).containsSubsequence(new ResizeEvent(750_000, 120, 40),
                new MarkerEvent(1_750_000, "suspend", "signal=TSTP"));
        assertThat(d.events().get(3)).isInstanceOf(InputEvent.class).extracting(e -> e.offsetMicros())
                .isEqualTo(1_750_001L);
        assertThat(d.output()).isEqualTo("abcde");
        assertThat(d.input()).isEqualTo(":q");
    }

    @Test
    void largeWritesAreSplitIntoPiecesAtTheSameTime() throws Exception {
        int size = SudoIoLogSource.MAX_PIECE * 2 + 5;
        writeJsonLog();
        Files.writeString(dir.resolve("timing"), "4 1 " + size + "\n");
        Files.write(dir.resolve("ttyout"), gzip(new byte[size]));
        Drained d = Drained.of(new SudoIoLogSource(dir));
        assertThat(d.events()).hasSize(3).allMatch(e -> e.offsetMicros() == 1_000_000);
        assertThat(d.outputBytes()).hasSize(size);
    }

    @Test
    void theExitStatusAndSignalAreTakenWhenLogJsonHasThem() throws Exception {
        Files.writeString(dir.resolve("log.json"), "{\"timestamp\":{\"seconds\":1700000000},\"submituser\":\"bob\","
                + "\"exit_value\":143,\"signal\":\"TERM\"}");
        Files.writeString(dir.resolve("timing"), "");
        Drained d = Drained.of(new SudoIoLogSource(dir));
        assertThat(d.end().exitStatus()).isEqualTo(143);
        assertThat(d.end().signal()).isEqualTo(15);
        assertThat(d.metadata().capture()).isEqualTo("output");
    }

    @Test
    void problemsNameTheFileAndTheTimingLine() throws Exception {
        writeJsonLog();
        Files.writeString(dir.resolve("timing"), "4 0.1 3\n4 0.1 10\n");
        Files.writeString(dir.resolve("ttyout"), "abcdef");
        assertThatThrownBy(() -> Drained.of(new SudoIoLogSource(dir))).isInstanceOf(ImportFormatException.class)
                .hasMessage(dir + "/ttyout: ends after 6 bytes, but timing line 2 needs 7 more");

        Files.writeString(dir.resolve("timing"), "1 0.1 3\n");
        assertThatThrownBy(() -> Drained.of(new SudoIoLogSource(dir)))
                .hasMessage(dir + "/timing: line 1: names stdout, which the directory does not have");

        Files.writeString(dir.resolve("timing"), "4 0.1 1\n4 soon 1\n");
        assertThatThrownBy(() -> Drained.of(new SudoIoLogSource(dir)))
                .hasMessage(dir + "/timing: line 2: delay must be seconds like 0.004373913, got \"soon\"");

        Files.writeString(dir.resolve("timing"), "9 0.1 1\n");
        assertThatThrownBy(() -> Drained.of(new SudoIoLogSource(dir)))
                .hasMessage(dir + "/timing: line 1: unknown event type 9");

        byte[] noise = new byte[100];
        new java.util.Random(1).nextBytes(noise);
        Files.write(dir.resolve("ttyout"), java.util.Arrays.copyOf(gzip(noise), 40));
        Files.writeString(dir.resolve("timing"), "4 0.1 100\n");
        assertThatThrownBy(() -> Drained.of(new SudoIoLogSource(dir)))
                .hasMessageStartingWith(dir + "/ttyout: compressed data is cut short or damaged");

        Files.writeString(dir.resolve("log.json"), "{\"timestamp\": 5}");
        assertThatThrownBy(() -> new SudoIoLogSource(dir))
                .hasMessage(dir + "/log.json: no \"timestamp\" object");

        Files.delete(dir.resolve("timing"));
        assertThatThrownBy(() -> new SudoIoLogSource(dir))
                .hasMessage(dir + ": no timing file: not a sudo I/O log directory");
    }

    private void writeJsonLog() throws IOException {
        Files.writeString(dir.resolve("log.json"), "{\"timestamp\":{\"seconds\":1700000000,\"nanoseconds\":5},"
                + "\"submituser\":\"bob\",\"submithost\":\"h\",\"columns\":80,\"lines\":24}");
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }
}
