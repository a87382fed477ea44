package org.ttyaudit.core.player;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

class PlayerTest {
    private static final SessionHeader HEADER = new SessionHeader(
            new SessionId(UUID.fromString("0190b5c8-1234-7abc-8def-0123456789ab")), "recorder", "alice", 1000, "db1",
            null, null, "xterm", 80, 24, Instant.parse("2025-01-01T00:00:00Z"), List.of("bash"), "output", "0.1.0",
            Map.of());

    /** Output a at 1 s, b at 3 s, c at 3.5 s, d at 10 s, with input and a command between that are not played. */
    private static final List<Event> SESSION = List.of(
            out(1_000, "a"),
            new InputEvent(2_000_000, "x".getBytes(StandardCharsets.UTF_8)),
            new CommandStartEvent(2_100_000, 1, "x", null, CommandSource.SCREEN),
            out(3_000, "b"),
            out(3_500, "c"),
            out(10_000, "d"));

    private static OutputEvent out(long millis, String text) {
        return new OutputEvent(millis * 1000, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A clock that only moves when the player sleeps (or a fake write takes time). */
    static final class FakeClock implements PlaybackClock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            assertThat(nanos).isPositive().isLessThanOrEqualTo(Player.POLL_NANOS);
            now += nanos;
        }
    }

    /** Records each write with the fake time; hands out scripted keys once their time has come. */
    static final class FakeTerminal implements PlaybackTerminal {
        final FakeClock clock;
        final Deque<long[]> keys = new ArrayDeque<>();
        final List<String> writes = new ArrayList<>();
        long writeCostNanos;
        String recordedSize;

        FakeTerminal(FakeClock clock) {
            this.clock = clock;
        }

        FakeTerminal key(long atMillis, int key) {
            keys.add(new long[] {atMillis * 1_000_000, key});
            return this;
        }

        @Override
        public void write(byte[] data, int off, int len) {
            assertThat(recordedSize).as("size is told before anything is written").isNotNull();
            String text = new String(data, off, len, StandardCharsets.UTF_8).replace("\u001b", "ESC");
            writes.add(clock.now / 1_000_000 + "ms " + text);
            clock.now += writeCostNanos;
        }

        @Override
        public int readKey() {
            if (!keys.isEmpty() && keys.peek()[0] <= clock.now) {
                return (int) keys.poll()[1];
            }
            return -1;
        }

        @Override
        public void recordedSize(int cols, int rows) {
            recordedSize = cols + "x" + rows;
        }
    }

