package org.ttyaudit.core.player;

import java.io.IOException;

/**
 * The terminal a recording is played to. The CLI implements it over the real terminal in raw mode; tests use an
 * in-memory fake.
 *
 * <p>The {@link Player} calls it from one thread only. Implementations report I/O failure as {@link IOException},
 * which ends playback.
 */
public interface PlaybackTerminal {
    /** Writes recorded bytes as they are (terminal escape sequences included). */
    void write(byte[] data, int off, int len) throws IOException;

    /** Pushes written bytes to the screen; called after each played event and after a fast-forward. */
    default void flush() throws IOException {
    }

    /**
     * One key the user pressed, as a byte value (0–255), or -1 when none is waiting. Must not block: the player
     * polls it while it waits for the next event.
     */
    int readKey() throws IOException;

    /**
     * Told once before anything is written: the terminal size the session was recorded at, so the caller can
     * warn when the real terminal is smaller (the output would wrap differently).
     */
    default void recordedSize(int cols, int rows) {
    }
}
