package org.ttyaudit.core.rules;

import org.ttyaudit.core.rules.FileTouch.Op;

import java.util.List;

/**
 * A {@code file:} condition: a path pattern (a {@link Glob} over the normalised absolute path; {@code ~/x} stands
 * for {@code x} under every home directory, {@code /root/x} and {@code /home/USER/x}) and how the file is touched
 * ({@code write} also covers deletes; {@code any}). Immutable.
 */
record FileCondition(List<Glob> paths, String op) {
    static final List<String> OPS = List.of("write", "read", "delete", "any");

    FileCondition {
        paths = List.copyOf(paths);
    }

    /** The first file of {@code files} that this condition matches, or null. */
    FileTouch find(List<FileTouch> files) {
        for (FileTouch f : files) {
            if (opMatches(f.op()) && pathMatches(f.path())) {
                return f;
            }
        }
        return null;
    }

    private boolean opMatches(Op o) {
        return switch (op) {
            case "write" -> o == Op.WRITE || o == Op.DELETE;
            case "read" -> o == Op.READ;
            case "delete" -> o == Op.DELETE;
            default -> true;
        };
    }

    private boolean pathMatches(String path) {
        for (Glob g : paths) {
            if (g.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The globs of a path pattern as written: {@code ~/x} becomes {@code /root/x} and {@code /home/*}{@code /x}. */
    static List<Glob> compile(String pattern) {
        if (pattern.startsWith("~/")) {
            String rest = pattern.substring(1);
            return List.of(Glob.of("/root" + rest, true), Glob.of("/home/*" + rest, true));
        }
        if (!pattern.startsWith("/") && !pattern.startsWith("*")) {
            throw new IllegalArgumentException("'" + pattern + "' is not an absolute path (start it with /, ~/ or **/)");
        }
        String p = pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1)
                : pattern;
        return List.of(Glob.of(p, true));
    }
}
