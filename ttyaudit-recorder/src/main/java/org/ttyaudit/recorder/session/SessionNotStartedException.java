package org.ttyaudit.recorder.session;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The recorded command could not be started (no such program, not executable). The record exists and says so:
 * a {@code not-started} marker and an end record with exit status {@link Recorder#NOT_STARTED}.
 */
public final class SessionNotStartedException extends IOException {
    private final transient Path record;

    public SessionNotStartedException(String message, Path record) {
        super(message);
        this.record = record;
    }

    public Path record() {
        return record;
    }
}
