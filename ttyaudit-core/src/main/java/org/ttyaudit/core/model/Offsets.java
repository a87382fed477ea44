package org.ttyaudit.core.model;

final class Offsets {
    private Offsets() {
    }

    static void check(long offsetMicros) {
        if (offsetMicros < 0) {
            throw new IllegalArgumentException("offsetMicros must not be negative: " + offsetMicros);
        }
    }
}
