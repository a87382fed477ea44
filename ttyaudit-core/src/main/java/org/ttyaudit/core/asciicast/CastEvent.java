package org.ttyaudit.core.asciicast;

import java.util.Objects;

/**
 * One event line of an asciicast file.
 *
 * @param timeMicros microseconds since the start of the recording, for v2 and v3 alike (v3 intervals are summed
 *                   by the reader)
 * @param code       the event code: {@code o}, {@code i}, {@code m}, {@code r}, {@code x} or one unknown to us,
 *                   which the spec says to pass through
 * @param data       the event's data; for an unknown code whose data is not a string, its JSON text
 */
public record CastEvent(long timeMicros, String code, String data) {
    public CastEvent {
        if (timeMicros < 0) {
            throw new IllegalArgumentException("timeMicros must not be negative: " + timeMicros);
        }
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(data, "data");
        if (code.isEmpty()) {
            throw new IllegalArgumentException("code must not be empty");
        }
    }
}
