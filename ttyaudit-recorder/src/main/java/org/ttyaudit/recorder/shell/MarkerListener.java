package org.ttyaudit.recorder.shell;

/**
 * Receives the shell-integration markers that a {@link MarkerStripper} found (and removed) in the output stream.
 *
 * <p>Callbacks run synchronously on the thread that calls {@link MarkerStripper#filter}, in the order the markers
 * appear in the output. They must be quick (they sit on the path of every byte the user sees) and should not
 * throw: an exception propagates out of {@code filter} and the bytes of that call are lost to the caller.
 * All methods default to doing nothing so a listener overrides only what it needs.
 */
public interface MarkerListener {

    /** The shell is about to draw its prompt (OSC 133 A). */
    default void promptStart() {
    }

    /**
     * The prompt has been drawn and the user may type (OSC 133 B). Repeats whenever the line editor redraws the
     * prompt (Ctrl-L, window resize, after listing completions), so treat it as idempotent.
     */
    default void commandLineStart() {
    }

    /**
     * A command line is about to run (OSC 133 C).
     *
     * @param commandLineOrNull the exact command line as typed (multi-line commands as one string with their
     *                          newlines), or null when the shell could not know it reliably; bytes that are not
     *                          valid UTF-8 appear as U+FFFD
     * @param cwdOrNull         the shell's working directory ({@code $PWD}) when the command started, or null
     */
    default void commandStart(String commandLineOrNull, String cwdOrNull) {
    }

    /** The command line finished with this exit status (OSC 133 D). */
    default void commandFinished(int exitCode) {
    }

    /**
     * A sequence claimed to be one of ours but was not valid: wrong nonce, malformed payload, unterminated, or
     * longer than {@link MarkerStripper#MAX_SEQUENCE_BYTES}. {@code description} is one printable line.
     */
    default void forgedMarker(String description) {
    }
}
