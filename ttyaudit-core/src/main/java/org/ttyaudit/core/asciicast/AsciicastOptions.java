package org.ttyaudit.core.asciicast;

/**
 * What an asciicast export contains beyond the terminal output.
 *
 * @param withInput      write keystrokes as {@code i} events ({@code --with-input}); input typed at a password
 *                       prompt was never recorded and only appears as an {@code m} marker "input redacted"
 * @param commandMarkers write an {@code m} marker carrying the command line where each command starts, and one
 *                       for each recorder marker (e.g. {@code integration-lost}), so players can jump to them
 */
public record AsciicastOptions(boolean withInput, boolean commandMarkers) {
    /** Output, resizes and command markers; no input. What {@code ttyaudit export} does without flags. */
    public static AsciicastOptions defaults() {
        return new AsciicastOptions(false, true);
    }

    public AsciicastOptions withInput(boolean value) {
        return new AsciicastOptions(value, commandMarkers);
    }
}
