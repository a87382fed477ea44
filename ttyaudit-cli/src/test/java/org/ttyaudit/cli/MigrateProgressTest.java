package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrate's progress: a bar per phase on a terminal, else a line per phase and at most one per 5 s. */
class MigrateProgressTest {

    @Test
    void withoutATerminalAPhaseIsALineAndProgressALineEveryFiveSeconds() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        try (MigrateProgress p = MigrateProgress.start(false, 80, null, new PrintWriter(text, true), now::get)) {
            p.phase("commands", 1000);
            p.advance(100);
            now.addAndGet(4_000_000_000L);
            p.advance(200);
            now.addAndGet(1_000_000_000L);
            p.advance(300);
            p.note("resuming");
        }
        assertThat(text.toString().lines()).containsExactly("migrate: commands: 1000 to do",
                "migrate: commands: 300 of 1000", "migrate: resuming");
    }

    @Test
    void onATerminalEachPhaseIsABar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter lines = new StringWriter();
        try (MigrateProgress p = MigrateProgress.start(true, 100, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new PrintWriter(lines, true), System::nanoTime)) {
            p.phase("blobs", 7);
            p.advance(7);
            p.phase("sessions", 3);
            p.advance(3);
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("blobs", "7/7", "sessions", "3/3");
        assertThat(lines.toString()).isEmpty();
    }
}
