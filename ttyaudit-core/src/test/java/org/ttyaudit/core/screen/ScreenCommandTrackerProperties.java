package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The tracker reads the user's keystrokes and the programs' output: no content may make it throw. */
class ScreenCommandTrackerProperties {

    @Property(tries = 300)
    void randomStreamsNeverThrowAndYieldOnlyNonBlankCommands(@ForAll("streams") List<byte[]> chunks) {
        ScreenCommandTracker tracker = new ScreenCommandTracker(30, 8);
        long t = 0;
        int i = 0;
        for (byte[] chunk : chunks) {
            t += 1000;
            if (i++ % 2 == 0) {
                tracker.onOutput(t, chunk, 0, chunk.length);
            } else {
                tracker.onInput(t, chunk, 0, chunk.length);
            }
        }
        assertThat(tracker.drainCommands()).allSatisfy(c -> assertThat(c.commandLine()).isNotBlank());
    }

    @Provide
    Arbitrary<List<byte[]>> streams() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(30);
        Arbitrary<byte[]> shellish = Arbitraries.of("\r", "\n", "\r\n", "$ ", "> ", "for x in y; do", "'", "\\",
                "\u0003", "\u001b[200~", "\u001b[201~", "\u001b[?1049h", "\u001b[?1049l", "\u001b[A", "\u001b[B",
                "\u001b[K", "\u001b[2J", "ls -l", "日本")
                .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, shellish).list().ofMaxSize(80);
    }
}