    static Stream<Arguments> table() {
        PlaybackOptions normal = PlaybackOptions.defaults();
        return Stream.of(
                Arguments.of("recorded timing", normal, List.of(),
                        List.of("1000ms a", "3000ms b", "3500ms c", "10000ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("double speed", normal.withSpeed(2), List.of(),
                        List.of("500ms a", "1500ms b", "1750ms c", "5000ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("speed 1.5", normal.withSpeed(1.5), List.of(),
                        List.of("666ms a", "2000ms b", "2333ms c", "6666ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("idle limit caps each pause", normal.withIdleLimit(Duration.ofSeconds(2)), List.of(),
                        List.of("1000ms a", "3000ms b", "3500ms c", "5500ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("idle limit caps the first pause too", normal.withIdleLimit(Duration.ofMillis(300)),
                        List.of(), List.of("300ms a", "600ms b", "900ms c", "1200ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("from writes earlier output at once", normal.withFrom(Duration.ofMillis(3_200)), List.of(),
                        List.of("0ms a", "0ms b", "300ms c", "6800ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("from with idle limit and speed",
                        normal.withFrom(Duration.ofMillis(3_200)).withIdleLimit(Duration.ofSeconds(2)).withSpeed(2),
                        List.of(), List.of("0ms a", "0ms b", "150ms c", "1150ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("from after the end writes everything", normal.withFrom(Duration.ofSeconds(60)),
                        List.of(), List.of("0ms a", "0ms b", "0ms c", "0ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("space pauses and resumes", normal, List.of(new long[] {500, ' '}, new long[] {2500, ' '}),
                        List.of("3000ms a", "5000ms b", "5500ms c", "12000ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("plus doubles and minus halves the speed", normal,
                        List.of(new long[] {1000, '+'}, new long[] {2250, '-'}),
                        List.of("1000ms a", "2000ms b", "2250ms c", "8750ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("dot steps while paused", normal,
                        List.of(new long[] {0, ' '}, new long[] {100, '.'}, new long[] {200, '.'},
                                new long[] {300, ' '}),
                        List.of("100ms a", "200ms b", "800ms c", "7300ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("dot does nothing while playing", normal, List.of(new long[] {100, '.'}),
                        List.of("1000ms a", "3000ms b", "3500ms c", "10000ms d"), PlaybackOutcome.FINISHED),
                Arguments.of("q quits", normal, List.of(new long[] {3200, 'q'}),
                        List.of("1000ms a", "3000ms b"), PlaybackOutcome.QUIT),
                Arguments.of("q quits while paused", normal, List.of(new long[] {100, ' '}, new long[] {60_000, 'q'}),
                        List.of(), PlaybackOutcome.QUIT),
                Arguments.of("ctrl-c quits", normal, List.of(new long[] {1500, 3}),
                        List.of("1000ms a"), PlaybackOutcome.QUIT),
                Arguments.of("other keys are ignored", normal, List.of(new long[] {100, 'x'}, new long[] {200, 27}),
                        List.of("1000ms a", "3000ms b", "3500ms c", "10000ms d"), PlaybackOutcome.FINISHED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void playsWithTheExpectedTiming(String name, PlaybackOptions options, List<long[]> keys, List<String> expected,
                                    PlaybackOutcome outcome) throws Exception {
        FakeClock clock = new FakeClock();
        FakeTerminal terminal = new FakeTerminal(clock);
        for (long[] k : keys) {
            terminal.key(k[0], (int) k[1]);
        }
        PlaybackOutcome result = new Player(terminal, clock, options).play(HEADER, SESSION);
        assertThat(terminal.writes).containsExactlyElementsOf(expected);
        assertThat(result).isEqualTo(outcome);
    }

    @Test
    void recordedSizeIsToldAndResizesAreRequestedOnlyWhenAsked() throws Exception {
        List<Event> events = List.of(out(1_000, "a"), new ResizeEvent(2_000_000, 100, 30), out(3_000, "b"));

        FakeClock clock = new FakeClock();
        FakeTerminal plain = new FakeTerminal(clock);
        new Player(plain, clock, PlaybackOptions.defaults()).play(HEADER, events);
        assertThat(plain.recordedSize).isEqualTo("80x24");
        assertThat(plain.writes).containsExactly("1000ms a", "3000ms b");

        FakeClock clock2 = new FakeClock();
        FakeTerminal resizing = new FakeTerminal(clock2);
        new Player(resizing, clock2, PlaybackOptions.defaults().withEmitResize(true)).play(HEADER, events);
        assertThat(resizing.writes).containsExactly("0ms ESC[8;24;80t", "1000ms a", "2000ms ESC[8;30;100t",
                "3000ms b");
    }

    @Test
    void slowTerminalDoesNotMakePlaybackDrift() throws Exception {
        FakeClock clock = new FakeClock();
        FakeTerminal terminal = new FakeTerminal(clock);
        terminal.writeCostNanos = 100_000_000;
        new Player(terminal, clock, PlaybackOptions.defaults()).play(HEADER, SESSION);
        assertThat(terminal.writes).containsExactly("1000ms a", "3000ms b", "3500ms c", "10000ms d");
    }

    @Test
    void stalledTerminalCatchesUpOnlyBoundedly() throws Exception {
        // A 2 s stall on "a" makes b late; the player does not then fire the following events in a burst.
        FakeClock clock = new FakeClock();
        FakeTerminal terminal = new FakeTerminal(clock);
        terminal.writeCostNanos = 0;
        PlaybackTerminal stalling = new PlaybackTerminal() {
            @Override
            public void write(byte[] data, int off, int len) {
                terminal.write(data, off, len);
                if (data[off] == 'a') {
                    clock.now += 3_000_000_000L;
                }
            }

            @Override
            public int readKey() {
                return -1;
            }

            @Override
            public void recordedSize(int cols, int rows) {
                terminal.recordedSize(cols, rows);
            }
        };
        new Player(stalling, clock, PlaybackOptions.defaults()).play(HEADER, SESSION);
        assertThat(terminal.writes).containsExactly("1000ms a", "4000ms b",
                "4250ms c", "10750ms d");
    }

    @Test
    void speedKeysStayWithinBounds() throws Exception {
        FakeClock clock = new FakeClock();
        FakeTerminal terminal = new FakeTerminal(clock);
        for (int i = 0; i < 30; i++) {
            terminal.key(0, '+');
        }
        Player player = new Player(terminal, clock, PlaybackOptions.defaults());
        player.play(HEADER, SESSION);
        assertThat(player.speed()).isEqualTo(Player.MAX_SPEED);
    }

    @Test
    void badOptionsAreRefusedWithAReadableMessage() {
        assertThatThrownBy(() -> PlaybackOptions.defaults().withSpeed(0))
                .hasMessage("speed must be between 0.001 and 1000, got 0.0");
        assertThatThrownBy(() -> PlaybackOptions.defaults().withIdleLimit(Duration.ZERO))
                .hasMessage("idle limit must be positive, got 0.0 s");
        assertThatThrownBy(() -> PlaybackOptions.defaults().withFrom(Duration.ofSeconds(-1)))
                .hasMessage("from must not be negative, got -1.0 s");
    }
}
