package org.ttyaudit.cli.remote;

import java.time.Duration;

/** Short durations for tables: {@code 42s}, {@code 5m03s}, {@code 2h05m}, {@code 3d04h}. Stateless. */
final class DurationText {
    private DurationText() {
    }

    static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
