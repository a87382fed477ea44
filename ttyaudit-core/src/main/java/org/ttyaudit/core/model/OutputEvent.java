package org.ttyaudit.core.model;

import java.util.Objects;

/** Bytes the session wrote to the terminal (what the user saw), after shell-integration markers were removed. */
public record OutputEvent(long offsetMicros, byte[] data) implements Event {
    public OutputEvent {
        Offsets.check(offsetMicros);
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String kind() {
        return "output";
    }
}
