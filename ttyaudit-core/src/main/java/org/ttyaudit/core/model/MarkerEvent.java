package org.ttyaudit.core.model;

import java.util.Objects;

/**
 * Something the recorder noticed about the session itself, e.g. {@code integration-lost} (shell hooks stopped
 * reporting), {@code bad-nonce} (a forged integration sequence), {@code integration-started}.
 * {@code detail} is free text, possibly empty.
 */
public record MarkerEvent(long offsetMicros, String name, String detail) implements Event {
    public MarkerEvent {
        Offsets.check(offsetMicros);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String kind() {
        return "marker";
    }
}
