package org.ttyaudit.recorder.capture;

/**
 * Which program is producing the session's output: the process group in the foreground of the session's
 * terminal, and its leader's name. Called on the output thread, so it must be quick.
 */
public interface Foreground {
    /** The foreground process group of the session's terminal (its leader's pid), or -1 when unknown. */
    int processGroup();

    /** The name the kernel gives process {@code pid} ({@code /proc/PID/comm}), or "" when it is gone. */
    String name(int pid);
}
