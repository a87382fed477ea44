package org.ttyaudit.core.screen;

import java.util.List;

/**
 * The command lines of an interactive session read off a model of the screen, where the screen is the only
 * source: a session through the SSH gateway (the target runs no hooks of ours, docs/GATEWAY.md), and an imported
 * session that logged keystrokes (docs/INTEROP.md).
 *
 * <p>Output is modelled only around keystrokes, as the recorder does: after {@link #MAX_OUTPUT_WITHOUT_INPUT}
 * bytes of output with no key typed (a build log, {@code cat} of a big file) the model stops and starts afresh at
 * the next key, so bulk output costs nothing here.
 *
 * <p>What the target prints before the shell's first prompt ({@code Last login: …}, the message of the day) is
 * never a command, even with a command typed ahead of it ({@link ScreenCommandTracker#forLogin}).
 *
 * <p>Not thread-safe: the caller serialises the calls (the recording's lock).
 */
public final class ScreenCommands {
    public static final int MAX_OUTPUT_WITHOUT_INPUT = 64 * 1024;

    private int cols;
    private int rows;
    private ScreenCommandTracker tracker;
    private long outputSinceInput;

    public ScreenCommands(int cols, int rows) {
        this.cols = cols;
        this.rows = rows;
        // The record starts with the login: the target's banner comes before the shell's first prompt.
        this.tracker = ScreenCommandTracker.forLogin(cols, rows);
    }

    public void output(long offsetMicros, byte[] b, int off, int len) {
        if (outputSinceInput > MAX_OUTPUT_WITHOUT_INPUT) {
            return;
        }
        outputSinceInput += len;
        if (outputSinceInput > MAX_OUTPUT_WITHOUT_INPUT) {
            return; // the screen is no longer known: start afresh at the next key
        }
        tracker.onOutput(offsetMicros, b, off, len);
    }

    public void input(long offsetMicros, byte[] b, int off, int len) {
        if (outputSinceInput > MAX_OUTPUT_WITHOUT_INPUT) {
            tracker = new ScreenCommandTracker(cols, rows);
        }
        outputSinceInput = 0;
        tracker.onInput(offsetMicros, b, off, len);
    }

    public void resized(int newCols, int newRows) {
        cols = newCols;
        rows = newRows;
        tracker.onResize(newCols, newRows);
    }

    public List<ScreenCommand> drain() {
        return tracker.drainCommands();
    }
}
