package org.ttyaudit.core.rules;

import org.ttyaudit.core.rules.FileTouch.Op;

import java.util.List;

/**
 * A {@code file:} condition: a path pattern (a {@link Glob} over the normalised absolute path; {@code ~/x} stands
 * for {@code x} under every home directory, {@code /root/x} and {@code /home/USER/x}) and how the file is touched
 * ({@code write} also covers deletes; {@code any}), or one operation of file events only ({@code rename},
 * {@code setstat}, …: {@link #EVENT_OPS}). Immutable.
 */
record FileCondition(List<Glob> paths, String op) {
    /** The operations of file events (docs/FORMAT.md) a condition may name; such a condition sees file events only. */
    static final List<String> EVENT_OPS = List.of("remove", "rename", "mkdir", "rmdir", "setstat", "symlink", "link");
    static final List<String> OPS = List.of("write", "read", "delete", "any", "remove", "rename", "mkdir", "rmdir",
            "setstat", "symlink", "link");

    FileCondition {
        paths = List.copyOf(paths);
    }

    /** The first file of {@code files} that this condition matches, or null. */
    FileTouch find(List<FileTouch> files) {
        for (FileTouch f : files) {
            if (opMatches(f) && pathMatches(f.path())) {
                return f;
            }
        }
        return null;
    }

    private boolean opMatches(FileTouch f) {
        Op o = f.op();
        return switch (op) {
            case "write" -> o == Op.WRITE || o == Op.DELETE;
            case "read" -> o == Op.READ;
            case "delete" -> o == Op.DELETE;
            case "any" -> true;
            default -> op.equals(f.operation());
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
