package org.ttyaudit.recorder.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What /proc says about the process leading the terminal's foreground process group. */
record ForegroundProcess(int pid, String name, String cwd) {
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "fish", "ksh", "mksh", "pdksh",
            "ksh93", "tcsh", "csh", "ash", "busybox", "yash", "posh", "rbash");

    static ForegroundProcess of(int pid) {
        if (pid <= 0) {
            return new ForegroundProcess(pid, "", null);
        }
        String name = "";
        String cwd = null;
        try {
            name = Files.readString(Path.of("/proc", Integer.toString(pid), "comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException ignored) {
            // The process is gone or not ours to look at.
        }
        try {
            cwd = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "cwd")).toString();
        } catch (IOException | RuntimeException ignored) {
            // Same.
        }
        return new ForegroundProcess(pid, name, cwd);
    }

    /** Whether this is a command interpreter, whose input lines are commands. */
    boolean isShell() {
        String n = name.startsWith("-") ? name.substring(1) : name;
        return SHELLS.contains(n);
    }
}
