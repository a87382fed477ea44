package org.ttyaudit.core.asciicast;

import java.io.IOException;

/**
 * An asciicast file is not well-formed. The message is one line a user can act on and starts with the line
 * number, e.g. {@code line 7: resize data must be COLSxROWS, got "80-24"}. It is an {@link IOException} because
 * it comes from reading outside input, like Jackson's own parse errors.
 */
public final class AsciicastFormatException extends IOException {
    private final long lineNumber;

    public AsciicastFormatException(long lineNumber, String problem) {
        super("line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line of the file where the problem is. */
    public long lineNumber() {
        return lineNumber;
    }
}
