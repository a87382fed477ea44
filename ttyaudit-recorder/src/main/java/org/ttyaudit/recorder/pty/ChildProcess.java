package org.ttyaudit.recorder.pty;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

import java.util.List;
import java.util.Map;

/**
 * A process started as the session leader of a pseudo-terminal: it runs in a new session, with the pty's slave
 * side as its controlling terminal and as stdin, stdout and stderr. No other descriptor of the recorder leaks into
 * it (so a recorded user cannot reach the recorder's files through an inherited descriptor).
 *
 * <p>Started with {@code posix_spawn} (no fork of the JVM): glibc makes the child a session leader
 * ({@code POSIX_SPAWN_SETSID}) before the file actions run, and a session leader that opens a terminal without
 * {@code O_NOCTTY} acquires it as its controlling terminal. Signal dispositions and mask are reset to defaults.
 */
public final class ChildProcess {
    private final int pid;
    private volatile ExitStatus exitStatus;

    private ChildProcess(int pid) {
        this.pid = pid;
    }

    /**
     * Starts {@code argv} (looked up in PATH when it has no slash) on the slave side of {@code pty}.
     *
     * @throws PtyException when the program cannot be started, naming the program and the OS error
     */
    public static ChildProcess spawn(PseudoTerminal pty, List<String> argv, Map<String, String> env)
            throws PtyException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        LibC.Spawn c = LibC.Spawn.INSTANCE;
        Memory actions = new Memory(1024);
        Memory attr = new Memory(1024);
        Memory sigset = new Memory(256);
        check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            check(c.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try {
                check(c.posix_spawn_file_actions_addopen(actions, 0, pty.slavePath(), LibC.O_RDWR, 0),
                        "posix_spawn_file_actions_addopen");
                check(c.posix_spawn_file_actions_adddup2(actions, 0, 1), "posix_spawn_file_actions_adddup2");
                check(c.posix_spawn_file_actions_adddup2(actions, 0, 2), "posix_spawn_file_actions_adddup2");
                check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3),
                        "posix_spawn_file_actions_addclosefrom_np");
                check(c.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSID
                        | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");
                c.sigemptyset(sigset);
                check(c.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
                c.sigfillset(sigset);
                check(c.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");

                String[] envp = env.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new);
                IntByReference pid = new IntByReference();
                int rc = c.posix_spawnp(pid, argv.get(0), actions, attr, argv.toArray(String[]::new), envp);
                if (rc != 0) {
                    throw new PtyException("cannot start " + argv.get(0) + ": " + LibC.errorText(rc));
                }
                return new ChildProcess(pid.getValue());
            } finally {
                c.posix_spawnattr_destroy(attr);
            }
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void check(int rc, String call) throws PtyException {
        if (rc != 0) {
            throw new PtyException(call + " failed: " + LibC.errorText(rc));
        }
    }

    public int pid() {
        return pid;
    }

    /** Blocks until the process ends and reaps it. Call from one thread only. */
    public ExitStatus waitFor() throws PtyException {
        int[] status = new int[1];
        while (true) {
            int rc = LibC.waitpid(pid, status, 0);
            if (rc == pid) {
                ExitStatus result = ExitStatus.fromWaitStatus(status[0]);
                exitStatus = result;
                return result;
            }
            int errno = Native.getLastError();
            if (errno != LibC.EINTR) {
                throw new PtyException("waitpid(" + pid + ") failed: " + LibC.errorText(errno));
            }
        }
    }

    /** Sends a signal to the process (not its group); ignored once it has been reaped. */
    public void signal(int signal) {
        if (exitStatus == null) {
            LibC.kill(pid, signal);
        }
    }

    /** Sends a signal to the process group the process leads (the whole session's jobs started from it). */
    public void signalGroup(int signal) {
        if (exitStatus == null) {
            LibC.kill(-pid, signal);
        }
    }

}
