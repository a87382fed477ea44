package org.ttyaudit.recorder.session;

import org.ttyaudit.recorder.pty.FileDescriptors;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** What /proc says about the process leading the terminal's foreground process group. */
record ForegroundProcess(int pid, String name, String cwd) {
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "fish", "ksh", "mksh", "pdksh",
            "ksh93", "tcsh", "csh", "ash", "busybox", "yash", "posh", "rbash");

    static ForegroundProcess of(int pid) {
        if (pid <= 0) {
            return new ForegroundProcess(pid, "", null);
        }
        return new ForegroundProcess(pid, nameOf(pid), FileDescriptors.readLink("/proc/" + pid + "/cwd"));
    }

    /** The kernel's name of process {@code pid} ({@code /proc/PID/comm}), or "" when it is gone. */
    static String nameOf(int pid) {
        if (pid <= 0) {
            return "";
        }
        // Read on the Enter key's and the output's path: plain reads, no NIO objects.
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/comm")) {
            byte[] buf = new byte[64];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8).trim();
        } catch (IOException ignored) {
            return ""; // The process is gone or not ours to look at.
        }
    }

    /** Whether this is a command interpreter, whose input lines are commands. */
    boolean isShell() {
        String n = name.startsWith("-") ? name.substring(1) : name;
        return SHELLS.contains(n);
    }
}
