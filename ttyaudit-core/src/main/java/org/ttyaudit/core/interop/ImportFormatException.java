package org.ttyaudit.core.interop;

import java.io.IOException;

/**
 * A session log to import is not well-formed. The message is one line a user can act on: the file, where in it
 * (line, byte offset or message), and what is wrong, e.g. {@code s.json: line 3: timing refers to 12 characters of
 * out_txt, which has 4 left}. It is an {@link IOException} because it comes from reading outside input.
 */
public final class ImportFormatException extends IOException {
    public ImportFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
