package org.ttyaudit.core.rules;

/**
 * A file a command line or a process is taken to touch (derived heuristically, see {@link FileHeuristics}), or
 * one a file event reports ({@link FileEventTouches}): its normalised path, how, and for a file event its
 * operation word ({@code write}, {@code rename}, …; null for a heuristic touch).
 */
record FileTouch(String path, Op op, String operation) {
    /** How a file is touched. A delete is also a write. */
    enum Op {
        READ, WRITE, DELETE
    }

    /** A file a command is taken to touch (no file event behind it). */
    FileTouch(String path, Op op) {
        this(path, op, null);
    }
}
