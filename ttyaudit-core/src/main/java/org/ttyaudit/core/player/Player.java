package org.ttyaudit.core.player;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Plays a recorded session's output to a {@link PlaybackTerminal} with the recorded timing, under the user's
 * control. This is {@code ttyaudit play}.
 *
 * <p>Keys: space pauses and resumes; {@code +} doubles and {@code -} halves the speed; {@code .} writes the next
 * output event at once while paused; {@code q} (or Ctrl-C) quits. Options: see {@link PlaybackOptions}.
 *
 * <p>Timing: the pause before an event is the recorded gap since the previously played event (for the first event,
 * since the start or since {@code from}), capped by the idle limit, divided by the current speed. Time is counted
 * on the injected {@link PlaybackClock}; lateness (a slow terminal) is made up on later gaps, up to
 * {@link #MAX_CATCH_UP_NANOS}, so a long recording does not drift, but a stalled machine does not cause a burst.
 * While waiting the player sleeps in slices of at most {@link #POLL_NANOS} and polls for keys in between.
 *
 * <p>Only output events (and resizes, when asked) are played; the rest of the stream is skipped. Bytes are written
 * exactly as recorded: the terminal itself reassembles characters split across events.
 *
 * <p>One playback at a time per instance; not thread-safe. Terminal I/O errors propagate as {@link IOException}; an
 * interrupted thread stops with {@link InterruptedException}.
 */
public final class Player {
    /** The longest sleep between two polls for keys: the key latency the user feels. */
    public static final long POLL_NANOS = 20_000_000L;
    /** How far behind schedule the player tries to catch up by shortening later pauses. */
    public static final long MAX_CATCH_UP_NANOS = 250_000_000L;
    static final double MIN_SPEED = 1.0 / 1024;
    static final double MAX_SPEED = 1024;

    private final PlaybackTerminal terminal;
    private final PlaybackClock clock;
    private final PlaybackOptions options;
    private double speed;
    private boolean paused;
    private boolean stepRequested;
    private boolean quitRequested;

    public Player(PlaybackTerminal terminal, PlaybackClock clock, PlaybackOptions options) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.speed = options.speed();
    }

    /** The current speed factor (the initial one, changed by {@code +} and {@code -}). */
    public double speed() {
        return speed;
    }

    /** Whether playback is paused right now. */
    public boolean paused() {
        return paused;
    }

    /**
     * Plays {@code events} (a session's stream, in order) recorded with {@code header}. Returns when all events
     * are played or the user quit.
     */
    public PlaybackOutcome play(SessionHeader header, Iterable<? extends Event> events)
            throws IOException, InterruptedException {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(events, "events");
        terminal.recordedSize(header.cols(), header.rows());
        if (options.emitResize()) {
            writeResize(header.cols(), header.rows());
        }
        long fromMicros = micros(options.from());
        long idleMicros = options.idleLimit() == null ? Long.MAX_VALUE : micros(options.idleLimit());
        long previousMicros = fromMicros;
        boolean fastForward = fromMicros > 0;
        long carryNanos = 0;
        long mark = clock.nanoTime();
        for (Event event : events) {
            if (!isPlayed(event)) {
                continue;
            }
            long at = event.offsetMicros();
            if (fastForward) {
                if (at <= fromMicros) {
                    emit(event);
                    continue;
                }
                // Everything up to "from" goes out at once; real-time play starts now.
                fastForward = false;
                terminal.flush();
                mark = clock.nanoTime();
            }
            long gapMicros = Math.min(Math.max(at - previousMicros, 0), idleMicros);
            previousMicros = at;
            long remaining = saturatedNanos(gapMicros) + carryNanos;
            while (true) {
                long now = clock.nanoTime();
                if (!paused) {
                    remaining -= (long) ((now - mark) * speed);
                }
                mark = now;
                readKeys();
                if (quitRequested) {
                    terminal.flush();
                    return PlaybackOutcome.QUIT;
                }
                if (stepRequested) {
                    stepRequested = false;
                    remaining = 0;
                    break;
                }
                if (!paused && remaining <= 0) {
                    break;
                }
                long sleep = paused ? POLL_NANOS : Math.min(POLL_NANOS, realNanos(remaining));
                clock.sleepNanos(sleep);
            }
            carryNanos = Math.max(Math.min(remaining, 0), -MAX_CATCH_UP_NANOS);
            emit(event);
            terminal.flush();
        }
        terminal.flush();
        return PlaybackOutcome.FINISHED;
    }

    private boolean isPlayed(Event event) {
        return event instanceof OutputEvent || (options.emitResize() && event instanceof ResizeEvent);
    }

    private void emit(Event event) throws IOException {
        if (event instanceof OutputEvent o) {
            terminal.write(o.data(), 0, o.data().length);
        } else if (event instanceof ResizeEvent r) {
            writeResize(r.cols(), r.rows());
        }
    }

    private void writeResize(int cols, int rows) throws IOException {
        // xterm window manipulation: CSI 8 ; height ; width t resizes the text area.
        byte[] seq = ("\u001b[8;" + rows + ";" + cols + "t").getBytes(StandardCharsets.US_ASCII);
        terminal.write(seq, 0, seq.length);
    }

    private void readKeys() throws IOException {
        int key;
        while (!quitRequested && (key = terminal.readKey()) >= 0) {
            switch (key) {
                case ' ' -> paused = !paused;
                case '+' -> speed = Math.min(speed * 2, MAX_SPEED);
                case '-' -> speed = Math.max(speed / 2, MIN_SPEED);
                case '.' -> {
                    if (paused) {
                        stepRequested = true;
                        return; // the rest of the keys apply after this step
                    }
                }
                case 'q', 'Q', 3 -> quitRequested = true;
                default -> {
                    // other keys do nothing
                }
            }
        }
    }

    /** Real nanoseconds that {@code sessionNanos} of recording take at the current speed, at least 1. */
    private long realNanos(long sessionNanos) {
        return Math.max(1, (long) Math.ceil(sessionNanos / speed));
    }

    private static long saturatedNanos(long micros) {
        return micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE / 2 : micros * 1000;
    }

    private static long micros(Duration d) {
        if (d.getSeconds() > Long.MAX_VALUE / 2_000_000) {
            return Long.MAX_VALUE / 2;
        }
        return d.getSeconds() * 1_000_000 + d.getNano() / 1000;
    }
}
