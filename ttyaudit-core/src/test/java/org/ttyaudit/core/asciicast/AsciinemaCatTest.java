package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * Plays exported files with the real asciinema CLI ({@code asciinema cat}) and compares what it prints with the
 * recorded output. Skipped when asciinema is not installed (CI installs it: {@code apt-get install asciinema}).
 *
 * <p>{@code asciinema cat} (2.x) opens /dev/tty to put it in raw mode, so it runs under {@code script}, which gives
 * it a pseudo-terminal; its stdout goes to a file, so no terminal processing touches the bytes compared.
 */
class AsciinemaCatTest {

    @TempDir
    Path dir;

    /** Output with everything that tends to break: escapes, split characters, invalid bytes, an incomplete end. */
    private static List<Event> trickySession() {
        byte[] cjk = TestSessions.utf8("日本語");
        byte[] emoji = TestSessions.utf8("😀");
        List<Event> events = new ArrayList<>();
        events.add(new OutputEvent(10_000, TestSessions.utf8("\u001b[1;31mHello\u001b[0m\r\n\tcolumns\u2028x\r\n")));
        events.add(new InputEvent(20_000, TestSessions.utf8("ls\r")));
        events.add(new CommandStartEvent(20_001, 1, "ls \"quoted\" \\ back", "/", CommandSource.SHELL_INTEGRATION));
        events.add(new OutputEvent(30_000, new byte[] {cjk[0], cjk[1], cjk[2], cjk[3]}));
        events.add(new OutputEvent(40_000, new byte[] {cjk[4], cjk[5], cjk[6], cjk[7], cjk[8], emoji[0], emoji[1]}));
        events.add(new ResizeEvent(45_000, 120, 40));
        events.add(new OutputEvent(50_000, new byte[] {emoji[2], emoji[3], '\r', '\n'}));
        events.add(new RedactedInputEvent(55_000, 8));
        events.add(new OutputEvent(60_000, new byte[] {'b', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF, 'a', 'd', 0x07}));
        events.add(new OutputEvent(70_000, new byte[] {'\\', '"', '/', 0x7F, (byte) 0xE2, (byte) 0x82}));
        return events;
    }

    private static byte[] expectedScreenBytes(List<Event> events) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Event e : events) {
            if (e instanceof OutputEvent o) {
                all.writeBytes(o.data());
            }
        }
        Utf8Carry carry = new Utf8Carry();
        return (carry.decode(all.toByteArray()) + carry.flush()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asciinemaCatPrintsExactlyTheRecordedOutputOfAV2Export() throws Exception {
        assumeTrue(onPath("asciinema"), "asciinema is not installed (apt-get install asciinema); skipping");
        assumeTrue(onPath("script"), "script (util-linux) is not installed; skipping");
        List<Event> events = trickySession();
        Path cast = dir.resolve("session.cast");
        try (OutputStream out = Files.newOutputStream(cast)) {
            AsciicastWriter.export(TestSessions.header(), events, TestSessions.endAfterMicros(80_000, 0), out,
                    AsciicastFormat.V2, AsciicastOptions.defaults().withInput(true));
        }

        byte[] printed = asciinemaCat(cast);

        assertThat(new String(printed, StandardCharsets.UTF_8))
                .isEqualTo(new String(expectedScreenBytes(events), StandardCharsets.UTF_8));
        assertThat(printed).isEqualTo(expectedScreenBytes(events));
    }

    @Test
    void asciinemaCatPrintsExactlyTheRecordedOutputOfAV3ExportWhenItReadsV3() throws Exception {
        assumeTrue(onPath("asciinema"), "asciinema is not installed (apt-get install asciinema); skipping");
        assumeTrue(onPath("script"), "script (util-linux) is not installed; skipping");
        String version = run(List.of("asciinema", "--version")).trim();
        // asciinema 2.x reads only v1 and v2 ("only asciicast v1 and v2 formats can be opened"); v3 came with 3.0.
        assumeTrue(version.matches("asciinema [3-9].*"), "installed " + version + " cannot read asciicast v3");
        List<Event> events = trickySession();
        Path cast = dir.resolve("session-v3.cast");
        try (OutputStream out = Files.newOutputStream(cast)) {
            AsciicastWriter.export(TestSessions.header(), events, TestSessions.endAfterMicros(80_000, 0), out,
                    AsciicastFormat.V3, AsciicastOptions.defaults().withInput(true));
        }
        assertThat(asciinemaCat(cast)).isEqualTo(expectedScreenBytes(events));
    }

    private byte[] asciinemaCat(Path cast) throws IOException, InterruptedException {
        Path printed = dir.resolve("printed.bin");
        Path log = dir.resolve("script.log");
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", "asciinema cat \"$CAST\" > \"$PRINTED\"",
                "/dev/null");
        pb.environment().put("CAST", cast.toString());
        pb.environment().put("PRINTED", printed.toString());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().put("SHELL", "/bin/sh");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("asciinema cat did not finish within 60 s");
        }
        assertThat(p.exitValue()).as("asciinema cat exit status; its output: %s", Files.readString(log))
                .isZero();
        return Files.readAllBytes(printed);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
