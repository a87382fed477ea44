package org.ttyaudit.recorder.pty;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the recorder's background work (compressing, hashing, masking and writing the log; the screen model;
 * /proc scans): daemons that lower their own scheduling priority (nice +10, which needs no privilege) when they
 * start. On a busy machine the pumps, which carry every keystroke and byte of output, then win the CPU over
 * work that can wait a few milliseconds. (Java's thread priorities have no effect on Linux.)
 */
public final class BackgroundThreads {
    private static final int PRIO_PROCESS = 0;
    private static final int BACKGROUND_NICE = 10;

    private BackgroundThreads() {
    }

    /** A factory of background threads named {@code name}. */
    public static ThreadFactory named(String name) {
        return body -> {
            Thread t = new Thread(() -> {
                lowerCurrentThreadPriority();
                body.run();
            }, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Lowers the calling thread's priority; a failure only means the thread keeps the normal priority. */
    static void lowerCurrentThreadPriority() {
        try {
            LibC.setpriority(PRIO_PROCESS, LibC.gettid(), BACKGROUND_NICE);
        } catch (UnsatisfiedLinkError e) {
            // An old C library without gettid(): run at normal priority.
        }
    }
}
