package org.ttyaudit.cli.install;

import java.nio.file.Path;

/**
 * The file system tree {@code ttyaudit install} changes: {@code /} on a real host, a scratch directory in tests.
 * Every system path goes through {@link #path} so a test never touches the machine it runs on.
 */
public record SystemRoot(Path dir) {
    public static final SystemRoot LIVE = new SystemRoot(Path.of("/"));

    public SystemRoot {
        dir = dir.toAbsolutePath().normalize();
    }

    /** {@code absolute} (a path as the installed system sees it, e.g. /etc/shells) inside this tree. */
    public Path path(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return dir.resolve(absolute.substring(1));
    }

    /** True for the machine's own root: only then may commands that act on the running system be run. */
    public boolean live() {
        return dir.equals(Path.of("/"));
    }
}
