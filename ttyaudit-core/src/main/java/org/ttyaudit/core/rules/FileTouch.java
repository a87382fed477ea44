package org.ttyaudit.core.rules;

/**
 * A file a command line or a process is taken to touch (derived heuristically, see {@link FileHeuristics}):
 * its normalised path and how.
 */
record FileTouch(String path, Op op) {
    /** How a file is touched. A delete is also a write. */
    enum Op {
        READ, WRITE, DELETE
    }
}
