package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.PtyClient;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window resized on the user's side reaches the target's terminal through the gateway, and the record says
 * when: the real OpenSSH client runs in a real pseudo-terminal whose size changes, as a terminal window's does.
 */
class WindowResizeTest {
    @TempDir
    Path dir;

    @Test
    void aResizeReachesTheTargetsTerminalAndIsRecordedWhereItHappened() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(dir);
             PtyClient user = PtyClient.start(gw.ssh("alice%web1", List.of("-tt")), new WindowSize(100, 30))) {
            user.await("[#$] $");
            user.type("PS1='pr''ompt$ '\r");
            user.await("prompt\\$ $");
            assertThat(sttySize(user)).isEqualTo("30 100");

            user.resize(132, 43);
            // ssh sends window-change from its main loop when SIGWINCH arrives; ask until the target has it.
            // A deadline rather than a count of tries: each try is a round trip that a loaded machine makes slow.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String size = sttySize(user);
            while (!size.equals("43 132") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                size = sttySize(user);
            }
            assertThat(size).isEqualTo("43 132");
            user.type("exit\r");
            assertThat(user.awaitExit().code()).isZero();

            Recording rec = gw.awaitCompleteRecordings(1, Duration.ofSeconds(10)).get(0);
            assertThat(rec.header().cols()).isEqualTo(100);
            assertThat(rec.header().rows()).isEqualTo(30);
            List<Event> events = RelayTest.events(rec);
            assertThat(events).filteredOn(ResizeEvent.class::isInstance)
                    .extracting(e -> ((ResizeEvent) e).cols() + "x" + ((ResizeEvent) e).rows())
                    .containsExactly("132x43");
            int resize = indexOf(events, ResizeEvent.class);
            String before = RelayTest.output(events.subList(0, resize));
            String after = RelayTest.output(events.subList(resize, events.size()));
            assertThat(before).contains("30 100\r\n").doesNotContain("43 132");
            // (a "stty size" typed just before the resize may still print the old size after it)
            assertThat(after).contains("43 132\r\n");
            assertThat(events.get(resize).offsetMicros())
                    .isGreaterThanOrEqualTo(events.get(resize - 1).offsetMicros())
                    .isLessThanOrEqualTo(events.get(resize + 1).offsetMicros());
        }
    }

    /**
     * Runs {@code stty size} on the target and returns what it printed ("ROWS COLS"). bash wraps a command's output
     * in bracketed-paste switches, so the numbers follow an escape sequence, not always a line start.
     */
    private static String sttySize(PtyClient user) throws Exception {
        user.type("stty size\r");
        Matcher m = user.await("(?<![0-9a-z])(\\d+ \\d+)\r\n[\\s\\S]*?prompt\\$ ");
        return m.group(1);
    }

    private static int indexOf(List<Event> events, Class<? extends Event> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
