package org.ttyaudit.server.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems a check finds, in the order found. Every problem is counted; the first {@code maxLines} are kept
 * word for word, because a store damaged throughout (say, every blob deleted) would otherwise make a report too
 * long to read, and the first lines name the damage anyway. Not thread-safe: one check fills it.
 */
final class Problems {
    private final int maxLines;
    private final List<String> lines = new ArrayList<>();
    private long count;

    Problems(int maxLines) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("keep at least one problem line, not " + maxLines);
        }
        this.maxLines = maxLines;
    }

    void add(String line) {
        count++;
        if (lines.size() < maxLines) {
            lines.add(line);
        }
    }

    long count() {
        return count;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
