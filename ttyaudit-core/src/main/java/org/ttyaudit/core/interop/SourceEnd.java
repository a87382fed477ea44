package org.ttyaudit.core.interop;

import java.util.List;
import java.util.Objects;

/**
 * How an imported session ended, as far as its log says; known once every event has been read.
 *
 * @param durationMicros time from the start to the last thing the log records (an event, or the exit)
 * @param exitStatus     the command's exit status (128+N for signal N), or null when the log does not record it
 * @param signal         the signal that ended the command, or null
 * @param notes          what the import left out or assumed, one line each, for the user (never an error)
 */
public record SourceEnd(long durationMicros, Integer exitStatus, Integer signal, List<String> notes) {
    public SourceEnd {
        if (durationMicros < 0) {
            throw new IllegalArgumentException("duration must not be negative: " + durationMicros);
        }
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }
}
