package org.ttyaudit.recorder.session;

/**
 * Sees the session's bytes as they pass through the recorder, after they were logged. Used by the command
 * capture (screen model, Enter detection). Implementations must return quickly: they are called on the path that
 * delivers bytes to the user.
 */
interface TerminalTap {
    /** Output the user's terminal is about to show. The array is not modified afterwards. */
    void output(byte[] data);

    /** Keys the user typed, as they will reach the session (null data when they were redacted). */
    void input(byte[] data, boolean redacted);

    void resized(int cols, int rows);
}
