package org.ttyaudit.core.format;

/**
 * Bytes that are not a valid ttyaudit record (or not a valid part of one): a bad magic, a damaged frame, a chunk
 * or payload that does not decode.
 *
 * <p>The message is one line a user can read and names what was wrong and where (chunk seq, byte offset, event
 * index) as far as the thrower knows it; callers that know more context wrap it with {@link #in(String)}.
 * Unchecked because it describes the data, not a failure of the program: I/O failures stay {@code IOException}.
 */
public class FormatException extends RuntimeException {

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same problem with {@code context} (e.g. {@code "chunk 5 at byte 12345"}) put in front of the message. */
    public FormatException in(String context) {
        return new FormatException(context + ": " + getMessage(), this);
    }
}
