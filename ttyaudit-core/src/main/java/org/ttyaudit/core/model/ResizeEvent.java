package org.ttyaudit.core.model;

/** The terminal window changed size. */
public record ResizeEvent(long offsetMicros, int cols, int rows) implements Event {
    public ResizeEvent {
        Offsets.check(offsetMicros);
        if (cols <= 0 || rows <= 0 || cols > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("window size out of range: " + cols + "x" + rows);
        }
    }

    @Override
    public String kind() {
        return "resize";
    }
}
