package org.ttyaudit.recorder.spool;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local data directory ({@code --data}, else {@code $TTYAUDIT_DATA_DIR}, else
 * {@code $XDG_DATA_HOME/ttyaudit}, else {@code ~/.local/share/ttyaudit}) and its spool of session records.
 * Directories are created private to the user (0700): records hold everything typed and shown.
 */
public final class DataDirectory {
    public static final String RECORD_SUFFIX = ".tta";

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root;
    }

    public static DataDirectory resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return new DataDirectory(explicit);
        }
        String dir = env.get("TTYAUDIT_DATA_DIR");
        if (dir != null && !dir.isBlank()) {
            return new DataDirectory(Path.of(dir));
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new DataDirectory(Path.of(xdg, "ttyaudit"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new DataDirectory(Path.of(home, ".local", "share", "ttyaudit"));
    }

    public Path root() {
        return root;
    }

    /** Where {@code ttyaudit server} keeps its store when no {@code --data} is given. */
    public Path server() {
        return root.resolve("server");
    }

    /** The spool of sessions waiting for upload ({@link Spool} manages it). */
    public Path spool() {
        return root.resolve("spool");
    }
}
