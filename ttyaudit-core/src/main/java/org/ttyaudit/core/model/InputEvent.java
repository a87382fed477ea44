package org.ttyaudit.core.model;

import java.util.Objects;

/** Bytes the user typed (keystrokes, pastes), after masking. Never contains input typed at a no-echo prompt. */
public record InputEvent(long offsetMicros, byte[] data) implements Event {
    public InputEvent {
        Offsets.check(offsetMicros);
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String kind() {
        return "input";
    }
}
