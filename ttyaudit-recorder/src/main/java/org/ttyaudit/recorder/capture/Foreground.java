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

    /** How an {@code output-dropped} marker names where the program ran: {@code pid=N}. */
    default String where(int group) {
        return "pid=" + group;
    }

    /**
     * One program for the whole session, whose processes cannot be seen: a channel an SSH gateway relays, where
     * the program is what the exec request (or the subsystem) names. {@code program} "": none the bulk rule can
     * recognise (a shell: which program runs on the target is not visible to the gateway).
     *
     * @param channel how markers name the session's place instead of a pid ({@code exec}, {@code sftp})
     */
    static Foreground program(String program, String channel) {
        return new Foreground() {
            @Override
            public int processGroup() {
                return program.isEmpty() ? -1 : 1;
            }

            @Override
            public String name(int pid) {
                return program;
            }

            @Override
            public String where(int group) {
                return "channel=" + channel;
            }
        };
    }
}
